package redis

import (
	"errors"
	"fmt"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// ErrDuplicate is returned by Create when an entry with the same hash is
// already stored; the stored one is left as it was. It wraps
// [core.ErrBackend].
var ErrDuplicate = errclass.New(core.ErrBackend, "redis: duplicate hash")

// ErrCorrupt is returned when a stored entry cannot be read back: a field is
// missing or malformed, because something other than this package wrote
// under its prefix. It wraps [core.ErrBackend].
var ErrCorrupt = errclass.New(core.ErrBackend, "redis: corrupt entry")

// ErrBadOption is wrapped by every error the constructors return (a nil
// client is ErrNilClient) and by SessionStore.CreateCapped for a cap below
// 1. It wraps [core.ErrInvalidArgument].
var ErrBadOption = errclass.New(core.ErrInvalidArgument, "redis: invalid option")

// classify marks errors that mean "Redis cannot be reached or cannot serve
// now" (closed client, refused or dropped connection, pool timeout,
// cancelled or timed-out context, a server loading its data, read-only
// after a fail-over, out of memory or busy with a script) by wrapping
// [core.ErrUnavailable], so callers answer 503 and never 401. goredis.Nil,
// which only means "no such key", is never passed here. Other errors are
// returned unchanged.
func classify(err error) error {
	if err == nil || errors.Is(err, core.ErrUnavailable) || !unavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", core.ErrUnavailable, err)
}

// unavailable is [core.IsUnavailable] plus what only go-redis and Redis say:
// a closed client or exhausted pool, and a server that is loading,
// read-only, down, out of memory or busy.
func unavailable(err error) bool {
	if core.IsUnavailable(err) {
		return true
	}
	for _, target := range []error{goredis.ErrClosed, goredis.ErrPoolTimeout, goredis.ErrPoolExhausted} {
		if errors.Is(err, target) {
			return true
		}
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
	return false
}
