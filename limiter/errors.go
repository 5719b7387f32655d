package limiter

import (
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// ErrLimited is returned (wrapped in a *LimitedError, which says how long
// to wait) by Reserve when a key must wait before its next attempt. It
// wraps [core.ErrRateLimited], which HTTP layers answer with 429.
var ErrLimited = errclass.New(core.ErrRateLimited, "limiter: too many failed attempts")

// ErrBadOption is wrapped by every error New and NewDevices return: a
// negative or inconsistent option, an unusable device key. It wraps
// [core.ErrInvalidArgument].
var ErrBadOption = errclass.New(core.ErrInvalidArgument, "limiter: invalid option")

// LimitedError is the error Reserve returns for a key that must wait. It
// never names the key (a username) so that it can be logged.
type LimitedError struct {
	// Wait is how long until the next attempt is allowed; always > 0.
	Wait time.Duration
}

func (e *LimitedError) Error() string {
	return fmt.Sprintf("%v; retry in %v", ErrLimited, e.Wait)
}

// Unwrap returns ErrLimited, so errors.Is(err, ErrLimited) and
// errors.Is(err, [core.ErrRateLimited]) are true.
func (e *LimitedError) Unwrap() error { return ErrLimited }

// RetryAfter returns Wait. HTTP layers look for this method to set the
// Retry-After header without importing this package.
func (e *LimitedError) RetryAfter() time.Duration { return e.Wait }

// ErrContention is returned by Reserve (and Succeeded) when a counter kept
// changing under it: so many attempts on one key at once that its
// compare-and-swap never got through. The attempt is refused; it matches
// [core.ErrUnavailable] too, so HTTP layers answer 503.
var ErrContention = errclass.New(core.ErrUnavailable, "limiter: too many concurrent attempts on one key")
