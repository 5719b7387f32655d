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
