package nethttp

import (
	"net/http"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// Login starts a new session for userID with s (a *cookie.Strategy) and
// sets its cookie on w. Call it after checking the user's password, before
// writing the body.
//
// A cross-origin request (a foreign page posting to the login handler) is
// refused with an error wrapping core.ErrForbiddenOrigin before the store
// is touched or a cookie is set; answer it with 403 (core.Status(err)
// says so). Any session the request already carried is ended first (no
// session fixation). See httpapi.Login.
func Login(w http.ResponseWriter, r *http.Request, s httpapi.Sessions, userID string) error {
	return httpapi.Login(httpapi.HTTPRequest(r, nil), httpapi.HTTPResponse(w), s, userID)
}

// LoginWith is Login recording how the user signed in (opts.Method, say
// core.MethodPassword), the attributes the session carries (roles under
// core.RoleAttribute, a tenant) and, when opts.Remember is set, whether the
// cookie persists ("remember me") or ends with the browser session.
// Attributes over core.MaxAttributesSize are refused before anything is
// written. See httpapi.LoginWith.
func LoginWith(w http.ResponseWriter, r *http.Request, s httpapi.Sessions, userID string, opts core.LoginOptions) error {
	return httpapi.LoginWith(httpapi.HTTPRequest(r, nil), httpapi.HTTPResponse(w), s, userID, opts)
}

// Update changes the request's live session as u says (new attributes; a
// step-up with u.Reauthenticated) and gives it a new ID atomically: the old
// cookie stops working and the new one is set on w. It returns the
// session's new Identity, for the rest of the handler (the Identity in
// r's context is the one from before the update). A cross-origin request
// is refused like a login. See httpapi.Update.
func Update(w http.ResponseWriter, r *http.Request, s httpapi.Sessions, u core.SessionUpdate) (core.Identity, error) {
	return httpapi.Update(httpapi.HTTPRequest(r, nil), httpapi.HTTPResponse(w), s, u)
}

// Logout ends the request's session, if any, and expires its cookie on w.
// A cross-origin request is refused like a login, with no cookie set.
func Logout(w http.ResponseWriter, r *http.Request, s httpapi.Sessions) error {
	return httpapi.Logout(httpapi.HTTPRequest(r, nil), httpapi.HTTPResponse(w), s)
}
