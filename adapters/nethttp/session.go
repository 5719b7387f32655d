package nethttp

import (
	"net/http"

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

// Logout ends the request's session, if any, and expires its cookie on w.
// A cross-origin request is refused like a login, with no cookie set.
func Logout(w http.ResponseWriter, r *http.Request, s httpapi.Sessions) error {
	return httpapi.Logout(httpapi.HTTPRequest(r, nil), httpapi.HTTPResponse(w), s)
}
