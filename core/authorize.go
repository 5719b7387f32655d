package core

import (
	"errors"
	"fmt"
	"time"
)

// ErrForbidden is returned by RequireAttribute, and by the adapters' role
// and attribute requirements, when the authenticated user lacks what the
// route needs. Status maps it to 403, which the HTTP layers answer with
// the problem code "forbidden".
var ErrForbidden = errors.New("core: forbidden")

// ErrReauthenticationRequired is returned by RequireFreshLogin, and by the
// adapters' freshness requirement, when the user signed in longer ago than
// the route allows (or when it is not known when). Status maps it to 403,
// which the HTTP layers answer with the problem code
// "reauthentication_required": the client should have the user sign in
// again, then retry.
var ErrReauthenticationRequired = errors.New("core: reauthentication required")

// RequireAttribute returns nil if id is authenticated and carries value
// among its key attribute's values (RequireAttribute(id, RoleAttribute,
// "admin") requires the admin role). Otherwise it returns an error wrapping
// ErrNoCredential (no user: 401) or ErrForbidden (403). It is the pure
// check beside the adapters' middleware; call it in a handler for
// decisions that depend on the request's data.
func RequireAttribute(id Identity, key, value string) error {
	if id.UserID == "" {
		return ErrNoCredential
	}
	if !id.Attributes.Has(key, value) {
		return fmt.Errorf("%w: %s %q required", ErrForbidden, key, value)
	}
	return nil
}

// RequireFreshLogin returns nil if id is authenticated and its AuthTime is
// no older than maxAge at now. Otherwise it returns an error wrapping
// ErrNoCredential (no user: 401) or ErrReauthenticationRequired (403),
// also when AuthTime is unknown (zero). An AuthTime slightly in the future
// (clocks of two servers) counts as fresh.
func RequireFreshLogin(id Identity, maxAge time.Duration, now time.Time) error {
	if id.UserID == "" {
		return ErrNoCredential
	}
	if id.AuthTime.IsZero() {
		return fmt.Errorf("%w: the time of sign-in is unknown", ErrReauthenticationRequired)
	}
	if age := now.Sub(id.AuthTime); age > maxAge {
		return fmt.Errorf("%w: signed in %s ago, at most %s allowed", ErrReauthenticationRequired, age.Round(time.Second), maxAge)
	}
	return nil
}
