package fiber

import (
	"errors"
	"net/http"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gofiber/fiber/v2"
)

// IdentityKey is the c.Locals key under which the middleware stores the
// core.Identity.
const IdentityKey = "gobware.identity"

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
	// ErrorHandler answers a refused request. err is an *httpapi.Problem.
	// Default: the problem+json reply every gobware adapter sends.
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
		if reply != nil {
			if cfg.ErrorHandler != nil {
				return cfg.ErrorHandler(c, reply.Problem)
			}
			return write(c, reply)
		}
		if id, ok := core.FromContext(ctx); ok {
			c.Locals(IdentityKey, id)
			c.SetUserContext(ctx)
		}
		return c.Next()
	}
}

// Identity returns the caller's Identity and whether the request is authenticated.
func Identity(c *fiber.Ctx) (core.Identity, bool) {
	id, ok := c.Locals(IdentityKey).(core.Identity)
	return id, ok
}

// UserID returns the authenticated user's ID, or "".
func UserID(c *fiber.Ctx) string {
	id, _ := Identity(c)
	return id.UserID
}

// Login starts a new session for userID and sets its cookie on the
// response, ending any session the request carried.
func Login(c *fiber.Ctx, s *cookie.Strategy, userID string) error {
	return s.Login(request{c}, response{c}, userID)
}

// Logout ends the request's session, if any, and expires its cookie.
func Logout(c *fiber.Ctx, s *cookie.Strategy) error {
	return s.Logout(request{c}, response{c})
}

// Mount serves routes, such as those of httpapi.API, on app: one native
// route per pattern, problem+json 405 for a known path with another method,
// and a problem+json 404 for anything else (register your own routes first).
func Mount(app *fiber.App, routes []httpapi.Route) {
	for _, res := range httpapi.Resources(routes) {
		app.All(httpapi.ColonPattern(res.Pattern), func(c *fiber.Ctx) error {
			return write(c, httpapi.Serve(res, request{c}))
		})
	}
	app.Use(func(c *fiber.Ctx) error { return write(c, httpapi.NotFound()) })
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
