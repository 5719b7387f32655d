package httpapi

import (
	"net/url"
	"strings"

	"github.com/gobware/gobware/core"
)

// SafeMethod reports whether method is one that must not change state
// (GET, HEAD, OPTIONS, TRACE), which cross-origin protection never refuses.
func SafeMethod(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return true
	}
	return false
}

// CheckOrigin refuses a cross-origin request with an unsafe method, with the
// semantics of Go's http.CrossOriginProtection: the browser's Sec-Fetch-Site
// header decides when present ("same-origin" and "none" pass); otherwise an
// Origin header must name the request's own host; a request with neither
// comes from a non-browser client (or a browser too old to send either) and
// passes. The error wraps core.ErrForbiddenOrigin.
//
// The guard calls it for requests that carry a session cookie, and the
// login helpers for every login and logout (login CSRF): a bearer token is
// not sent by the browser on its own, so it needs no such protection.
func CheckOrigin(r core.Request) error {
	if SafeMethod(r.Method()) {
		return nil
	}
	switch site := r.Header("Sec-Fetch-Site"); {
	case len(site) == 1 && (site[0] == "same-origin" || site[0] == "none"):
		return nil
	case len(site) > 0:
		return core.ErrForbiddenOrigin
	}
	origin := r.Header("Origin")
	if len(origin) == 0 {
		return nil
	}
	if len(origin) > 1 {
		return core.ErrForbiddenOrigin
	}
	u, err := url.Parse(origin[0])
	if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host()) {
		return core.ErrForbiddenOrigin
	}
	return nil
}

// refuseCrossOrigin is CheckOrigin, reporting a refusal as
// core.EventCrossOriginDenied through the event sink of s (which may be nil).
func refuseCrossOrigin(r core.Request, s core.Strategy, reason string) error {
	err := CheckOrigin(r)
	if err != nil {
		core.ReportEvent(requestContext(r), s, core.Event{Type: core.EventCrossOriginDenied, Reason: reason})
	}
	return err
}

// carriesCookie reports whether r carries any of the named cookies.
func carriesCookie(r core.Request, names []string) bool {
	for _, n := range names {
		if len(r.Cookies(n)) > 0 {
			return true
		}
	}
	return false
}
