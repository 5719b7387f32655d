package nethttp

import (
	"net/http"
	"time"

	"github.com/gobware/gobware/httpapi"
)

// Authorize returns middleware that lets a request through only when the
// caller meets every rule (httpapi.Authorize decides): 401 unauthenticated
// without an Identity in the request's context, else the first refusing
// rule's 403 as problem+json. Put it after Require (or New), which
// authenticates:
//
//	mux.Handle("GET /admin/users", nethttp.Require(auth)(nethttp.Authorize(httpapi.Role("admin"))(listUsers)))
func Authorize(rules ...httpapi.Rule) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if reply := httpapi.Authorize(r.Context(), rules...); reply != nil {
				reply.Write(w)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RequireRole is Authorize(httpapi.Role(role)): a caller without role among
// the attributes chosen at login gets 403 forbidden.
func RequireRole(role string) func(http.Handler) http.Handler {
	return Authorize(httpapi.Role(role))
}

// RequireAttribute is Authorize(httpapi.Attribute(key, value)): a caller
// whose attributes do not hold value under key gets 403 forbidden.
func RequireAttribute(key, value string) func(http.Handler) http.Handler {
	return Authorize(httpapi.Attribute(key, value))
}

// RequireFreshLogin is Authorize(httpapi.FreshLogin(maxAge)): a caller who
// signed in more than maxAge ago gets 403 reauthentication_required, for
// actions that should not be taken with a long-lived session alone. It
// panics unless maxAge is positive.
func RequireFreshLogin(maxAge time.Duration) func(http.Handler) http.Handler {
	return Authorize(httpapi.FreshLogin(maxAge))
}
