package gin

import (
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gobware/gobware/httpapi"
)

// Authorize returns middleware that lets a request through only when the
// caller meets every rule (httpapi.Authorize decides); otherwise it aborts
// with problem+json: 401 unauthenticated without an Identity, else the
// first refusing rule's 403. Register it after Require (or New), which
// authenticates:
//
//	admin := api.Group("/admin", gobgin.Require(auth), gobgin.RequireRole("admin"))
func Authorize(rules ...httpapi.Rule) gin.HandlerFunc {
	return func(c *gin.Context) {
		if reply := httpapi.Authorize(c.Request.Context(), rules...); reply != nil {
			reply.Write(c.Writer)
			c.Abort()
			return
		}
		c.Next()
	}
}

// RequireRole is Authorize(httpapi.Role(role)): a caller without role among
// the attributes chosen at login gets 403 forbidden.
func RequireRole(role string) gin.HandlerFunc { return Authorize(httpapi.Role(role)) }

// RequireAttribute is Authorize(httpapi.Attribute(key, value)): a caller
// whose attributes do not hold value under key gets 403 forbidden.
func RequireAttribute(key, value string) gin.HandlerFunc {
	return Authorize(httpapi.Attribute(key, value))
}

// RequireFreshLogin is Authorize(httpapi.FreshLogin(maxAge)): a caller who
// signed in more than maxAge ago gets 403 reauthentication_required, for
// actions that should not be taken with a long-lived session alone. It
// panics unless maxAge is positive.
func RequireFreshLogin(maxAge time.Duration) gin.HandlerFunc {
	return Authorize(httpapi.FreshLogin(maxAge))
}
