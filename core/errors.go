package core

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// ErrNoCredential is returned by a Strategy when the request carries no
// credential it understands. A Chain then tries its next strategy.
var ErrNoCredential = errors.New("core: no credential")

// ErrInvalidCredential is returned when a credential is present but cannot be
// accepted: malformed, forged, expired, revoked or unknown. It ends a Chain.
var ErrInvalidCredential = errors.New("core: invalid credential")

// ErrUnavailable is returned when a backend the strategy depends on (a
// database, a cache) did not answer. It maps to 503, never to 401.
var ErrUnavailable = errors.New("core: backend unavailable")

// ErrForbiddenOrigin is returned when an unsafe request authenticated by a
// cookie comes from another origin (cross-site request forgery).
var ErrForbiddenOrigin = errors.New("core: cross-origin request refused")

// ErrPanic is returned, with the panic's value, when a strategy panicked
// while authenticating: the panic is recovered and reported as an internal
// failure (500) instead of crashing the server.
var ErrPanic = errors.New("core: panic during authentication")

// ErrRateLimited is the class of the errors returned when a client must
// wait before trying again (too many failed logins, say): Status maps it to
// 429. The error usually has a RetryAfter() time.Duration method saying how
// long.
var ErrRateLimited = errors.New("core: too many attempts")

// ErrInvalidArgument is the class of the errors returned when the
// application, not its client, passed something a call refuses: an invalid
// option to a constructor (every package's ErrBadOption wraps it), an empty
// user ID to a login. It is a bug to fix, so Status maps it to 500, never
// to a 4xx.
var ErrInvalidArgument = errors.New("core: invalid argument")

// ErrBackend is the class of the errors returned when a store answered but
// not as its contract says: an entry it cannot read back, a duplicate it
// should not hold. Status maps it to 500; a store that cannot be reached
// is [ErrUnavailable] instead.
var ErrBackend = errors.New("core: backend failed")

// Status maps an authentication error to the HTTP status every adapter
// answers with: 401 for missing or invalid credentials, 403 for a refused
// origin, a missing attribute ([ErrForbidden]) or a sign-in too old
// ([ErrReauthenticationRequired]), 429 for [ErrRateLimited] (or an error with a RetryAfter()
// time.Duration method, which says how long to wait), the 4xx of an error the client caused
// (one with an HTTPStatus() int method, as the domain packages' errors
// have), 499 when the request's context was cancelled (its client went
// away: not an outage), 503 for an unavailable backend (anything
// [IsUnavailable] recognises, such as a refused connection) and 500 for
// anything else.
func Status(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrNoCredential), errors.Is(err, ErrInvalidCredential):
		return http.StatusUnauthorized
	case errors.Is(err, ErrForbiddenOrigin), errors.Is(err, ErrForbidden), errors.Is(err, ErrReauthenticationRequired):
		return http.StatusForbidden
	case errors.Is(err, ErrRateLimited) || waits(err):
		return http.StatusTooManyRequests
	case clientStatus(err) != 0:
		return clientStatus(err)
	case errors.Is(err, context.Canceled):
		return StatusClientClosedRequest
	case IsUnavailable(err):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// StatusClientClosedRequest is the status of a request whose client went
// away before the answer was ready (nginx's 499). Nobody receives it; it
// keeps access logs and metrics from counting a client that hung up as a
// server failure.
const StatusClientClosedRequest = 499

// clientStatus returns the 4xx that an error in err's chain with an
// HTTPStatus() int method reports, or 0.
func clientStatus(err error) int {
	var c interface{ HTTPStatus() int }
	if errors.As(err, &c) && c.HTTPStatus() >= 400 && c.HTTPStatus() < 500 {
		return c.HTTPStatus()
	}
	return 0
}

// waits reports whether an error in err's chain says how long to wait
// before trying again (a RetryAfter() time.Duration method).
func waits(err error) bool {
	var w interface{ RetryAfter() time.Duration }
	return errors.As(err, &w)
}
