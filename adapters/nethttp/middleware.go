package nethttp

import (
	"net/http"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// Require returns middleware that lets a request through only when s
// authenticates it, with the Identity in the request's context. Otherwise it
// answers with problem+json: 401 (with WWW-Authenticate when s is
// bearer-capable), 403 for a cross-origin write carrying a session cookie,
// 503 when a store is unreachable, 500 for a panic in s.
func Require(s core.Strategy) func(http.Handler) http.Handler {
	return guard(httpapi.Guard{Strategy: s})
}

// Optional is like Require, but lets requests without a valid credential
// through anonymously; UserID then returns "".
func Optional(s core.Strategy) func(http.Handler) http.Handler {
	return guard(httpapi.Guard{Strategy: s, Optional: true})
}

func guard(g httpapi.Guard) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, reply := g.Check(r.Context(), httpapi.HTTPRequest(r, nil))
			if reply != nil {
				reply.Write(w)
				return
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// UserID returns the authenticated user's ID, or "" for an anonymous request.
func UserID(r *http.Request) string { return core.UserID(r.Context()) }

// Identity returns the caller's Identity and whether the request is authenticated.
func Identity(r *http.Request) (core.Identity, bool) { return core.FromContext(r.Context()) }
