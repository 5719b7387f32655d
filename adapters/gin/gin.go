package gin

import (
	"github.com/gin-gonic/gin"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
)

// IdentityKey is the key under which the middleware stores the
// core.Identity on the *gin.Context.
const IdentityKey = "gobware.identity"

// Require returns middleware that lets a request through only when s
// authenticates it; otherwise it aborts with problem+json (401, 403, 503
// or 500, as httpapi.Guard decides).
func Require(s core.Strategy) gin.HandlerFunc {
	return guard(httpapi.Guard{Strategy: s})
}

// Optional is like Require but lets requests without a valid credential
// through anonymously; UserID then returns "".
func Optional(s core.Strategy) gin.HandlerFunc {
	return guard(httpapi.Guard{Strategy: s, Optional: true})
}

func guard(g httpapi.Guard) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, reply := g.Check(c.Request.Context(), request(c))
		if reply != nil {
			reply.Write(c.Writer)
			c.Abort()
			return
		}
		if id, ok := core.FromContext(ctx); ok {
			c.Set(IdentityKey, id)
			c.Request = c.Request.WithContext(ctx)
		}
		c.Next()
	}
}

// Identity returns the caller's Identity and whether the request is authenticated.
func Identity(c *gin.Context) (core.Identity, bool) {
	v, ok := c.Get(IdentityKey)
	id, _ := v.(core.Identity)
	return id, ok
}

// UserID returns the authenticated user's ID, or "".
func UserID(c *gin.Context) string {
	id, _ := Identity(c)
	return id.UserID
}

// Login starts a new session for userID and sets its cookie on the
// response, ending any session the request carried.
func Login(c *gin.Context, s *cookie.Strategy, userID string) error {
	return s.Login(request(c), httpapi.HTTPResponse(c.Writer), userID)
}

// Logout ends the request's session, if any, and expires its cookie.
func Logout(c *gin.Context, s *cookie.Strategy) error {
	return s.Logout(request(c), httpapi.HTTPResponse(c.Writer))
}

// Mount serves routes, such as those of httpapi.API, on e: one native
// route per pattern, problem+json for unknown paths (404) and for known
// paths with another method (405).
func Mount(e *gin.Engine, routes []httpapi.Route) {
	resources := httpapi.Resources(routes)
	for _, res := range resources {
		e.Any(httpapi.ColonPattern(res.Pattern), func(c *gin.Context) {
			httpapi.Serve(res, request(c)).Write(c.Writer)
		})
	}
	// Any covers the standard methods; another method reaches NoMethod,
	// where gin has already listed every method it routes in Allow.
	e.HandleMethodNotAllowed = true
	e.NoMethod(func(c *gin.Context) {
		c.Writer.Header().Del("Allow")
		if res, ok := httpapi.Lookup(resources, c.Request.URL.Path); ok {
			httpapi.Serve(res, request(c)).Write(c.Writer)
			return
		}
		httpapi.NotFound().Write(c.Writer)
	})
	e.NoRoute(func(c *gin.Context) { httpapi.NotFound().Write(c.Writer) })
}

func request(c *gin.Context) httpapi.Request { return httpapi.HTTPRequest(c.Request, c.Param) }
