// Package gin exposes gobware to gin applications. Import it under another
// name, since it shares gin's:
//
//	import gobgin "github.com/gobware/gobware/adapters/gin"
//
//	auth := core.Chain(sessions, tokens)
//	r.GET("/account", gobgin.Require(auth), func(c *gin.Context) {
//		c.String(200, "hello %s", gobgin.UserID(c))
//	})
//
// Middleware are gin.HandlerFuncs; the Identity is kept on the *gin.Context
// (and in the request's context.Context, for code that only has that).
// Login and Logout write the session cookie header themselves, with every
// attribute gobware requires, instead of gin's SetCookie, which URL-escapes
// values and cannot set SameSite. Mount registers an httpapi route table,
// such as authapi's endpoints, on an engine or a group (its prefix);
// NotFound and MethodNotAllowed answer the engine's NoRoute and NoMethod
// with problem+json.
//
// Login and Logout refuse cross-origin requests (login and logout CSRF)
// before touching the store. RequestInfo, registered first, gives every
// request an ID and the client's address, read through trusted proxies only
// (the framework's own proxy settings are not consulted).
//
// The package only translates; the behaviour lives in httpapi and is shared
// with the net/http and fiber adapters.
package gin
