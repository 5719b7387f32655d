package limiter

import (
	"errors"
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
)

// ErrLimited is matched (with errors.Is) by the error Reserve returns when a
// key must wait before its next attempt. The error is a *LimitedError,
// which says how long.
var ErrLimited = errors.New("limiter: too many failed attempts")

// ErrBadOption is returned by New for a negative or inconsistent option.
var ErrBadOption = errors.New("limiter: bad option")

// LimitedError is the error Reserve returns for a key that must wait. It
// never names the key (a username) so that it can be logged.
type LimitedError struct {
	// Wait is how long until the next attempt is allowed; always > 0.
	Wait time.Duration
}

func (e *LimitedError) Error() string {
	return fmt.Sprintf("%v; retry in %v", ErrLimited, e.Wait)
}

// Is makes errors.Is(err, ErrLimited) true.
func (e *LimitedError) Is(target error) bool { return target == ErrLimited }

// RetryAfter returns Wait. HTTP layers look for this method to set the
// Retry-After header without importing this package.
func (e *LimitedError) RetryAfter() time.Duration { return e.Wait }

// ErrContention is returned by Reserve (and Succeeded) when a counter kept
// changing under it: so many attempts on one key at once that its
// compare-and-swap never got through. The attempt is refused; it matches
// core.ErrUnavailable too, so HTTP layers answer 503.
var ErrContention = fmt.Errorf("limiter: too many concurrent attempts on one key: %w", core.ErrUnavailable)
