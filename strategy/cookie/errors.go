package cookie

import (
	"errors"
	"fmt"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// ErrNoCookie is returned by Authenticate when the request carries no
// session cookie at all. It wraps [core.ErrNoCredential], so a core.Chain
// moves on to its next strategy.
var ErrNoCookie = errclass.New(core.ErrNoCredential, "cookie: no session cookie")

// ErrMalformed is returned when the session cookie is present but is not of
// the form <id>.<signature> with the exact length and base64url alphabet
// that New's cookies have; an empty value is malformed too. It wraps
// [core.ErrInvalidCredential]. The store is never consulted.
var ErrMalformed = errclass.New(core.ErrInvalidCredential, "cookie: malformed session cookie")

// ErrBadSignature is returned when the session cookie is well formed but its
// signature does not verify with any key of the ring: it was forged,
// tampered with, signed with a retired key or copied from another cookie
// name. It wraps [core.ErrInvalidCredential]. The store is never consulted.
var ErrBadSignature = errclass.New(core.ErrInvalidCredential, "cookie: bad signature")

// ErrDuplicateCookie is returned when the request carries two or more
// cookies with the session cookie's name. A browser only does that when
// someone else (a sibling subdomain, a plain-HTTP page, a script) planted a
// second cookie with a different Domain or Path, and the server cannot tell
// which one is genuine: picking either would let the planter fix the
// victim's session. It wraps [core.ErrInvalidCredential].
var ErrDuplicateCookie = errclass.New(core.ErrInvalidCredential, "cookie: duplicate session cookies")

// ErrUnknownSession is returned when the cookie's signature verifies but the
// store has no live session for it: it was never issued, was logged out or
// ended, or passed its idle or absolute deadline. The ID is never adopted
// (strict mode). It wraps [core.ErrInvalidCredential].
var ErrUnknownSession = errclass.New(core.ErrInvalidCredential, "cookie: unknown or expired session")

// ErrStore is wrapped by every error the session store returned other than
// ErrNotFound. It never wraps [core.ErrNoCredential] or
// [core.ErrInvalidCredential], so a store failure is answered with a 5xx and
// never looks like a bad credential; it does keep [core.ErrUnavailable] when
// the store reported it, which makes it a 503. It wraps [core.ErrBackend]
// (a 500 otherwise).
var ErrStore = errclass.New(core.ErrBackend, "cookie: session store failed")

// ErrBadUserID is returned by Login for a user ID that is empty, longer than
// 255 bytes, not valid UTF-8 or contains a NUL byte. It wraps
// [core.ErrInvalidArgument]: the application passed it.
var ErrBadUserID = errclass.New(core.ErrInvalidArgument, "cookie: user ID must be 1 to 255 bytes of UTF-8 without NUL")

// ErrBadKey is returned by New when the key ring is empty, a key is
// shorter than 32 bytes, or a key already serves another purpose in this
// process (then the error also wraps [core.ErrKeyReuse]). It wraps
// ErrBadOption.
var ErrBadKey = errclass.New(ErrBadOption, "cookie: need at least one key, each of at least 32 bytes")

// ErrSameSiteNone is returned by New when Options.SameSite is
// http.SameSiteNoneMode or http.SameSiteDefaultMode: a session cookie must
// carry an explicit Lax or Strict. It wraps ErrBadOption.
var ErrSameSiteNone = errclass.New(ErrBadOption, "cookie: SameSite must be Lax or Strict")

// ErrBadOption is wrapped by every error New returns: an invalid cookie
// name, a negative duration, a nil store, and ErrBadKey and
// ErrSameSiteNone. It wraps [core.ErrInvalidArgument].
var ErrBadOption = errclass.New(core.ErrInvalidArgument, "cookie: invalid option")

// storeError wraps a store failure in ErrStore. The store's error is kept in
// the chain (so [core.ErrUnavailable] survives) unless it claims to be a
// credential error, which a store has no business reporting: then only its
// text is kept.
func storeError(op string, err error) error {
	if errors.Is(err, core.ErrInvalidCredential) || errors.Is(err, core.ErrNoCredential) {
		return fmt.Errorf("%w: %s: %v", ErrStore, op, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrStore, op, err)
}
