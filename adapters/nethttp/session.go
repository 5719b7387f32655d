package nethttp

import (
	"net/http"

	"github.com/gobware/gobware/httpapi"

	"github.com/gobware/gobware/strategy/cookie"
)

// Login starts a new session for userID and sets its cookie on w. Any
// session the request already carried is ended first (no session fixation).
// Call it after checking the user's password, before writing the body.
func Login(w http.ResponseWriter, r *http.Request, s *cookie.Strategy, userID string) error {
	return s.Login(httpapi.HTTPRequest(r, nil), httpapi.HTTPResponse(w), userID)
}

// Logout ends the request's session, if any, and expires its cookie on w.
func Logout(w http.ResponseWriter, r *http.Request, s *cookie.Strategy) error {
	return s.Logout(httpapi.HTTPRequest(r, nil), httpapi.HTTPResponse(w))
}
