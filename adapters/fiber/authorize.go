package fiber

import (
	"time"

	"github.com/gobware/gobware/httpapi"
	"github.com/gofiber/fiber/v2"
)

// Authorize returns middleware that lets a request through only when the
// caller meets every rule (httpapi.Authorize decides); otherwise it answers
// with problem+json: 401 unauthenticated without an Identity, else the
// first refusing rule's 403. Register it after New, which authenticates:
//
//	admin := api.Group("/admin", gobfiber.New(gobfiber.Config{Strategy: auth}), gobfiber.RequireRole("admin"))
func Authorize(rules ...httpapi.Rule) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if reply := httpapi.Authorize(c.UserContext(), rules...); reply != nil {
			return write(c, reply)
		}
		return c.Next()
	}
}

// RequireRole is Authorize(httpapi.Role(role)): a caller without role among
// the attributes chosen at login gets 403 forbidden.
func RequireRole(role string) fiber.Handler { return Authorize(httpapi.Role(role)) }

// RequireAttribute is Authorize(httpapi.Attribute(key, value)): a caller
// whose attributes do not hold value under key gets 403 forbidden.
func RequireAttribute(key, value string) fiber.Handler {
	return Authorize(httpapi.Attribute(key, value))
}

// RequireFreshLogin is Authorize(httpapi.FreshLogin(maxAge)): a caller who
// signed in more than maxAge ago gets 403 reauthentication_required, for
// actions that should not be taken with a long-lived session alone. It
// panics unless maxAge is positive.
func RequireFreshLogin(maxAge time.Duration) fiber.Handler {
	return Authorize(httpapi.FreshLogin(maxAge))
}
