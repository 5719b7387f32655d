package httpapi

import (
	"github.com/gobware/gobware/core"
)

// Sessions is what the login helpers need of a session strategy.
// *cookie.Strategy implements it.
type Sessions interface {
	core.Strategy
	// Login starts a new session for userID and sets its cookie on w.
	Login(r core.Request, w core.Response, userID string) error
	// LoginWith is Login recording how the user signed in, the
	// attributes the session carries and whether its cookie persists.
	LoginWith(r core.Request, w core.Response, userID string, opts core.LoginOptions) error
	// Update changes r's live session as u says and gives it a new ID
	// atomically, sets the new cookie on w, and returns the new Identity.
	Update(r core.Request, w core.Response, u core.SessionUpdate) (core.Identity, error)
	// Logout ends r's session and expires its cookie on w.
	Logout(r core.Request, w core.Response) error
}

// Login starts a session for userID with s, as every adapter's Login helper
// does for an application's own login handler. Call it once the password
// (or other proof) has been checked.
//
// A cross-origin request is refused first, with an error wrapping
// core.ErrForbiddenOrigin, before the store is touched or a cookie is set:
// otherwise any web page could sign its visitor into the attacker's account
// (login CSRF). Requests without Sec-Fetch-Site or Origin, from non-browser
// clients, pass. The refusal is reported as core.EventCrossOriginDenied
// through s's event sink. The strategy sees r with a core.RequestInfo, so
// its events carry the request ID and client address.
func Login(r core.Request, w core.Response, s Sessions, userID string) error {
	r = identified(r)
	if err := refuseCrossOrigin(r, s, "login"); err != nil {
		return err
	}
	return s.Login(r, w, userID)
}

// LoginWith is Login passing opts to the strategy: the login method (say
// core.MethodPassword), the attributes the session carries (roles, a
// tenant) and, with opts.Remember, whether the cookie persists. Options
// the strategy cannot record (attributes over core.MaxAttributesSize) are
// refused with an error wrapping core.ErrInvalidArgument, a bug to fix,
// and nothing is written.
func LoginWith(r core.Request, w core.Response, s Sessions, userID string, opts core.LoginOptions) error {
	r = identified(r)
	if err := refuseCrossOrigin(r, s, "login"); err != nil {
		return err
	}
	return s.LoginWith(r, w, userID, opts)
}

// Update changes the live session of r with s as u says (new attributes,
// a step-up) and gives it a new ID in the same atomic step, as every
// adapter's Update helper does; it sets the new cookie on w and returns
// the session's new Identity. A cross-origin request is refused like a
// login, with an error wrapping core.ErrForbiddenOrigin, before the store
// is touched. A request without a live session gets the strategy's
// error, which wraps core.ErrNoCredential or core.ErrInvalidCredential
// (401).
func Update(r core.Request, w core.Response, s Sessions, u core.SessionUpdate) (core.Identity, error) {
	r = identified(r)
	if err := refuseCrossOrigin(r, s, "session_update"); err != nil {
		return core.Identity{}, err
	}
	return s.Update(r, w, u)
}

// Logout ends r's session with s and expires its cookie, as every adapter's
// Logout helper does. A cross-origin request is refused like a login (a
// foreign page must not sign its visitors out), and then no cookie is set.
func Logout(r core.Request, w core.Response, s Sessions) error {
	r = identified(r)
	if err := refuseCrossOrigin(r, s, "logout"); err != nil {
		return err
	}
	return s.Logout(r, w)
}
