package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/core"
)

// ErrDuplicate is returned by Create when an entry with the same hash is
// already stored; the stored one is left as it was.
var ErrDuplicate = errors.New("redis: duplicate hash")

// ErrCorrupt is returned when a stored entry cannot be read back: a field is
// missing or malformed, because something other than this package wrote
// under its prefix.
var ErrCorrupt = errors.New("redis: corrupt entry")

// classify marks errors that mean "Redis cannot be reached or cannot serve
// now" (closed client, refused or dropped connection, pool timeout,
// cancelled or timed-out context, a server loading its data, read-only
// after a fail-over, out of memory or busy with a script) by wrapping
// core.ErrUnavailable, so callers answer 503 and never 401. goredis.Nil,
// which only means "no such key", is never passed here. Other errors are
// returned unchanged.
func classify(err error) error {
	if err == nil || errors.Is(err, core.ErrUnavailable) || !unavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", core.ErrUnavailable, err)
}

func unavailable(err error) bool {
	for _, target := range []error{
		context.Canceled, context.DeadlineExceeded,
		goredis.ErrClosed, goredis.ErrPoolTimeout, goredis.ErrPoolExhausted,
		io.EOF, io.ErrUnexpectedEOF, net.ErrClosed,
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EPIPE, syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	if goredis.IsLoadingError(err) || goredis.IsReadOnlyError(err) || goredis.IsClusterDownError(err) ||
		goredis.IsTryAgainError(err) || goredis.IsMasterDownError(err) {
		return true
	}
	var redisErr goredis.Error
	if errors.As(err, &redisErr) {
		msg := redisErr.Error()
		for _, prefix := range []string{"OOM ", "BUSY ", "MISCONF ", "NOREPLICAS "} {
			if strings.HasPrefix(msg, prefix) {
				return true
			}
		}
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "i/o timeout", "use of closed network connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
