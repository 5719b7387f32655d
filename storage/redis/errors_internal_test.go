package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/core"
)

// redisError is a server error reply, as go-redis reports one.
type redisError string

func (e redisError) Error() string { return string(e) }
func (redisError) RedisError()     {}

func TestClassifyMarksOnlyOutagesUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"a refused connection", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{"a dropped connection", io.EOF, true},
		{"a closed client", goredis.ErrClosed, true},
		{"an exhausted pool", goredis.ErrPoolTimeout, true},
		{"a cancelled context", context.Canceled, true},
		{"a server still loading its data", redisError("LOADING Redis is loading the dataset in memory"), true},
		{"a replica after a fail-over", redisError("READONLY You can't write against a read only replica."), true},
		{"a server out of memory", redisError("OOM command not allowed when used memory > 'maxmemory'."), true},
		{"a missing key", goredis.Nil, false},
		{"a script bug", redisError("ERR user_script:1: Script attempted to access nonexistent global variable"), false},
		{"a wrong type", redisError("WRONGTYPE Operation against a key holding the wrong kind of value"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errors.Is(classify(tc.err), core.ErrUnavailable); got != tc.want {
				t.Errorf("classify(%v) unavailable = %v; want %v", tc.err, got, tc.want)
			}
		})
	}
	if classify(nil) != nil {
		t.Error("classify(nil) != nil")
	}
}
