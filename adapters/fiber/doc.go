// Package fiber exposes gobware to fiber (v2) applications. Import it under
// another name, since it shares fiber's:
//
//	import gobfiber "github.com/gobware/gobware/adapters/fiber"
//
//	app.Get("/account", gobfiber.New(gobfiber.Config{Strategy: auth}), func(c *fiber.Ctx) error {
//		return c.SendString("hello " + gobfiber.UserID(c))
//	})
//
// The middleware follows fiber's own: New(config ...Config) fiber.Handler,
// with Next to skip it and ErrorHandler to answer refusals yourself. The
// Identity is kept in c.Locals and in c.UserContext().
//
// Login and Logout refuse cross-origin requests (login and logout CSRF)
// before touching the store. RequestInfo, registered first, gives every
// request an ID and the client's address, read through trusted proxies only
// (the framework's own proxy settings are not consulted).
//
// fasthttp reuses its buffers once a handler returns, so every value this
// package reads from a request (headers, cookies, parameters, host) is
// copied before gobware keeps it. The package only translates; the
// behaviour lives in httpapi and is shared with net/http and gin.
package fiber
