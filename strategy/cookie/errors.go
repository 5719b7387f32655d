package cookie

import (
	"errors"
	"fmt"

	"github.com/gobware/gobware/core"
)

// ErrNoCookie is returned by Authenticate when the request carries no
// session cookie at all. It wraps core.ErrNoCredential, so a core.Chain
// moves on to its next strategy.
var ErrNoCookie = fmt.Errorf("cookie: no session cookie: %w", core.ErrNoCredential)

// ErrMalformed is returned when the session cookie is present but is not of
// the form <id>.<signature> with the exact length and base64url alphabet
// that New's cookies have; an empty value is malformed too. It wraps
// core.ErrInvalidCredential. The store is never consulted.
var ErrMalformed = fmt.Errorf("cookie: malformed session cookie: %w", core.ErrInvalidCredential)

// ErrBadSignature is returned when the session cookie is well formed but its
// signature does not verify with any key of the ring: it was forged,
// tampered with, signed with a retired key or copied from another cookie
// name. It wraps core.ErrInvalidCredential. The store is never consulted.
var ErrBadSignature = fmt.Errorf("cookie: bad signature: %w", core.ErrInvalidCredential)

// ErrDuplicateCookie is returned when the request carries two or more
// cookies with the session cookie's name. A browser only does that when
// someone else (a sibling subdomain, a plain-HTTP page, a script) planted a
// second cookie with a different Domain or Path, and the server cannot tell
// which one is genuine: picking either would let the planter fix the
// victim's session. It wraps core.ErrInvalidCredential.
var ErrDuplicateCookie = fmt.Errorf("cookie: duplicate session cookies: %w", core.ErrInvalidCredential)

// ErrUnknownSession is returned when the cookie's signature verifies but the
// store has no live session for it: it was never issued, was logged out or
// ended, or passed its idle or absolute deadline. The ID is never adopted
// (strict mode). It wraps core.ErrInvalidCredential.
var ErrUnknownSession = fmt.Errorf("cookie: unknown or expired session: %w", core.ErrInvalidCredential)

// ErrStore is wrapped by every error the session store returned other than
// ErrNotFound. It never wraps core.ErrNoCredential or
// core.ErrInvalidCredential, so a store failure is answered with a 5xx and
// never looks like a bad credential; it does keep core.ErrUnavailable when
// the store reported it, which makes it a 503.
var ErrStore = errors.New("cookie: session store failed")

// ErrBadUserID is returned by Login for a user ID that is empty, longer than
// 255 bytes, not valid UTF-8 or contains a NUL byte.
var ErrBadUserID = errors.New("cookie: user ID must be 1 to 255 bytes of UTF-8 without NUL")

// ErrBadKey is returned by New when the key ring is empty, a key is
// shorter than 32 bytes, or a key already serves another purpose in this
// process (then the error also wraps core.ErrKeyReuse).
var ErrBadKey = errors.New("cookie: need at least one key, each of at least 32 bytes")

// ErrSameSiteNone is returned by New when Options.SameSite is
// http.SameSiteNoneMode or http.SameSiteDefaultMode: a session cookie must
// carry an explicit Lax or Strict.
var ErrSameSiteNone = errors.New("cookie: SameSite must be Lax or Strict")

// ErrBadOption is returned by New for an invalid cookie name or a negative
// duration.
var ErrBadOption = errors.New("cookie: invalid option")

// storeError wraps a store failure in ErrStore. The store's error is kept in
// the chain (so core.ErrUnavailable survives) unless it claims to be a
// credential error, which a store has no business reporting: then only its
// text is kept.
func storeError(op string, err error) error {
	if errors.Is(err, core.ErrInvalidCredential) || errors.Is(err, core.ErrNoCredential) {
		return fmt.Errorf("%w: %s: %v", ErrStore, op, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrStore, op, err)
}
