package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/gobware/gobware/core"
)

// Handler serves one route. ctx carries the caller's Identity on routes that
// require authentication.
type Handler func(ctx context.Context, r Request) *Reply

// Route is one method and path of an API.
type Route struct {
	Method  string // "GET", "POST", …
	Pattern string // "/api/cart/items/{sku}": literal segments and {name} parameters
	// Auth, when set, authenticates the request with this guard before Handler runs.
	Auth *Guard
	// LoginCSRF refuses cross-origin requests even without a session cookie:
	// set on routes that log in with a cookie, against login CSRF.
	LoginCSRF bool
	// Sessions is the session strategy of the route, if any: an unsafe
	// request carrying one of its cookies must pass CheckOrigin, and
	// refusals are reported to its event sink.
	Sessions core.Strategy
	Handler  Handler
}

// Resource is every route of one pattern. Adapters register one native
// handler per Resource and call Serve, which picks the route by method.
type Resource struct {
	Pattern string
	Routes  map[string]Route
}

// Resources groups routes by pattern, in first-seen order.
func Resources(routes []Route) []Resource {
	var out []Resource
	index := map[string]int{}
	for _, rt := range routes {
		i, ok := index[rt.Pattern]
		if !ok {
			i = len(out)
			index[rt.Pattern] = i
			out = append(out, Resource{Pattern: rt.Pattern, Routes: map[string]Route{}})
		}
		out[i].Routes[rt.Method] = rt
		if rt.Method == http.MethodGet {
			out[i].Routes[http.MethodHead] = rt
		}
	}
	return out
}

// Allow returns the methods res serves, for the Allow header.
func (res Resource) Allow() string {
	methods := make([]string, 0, len(res.Routes))
	for m := range res.Routes {
		methods = append(methods, m)
	}
	slices.Sort(methods)
	return strings.Join(methods, ", ")
}

// Serve answers r for res: 405 for a method res does not serve, then
// cross-origin protection, authentication, and the route's handler, whose
// panics become a 500. The request's context carries a core.RequestInfo
// (for the security events of this request) and the reply names its ID in
// the X-Request-ID header.
func Serve(res Resource, r Request) *Reply {
	r, info := withRequestInfo(r)
	reply := serve(res, r)
	if reply != nil {
		reply.SetHeader(RequestIDHeader, info.ID)
	}
	return reply
}

func serve(res Resource, r Request) *Reply {
	rt, ok := res.Routes[r.Method()]
	if !ok {
		return MethodNotAllowed(r.Method(), res.Allow())
	}
	if !SafeMethod(r.Method()) && (rt.LoginCSRF || carriesCookie(r, core.CookieNames(rt.Sessions))) {
		reason := "cookie_write"
		if rt.LoginCSRF {
			reason = "login"
		}
		if err := refuseCrossOrigin(r, rt.Sessions, reason); err != nil {
			return Error(err)
		}
	}
	ctx := r.Context()
	if rt.Auth != nil {
		var reply *Reply
		if ctx, reply = rt.Auth.Check(ctx, r); reply != nil {
			return reply
		}
	}
	return call(rt.Handler, ctx, r)
}

func call(h Handler, ctx context.Context, r Request) (reply *Reply) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("httpapi: panic in handler", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			reply = Error(fmt.Errorf("httpapi: panic in handler: %v", p))
		}
	}()
	return h(ctx, r)
}

// sanitizeMethod keeps a client-supplied method printable and short before
// it is echoed in a problem detail.
func sanitizeMethod(m string) string {
	if len(m) > 16 {
		m = m[:16]
	}
	return strings.Map(func(r rune) rune {
		if r < 'A' || r > 'Z' {
			return '?'
		}
		return r
	}, m)
}

// ColonPattern rewrites a pattern's {name} parameters as :name, the syntax
// of gin's and fiber's routers.
func ColonPattern(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(segs, "/")
}

// Prefix returns routes with prefix ("/auth", no trailing slash) before
// each pattern, for mounting a route table such as authapi's under a path
// the application chooses. An empty prefix returns routes as they are.
func Prefix(prefix string, routes []Route) []Route {
	prefix = strings.TrimSuffix(prefix, "/")
	out := make([]Route, len(routes))
	for i, rt := range routes {
		rt.Pattern = prefix + rt.Pattern
		out[i] = rt
	}
	return out
}
