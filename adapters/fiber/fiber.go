package fiber

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gofiber/fiber/v2"
)

// Config configures the middleware.
type Config struct {
	// Strategy authenticates requests; usually a core.Chain. Required.
	Strategy core.Strategy
	// Optional lets requests without a valid credential through
	// anonymously. Default: authentication required.
	Optional bool
	// Next, when it returns true, skips the middleware for that request.
	// Default: nil (never skip).
	Next func(c *fiber.Ctx) bool
	// ErrorHandler answers a refused request in the application's own
	// format. err is an *httpapi.Problem (status, code, client-safe
	// detail) that wraps the cause, so errors.Is(err, core.ErrForbiddenOrigin)
	// and the like work. The response already carries the headers the
	// refusal needs (WWW-Authenticate on a 401, Cache-Control: no-store,
	// X-Request-ID). Default: the problem+json reply every gobware adapter
	// sends.
	ErrorHandler fiber.ErrorHandler
}

// New returns the authentication middleware. It panics without a Strategy,
// as fiber's own middleware do for a missing required setting.
func New(config ...Config) fiber.Handler {
	var cfg Config
	if len(config) > 0 {
		cfg = config[0]
	}
	if cfg.Strategy == nil {
		panic("gobware fiber: Config.Strategy is required")
	}
	g := httpapi.Guard{Strategy: cfg.Strategy, Optional: cfg.Optional}
	return func(c *fiber.Ctx) error {
		if cfg.Next != nil && cfg.Next(c) {
			return c.Next()
		}
		ctx, reply := g.Check(c.UserContext(), request{c})
		c.SetUserContext(ctx)
		switch {
		case reply == nil:
			return c.Next()
		case cfg.ErrorHandler == nil:
			return write(c, reply)
		default:
			h, p := reply.Refusal()
			setHeaders(c, h)
			return cfg.ErrorHandler(c, p)
		}
	}
}

// RequestInfo returns middleware that names each request for everything
// after it: a request ID (the client's plain X-Request-ID, else a new one,
// sent back in X-Request-ID) and the client's address, read through the
// trusted proxies (none by default: the connection's peer). fiber's own
// ProxyHeader and c.IP are not consulted, so a client cannot choose its
// address by sending a header. Register it first (app.Use): the guard,
// Login and Logout, the login limiter, the recorded session IP and every
// security event then use that address.
func RequestInfo(trusted httpapi.TrustedProxies) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, info := httpapi.WithRequestInfo(c.UserContext(), request{c}, trusted)
		c.SetUserContext(ctx)
		c.Set(httpapi.RequestIDHeader, info.ID)
		return c.Next()
	}
}

// Identity returns the caller's Identity and whether the request is
// authenticated. The middleware keeps it in c.UserContext()
// (core.FromContext), and nowhere else: a copy in c.Locals would cost every
// request a boxed identity.
func Identity(c *fiber.Ctx) (core.Identity, bool) {
	return core.FromContext(c.UserContext())
}

// UserID returns the authenticated user's ID, or "".
func UserID(c *fiber.Ctx) string {
	id, _ := Identity(c)
	return id.UserID
}

// Login starts a new session for userID with s (a *cookie.Strategy) and
// sets its cookie on the response, ending any session the request carried.
// A cross-origin request is refused with an error wrapping
// core.ErrForbiddenOrigin before the store is touched or a cookie is set
// (login CSRF). See httpapi.Login.
func Login(c *fiber.Ctx, s httpapi.Sessions, userID string) error {
	return httpapi.Login(request{c}, response{c}, s, userID)
}

// LoginWith is Login recording how the user signed in (opts.Method), the
// attributes the session carries (roles, a tenant) and, when opts.Remember
// is set, whether the cookie persists. See httpapi.LoginWith.
func LoginWith(c *fiber.Ctx, s httpapi.Sessions, userID string, opts core.LoginOptions) error {
	return httpapi.LoginWith(request{c}, response{c}, s, userID, opts)
}

// Update changes the request's live session as u says (new attributes; a
// step-up with u.Reauthenticated), gives it a new ID atomically, sets the
// new cookie and returns the session's new Identity (the one Identity(c)
// returns is from before the update). See httpapi.Update.
func Update(c *fiber.Ctx, s httpapi.Sessions, u core.SessionUpdate) (core.Identity, error) {
	return httpapi.Update(request{c}, response{c}, s, u)
}

// Logout ends the request's session, if any, and expires its cookie. A
// cross-origin request is refused like a login, with no cookie set.
func Logout(c *fiber.Ctx, s httpapi.Sessions) error {
	return httpapi.Logout(request{c}, response{c}, s)
}

// Mount registers routes, such as those of authapi.API, on r: the app, or
// a group for a prefix (gobfiber.Mount(app.Group("/auth"), auth.Routes())).
// Each path is one native route answering every method: one it does not
// serve gets a problem+json 405 with Allow. Other paths go on to the
// routes and middleware registered after; end with app.Use(NotFound) for a
// problem+json 404.
func Mount(r fiber.Router, routes []httpapi.Route) {
	for _, res := range httpapi.Resources(routes) {
		r.All(httpapi.ColonPattern(res.Pattern), func(c *fiber.Ctx) error {
			return write(c, httpapi.Serve(res, request{c}))
		})
	}
}

// NotFound answers what nothing else served with problem+json: a 405
// with Allow when the app has routes for the path with other methods
// (app.Get("/api/me") and a PATCH), else a 404. Register it last, with
// app.Use(gobfiber.NotFound).
func NotFound(c *fiber.Ctx) error {
	if allow := allowed(c); len(allow) > 0 {
		return write(c, httpapi.MethodNotAllowed(c.Method(), strings.Join(allow, ", ")))
	}
	return write(c, httpapi.NotFound())
}

// allowed returns the sorted methods of c.App()'s routes (middleware left
// out) whose path matches c's.
func allowed(c *fiber.Ctx) []string {
	path := c.Path()
	seen := map[string]bool{}
	for _, rt := range c.App().GetRoutes(true) {
		if rt.Method != c.Method() && !seen[rt.Method] && matches(rt.Path, path) {
			seen[rt.Method] = true
		}
	}
	allow := make([]string, 0, len(seen))
	for m := range seen {
		allow = append(allow, m)
	}
	slices.Sort(allow)
	return allow
}

// matches reports whether path matches a route pattern of fiber's syntax
// as gobware's routes use it: literal segments and :name parameters
// (a non-empty segment), and a trailing * (anything).
func matches(pattern, path string) bool {
	ps, segs := strings.Split(pattern, "/"), strings.Split(path, "/")
	for i, p := range ps {
		if p == "*" && i == len(ps)-1 {
			return true
		}
		if i >= len(segs) {
			return false
		}
		if strings.HasPrefix(p, ":") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if p != segs[i] {
			return false
		}
	}
	return len(ps) == len(segs)
}

// JSON sends v as the JSON body of a status reply, with the headers of
// every gobware reply (Cache-Control: no-store, nosniff).
func JSON(c *fiber.Ctx, status int, v any) error {
	return write(c, httpapi.JSON(status, v))
}

// DecodeJSON reads the request's JSON body into v, strictly
// (httpapi.DecodeJSON). Return its error from the handler: ErrorHandler
// answers it with a 400 or 413 problem naming what to fix.
func DecodeJSON(c *fiber.Ctx, v any) error {
	return httpapi.DecodeJSON(request{c}, v)
}

// ErrorHandler is a fiber.Config.ErrorHandler that answers errors fiber
// itself raises (a body over BodyLimit, a malformed request) with the same
// problem+json as gobware's own, so a fiber app never leaks plain text.
func ErrorHandler(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code := map[int]string{
			http.StatusRequestEntityTooLarge: httpapi.CodePayloadTooLarge,
			http.StatusNotFound:              httpapi.CodeNotFound,
			http.StatusMethodNotAllowed:      httpapi.CodeMethodNotAllowed,
		}[fe.Code]
		if code == "" && fe.Code < 500 {
			code = httpapi.CodeBadRequest
		}
		if code != "" {
			return write(c, httpapi.Error(httpapi.NewProblem(fe.Code, code, http.StatusText(fe.Code)+".")))
		}
	}
	return write(c, httpapi.Error(err))
}
