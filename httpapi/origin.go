package httpapi

import (
	"net/url"
	"strings"

	"github.com/gobware/gobware/core"
)

// SafeMethod reports whether method is one that cross-origin protection
// never refuses: GET, HEAD and OPTIONS, the methods
// [net/http.CrossOriginProtection] lets through. Every other method,
// TRACE included, is checked.
func SafeMethod(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	return false
}

// CheckOrigin refuses a cross-origin request with an unsafe method, with the
// semantics of [net/http.CrossOriginProtection] without trusted origins or
// bypass patterns: the browser's Sec-Fetch-Site header decides when present
// ("same-origin" and "none" pass); otherwise an Origin header must name the
// request's own host; a request with neither comes from a non-browser
// client (or a browser too old to send either) and passes. The error is
// [core.ErrForbiddenOrigin].
//
// Where it differs from net/http, on purpose:
//
//   - Two Sec-Fetch-Site or two Origin headers are refused; net/http reads
//     the first. A browser sends each once (Fetch Metadata, and RFC 6454
//     section 7 for Origin), so a second one was added on the way, and
//     which one the browser sent cannot be told.
//   - The Origin's host is compared with the request's host without regard
//     to ASCII case, as host names compare (RFC 3986 section 3.2.2);
//     net/http compares bytes. Browsers send both in lower case, so this
//     only spares a client that spells the Host header in upper case.
//   - There is no list of trusted origins: an application whose front end
//     is served from another origin than its API cannot use session
//     cookies for unsafe requests across them; it uses bearer tokens
//     (strategy/jwt), which a browser never sends by itself and which
//     therefore need no origin check.
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
		if _, k := core.CookieValue(r, n); k > 0 {
			return true
		}
	}
	return false
}
