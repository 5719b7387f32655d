package gin

import (
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
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
	// format; the middleware aborts the chain after it. err is an
	// *httpapi.Problem (status, code, client-safe detail) that wraps the
	// cause, so errors.Is(err, core.ErrForbiddenOrigin) and the like work.
	// The response already carries the headers the refusal needs
	// (WWW-Authenticate on a 401, Cache-Control: no-store, X-Request-ID).
	// Default: the problem+json reply every gobware adapter sends.
	ErrorHandler func(c *gin.Context, err error)
}

// New returns middleware that lets a request through only when
// cfg.Strategy authenticates it (or, with cfg.Optional, anonymously);
// otherwise it aborts with problem+json (or cfg.ErrorHandler): 401, 403,
// 503 or 500, as httpapi.Guard decides. It panics without a Strategy.
func New(cfg Config) gin.HandlerFunc {
	if cfg.Strategy == nil {
		panic("gobware gin: Config.Strategy is required")
	}
	g := httpapi.Guard{Strategy: cfg.Strategy, Optional: cfg.Optional}
	return func(c *gin.Context) {
		ctx, reply := g.Check(c.Request.Context(), httpapi.HTTPRequest(c.Request, nil))
		c.Request = c.Request.WithContext(ctx)
		switch {
		case reply == nil:
			c.Next()
		case cfg.ErrorHandler == nil:
			reply.Write(c.Writer)
			c.Abort()
		default:
			h, p := reply.Refusal()
			httpapi.SetHeaders(c.Writer.Header(), h)
			cfg.ErrorHandler(c, p)
			c.Abort()
		}
	}
}

// Require is New(Config{Strategy: s}).
func Require(s core.Strategy) gin.HandlerFunc { return New(Config{Strategy: s}) }

// Optional is New(Config{Strategy: s, Optional: true}).
func Optional(s core.Strategy) gin.HandlerFunc {
	return New(Config{Strategy: s, Optional: true})
}

// RequestInfo returns middleware that names each request for everything
// after it: a request ID (the client's plain X-Request-ID, else a new one,
// sent back in X-Request-ID) and the client's address, read through the
// trusted proxies (none by default: the connection's peer). gin's own
// ClientIP and its trusted-proxy settings are not consulted. Register it
// first (engine.Use): the guard, Login and Logout, the login limiter, the
// recorded session IP and every security event then use that address.
func RequestInfo(trusted httpapi.TrustedProxies) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, info := httpapi.WithRequestInfo(c.Request.Context(), httpapi.HTTPRequest(c.Request, nil), trusted)
		c.Request = c.Request.WithContext(ctx)
		c.Header(httpapi.RequestIDHeader, info.ID)
		c.Next()
	}
}

// Identity returns the caller's Identity and whether the request is
// authenticated. The middleware keeps it in the request's context
// (core.FromContext(c.Request.Context())), and nowhere else: a copy in
// c.Keys would cost every request a map and a boxed identity.
func Identity(c *gin.Context) (core.Identity, bool) {
	return core.FromContext(c.Request.Context())
}

// UserID returns the authenticated user's ID, or "".
func UserID(c *gin.Context) string {
	id, _ := Identity(c)
	return id.UserID
}

// Login starts a new session for userID with s (a *cookie.Strategy) and
// sets its cookie on the response. A cross-origin request is refused with
// an error wrapping core.ErrForbiddenOrigin before the store is touched or
// a cookie is set (login CSRF). See httpapi.Login.
func Login(c *gin.Context, s httpapi.Sessions, userID string) error {
	return httpapi.Login(request(c), httpapi.HTTPResponse(c.Writer), s, userID)
}

// LoginWith is Login recording how the user signed in (opts.Method), the
// attributes the session carries (roles, a tenant) and, when opts.Remember
// is set, whether the cookie persists. See httpapi.LoginWith.
func LoginWith(c *gin.Context, s httpapi.Sessions, userID string, opts core.LoginOptions) error {
	return httpapi.LoginWith(request(c), httpapi.HTTPResponse(c.Writer), s, userID, opts)
}

// Update changes the request's live session as u says (new attributes; a
// step-up with u.Reauthenticated), gives it a new ID atomically, sets the
// new cookie and returns the session's new Identity (the one Identity(c)
// returns is from before the update). See httpapi.Update.
func Update(c *gin.Context, s httpapi.Sessions, u core.SessionUpdate) (core.Identity, error) {
	return httpapi.Update(request(c), httpapi.HTTPResponse(c.Writer), s, u)
}

// Logout ends the request's session, if any, and expires its cookie. A
// cross-origin request is refused like a login, with no cookie set.
func Logout(c *gin.Context, s httpapi.Sessions) error {
	return httpapi.Logout(request(c), httpapi.HTTPResponse(c.Writer), s)
}

// Mount registers routes, such as those of authapi.API, on r: an engine,
// or a group for a prefix (gobgin.Mount(engine.Group("/auth"),
// auth.Routes())). Each route is one native gin route of its method (a GET
// route answers HEAD too). A path with another method, or a path no route
// serves, is left to the engine's NoMethod and NoRoute: set them to
// MethodNotAllowed and NotFound for problem+json answers.
func Mount(r gin.IRouter, routes []httpapi.Route) {
	for _, res := range httpapi.Resources(routes) {
		for method := range res.Routes {
			r.Handle(method, httpapi.ColonPattern(res.Pattern), func(c *gin.Context) {
				httpapi.Serve(res, request(c)).Write(c.Writer)
			})
		}
	}
}

// NotFound answers a problem+json 404 (code not_found): the engine's
// NoRoute handler for applications that answer like gobware everywhere.
func NotFound(c *gin.Context) {
	httpapi.NotFound().Write(c.Writer)
	c.Abort()
}

// MethodNotAllowed answers a problem+json 405 (code method_not_allowed)
// with the Allow header gin computed, sorted: the engine's NoMethod handler,
// with engine.HandleMethodNotAllowed set.
func MethodNotAllowed(c *gin.Context) {
	allow := strings.Split(c.Writer.Header().Get("Allow"), ", ")
	slices.Sort(allow)
	reply := httpapi.MethodNotAllowed(c.Request.Method, strings.Join(allow, ", "))
	reply.Write(c.Writer)
	c.Abort()
}

// JSON writes v as the JSON body of a status reply, with the headers of
// every gobware reply (Cache-Control: no-store, nosniff).
func JSON(c *gin.Context, status int, v any) {
	httpapi.JSON(status, v).Write(c.Writer)
}

// Error writes the problem+json reply for err (httpapi.ProblemFor) and
// aborts the chain: a cart.ErrUnknownProduct is a 404, a store outage a
// 503, an unknown failure a 500 whose cause is logged, never shown.
func Error(c *gin.Context, err error) {
	httpapi.Error(err).Write(c.Writer)
	c.Abort()
}

// DecodeJSON reads the request's JSON body into v, strictly
// (httpapi.DecodeJSON): the error it returns, for Error, is a 400 or 413
// problem naming what to fix. Use it instead of c.BindJSON, which accepts
// unknown and duplicate fields.
func DecodeJSON(c *gin.Context, v any) error {
	return httpapi.DecodeJSON(request(c), v)
}

func request(c *gin.Context) httpapi.Request { return httpapi.HTTPRequest(c.Request, c.Param) }
