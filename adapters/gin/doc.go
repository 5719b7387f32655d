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
// Middleware are gin.HandlerFuncs; the Identity is kept in the request's
// context.Context (c.Request.Context()), where Identity and UserID read it
// and code that only has the context finds it too.
// Login and Logout write the session cookie header themselves, with every
// attribute gobware requires, instead of gin's SetCookie, which URL-escapes
// values and cannot set SameSite. Mount registers an httpapi route table,
// such as authapi's endpoints, on an engine or a group (its prefix);
// NotFound and MethodNotAllowed answer the engine's NoRoute and NoMethod
// with problem+json.
//
// Login and Logout refuse cross-origin requests (login and logout CSRF)
// before touching the store, as LoginWith (which also records the login
// method, the attributes and the remember-me choice) and Update (a live
// session changed under a new session ID) do. RequestInfo, registered first, gives every
// request an ID and the client's address, read through trusted proxies only
// (the framework's own proxy settings are not consulted).
//
// RequireRole, RequireAttribute and RequireFreshLogin go after Require and
// decide from the attributes and auth time the login chose: a caller
// without the role gets 403 forbidden, one who signed in too long ago 403
// reauthentication_required (sign in again and retry), a request without
// an Identity 401. Authorize takes any httpapi.Rule:
//
//	admin := r.Group("/admin", gobgin.Require(auth), gobgin.RequireRole("admin"))
//	admin.GET("/users", listUsers)
//	admin.DELETE("/users/:id", gobgin.RequireFreshLogin(15*time.Minute), deleteUser)
//
// A complete handler of an application's own: it reads the user the
// middleware authenticated, calls the cart service, and answers with JSON
// or with the problem for the error (the cart's errors carry their status:
// an unknown SKU is a 404, a bad quantity a 422; a database outage is a
// 503):
//
//	r.POST("/api/cart/items", gobgin.Require(auth), func(c *gin.Context) {
//		var item cart.AddItem // {"sku": "MUG-GOPHER", "quantity": 2}
//		if err := gobgin.DecodeJSON(c, &item); err != nil {
//			gobgin.Error(c, err) // 400 or 413, naming what to fix
//			return
//		}
//		got, err := shop.AddItem(c.Request.Context(), gobgin.UserID(c), item)
//		if err != nil {
//			gobgin.Error(c, err)
//			return
//		}
//		gobgin.JSON(c, http.StatusOK, got)
//	})
//	r.HandleMethodNotAllowed = true
//	r.NoMethod(gobgin.MethodNotAllowed) // problem+json 405 with Allow
//	r.NoRoute(gobgin.NotFound)          // problem+json 404
//
// Pass c.Request.Context() to services: it carries the Identity and the
// request info, and ends when the client goes away. examples/gin in the
// repository is a whole application written so.
//
// The package only translates; the behaviour lives in httpapi and is shared
// with the net/http and fiber adapters.
package gin
