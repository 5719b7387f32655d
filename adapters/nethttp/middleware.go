package nethttp

import (
	"net/http"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// Config configures the middleware New returns.
type Config struct {
	// Strategy authenticates requests; usually a core.Chain. Required.
	Strategy core.Strategy
	// Optional lets requests without a valid credential through
	// anonymously; UserID then returns "". Backend failures and
	// cross-origin writes are still refused. Default: authentication
	// required.
	Optional bool
	// ErrorHandler answers a refused request in the application's own
	// format. err is an *httpapi.Problem (status, code, client-safe
	// detail) that wraps the cause, so errors.Is(err, core.ErrForbiddenOrigin)
	// and the like work. w already carries the headers the refusal needs
	// (WWW-Authenticate on a 401, Cache-Control: no-store, X-Request-ID).
	// Default: the problem+json reply every gobware adapter sends.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)
}

// New returns middleware that lets a request through only when
// cfg.Strategy authenticates it (or, with cfg.Optional, anonymously), with
// the Identity in the request's context. Otherwise it answers with
// problem+json (or cfg.ErrorHandler): 401 (with WWW-Authenticate when the
// strategy is bearer-capable), 403 for a cross-origin write carrying a
// session cookie, 503 when a store is unreachable, 500 for a panic in the
// strategy. It panics without a Strategy, as a missing handler would.
func New(cfg Config) func(http.Handler) http.Handler {
	if cfg.Strategy == nil {
		panic("gobware nethttp: Config.Strategy is required")
	}
	g := httpapi.Guard{Strategy: cfg.Strategy, Optional: cfg.Optional}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, reply := g.Check(r.Context(), httpapi.HTTPRequest(r, nil))
			switch {
			case reply == nil:
				next.ServeHTTP(w, r.WithContext(ctx))
			case cfg.ErrorHandler == nil:
				reply.Write(w)
			default:
				h, p := reply.Refusal()
				httpapi.SetHeaders(w.Header(), h)
				cfg.ErrorHandler(w, r.WithContext(ctx), p)
			}
		})
	}
}

// Require is New(Config{Strategy: s}).
func Require(s core.Strategy) func(http.Handler) http.Handler {
	return New(Config{Strategy: s})
}

// Optional is New(Config{Strategy: s, Optional: true}).
func Optional(s core.Strategy) func(http.Handler) http.Handler {
	return New(Config{Strategy: s, Optional: true})
}

// RequestInfo returns middleware that names each request for everything
// after it: a request ID (the client's plain X-Request-ID, else a new one,
// sent back in X-Request-ID) and the client's address, read through the
// trusted proxies (none by default: the connection's peer). Put it first,
// around the whole mux: the guard, Login and Logout, the login limiter, the
// recorded session IP and every security event then use that address.
func RequestInfo(trusted httpapi.TrustedProxies) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, info := httpapi.WithRequestInfo(r.Context(), httpapi.HTTPRequest(r, nil), trusted)
			w.Header().Set(httpapi.RequestIDHeader, info.ID)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// UserID returns the authenticated user's ID, or "" for an anonymous request.
func UserID(r *http.Request) string { return core.UserID(r.Context()) }

// Identity returns the caller's Identity and whether the request is authenticated.
func Identity(r *http.Request) (core.Identity, bool) { return core.FromContext(r.Context()) }
