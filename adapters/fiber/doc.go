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
// Identity is kept in c.UserContext(), where Identity and UserID read it.
// Mount registers an
// httpapi route table, such as authapi's endpoints, on the app or a group
// (its prefix); NotFound, registered last, answers unknown paths with
// problem+json.
//
// Login and Logout refuse cross-origin requests (login and logout CSRF)
// before touching the store, as LoginWith (which also records the login
// method, the attributes and the remember-me choice) and Update (a live
// session changed under a new session ID) do. RequestInfo, registered first, gives every
// request an ID and the client's address, read through trusted proxies only
// (the framework's own proxy settings are not consulted).
//
// RequireRole, RequireAttribute and RequireFreshLogin go after New and
// decide from the attributes and auth time the login chose: a caller
// without the role gets 403 forbidden, one who signed in too long ago 403
// reauthentication_required (sign in again and retry), a request without
// an Identity 401. Authorize takes any httpapi.Rule:
//
//	admin := app.Group("/admin", gobfiber.New(gobfiber.Config{Strategy: auth}), gobfiber.RequireRole("admin"))
//	admin.Get("/users", listUsers)
//	admin.Delete("/users/:id", gobfiber.RequireFreshLogin(15*time.Minute), deleteUser)
//
// A complete handler of an application's own: it reads the user the
// middleware authenticated, calls the cart service, and returns the
// error, which ErrorHandler answers with its problem (the cart's errors
// carry their status: an unknown SKU is a 404, a bad quantity a 422; a
// database outage is a 503):
//
//	app := fiber.New(fiber.Config{ErrorHandler: gobfiber.ErrorHandler, BodyLimit: httpapi.MaxBodySize})
//	app.Post("/api/cart/items", gobfiber.New(gobfiber.Config{Strategy: auth}), func(c *fiber.Ctx) error {
//		var item cart.AddItem // {"sku": "MUG-GOPHER", "quantity": 2}
//		if err := gobfiber.DecodeJSON(c, &item); err != nil {
//			return err // 400 or 413, naming what to fix
//		}
//		got, err := shop.AddItem(c.UserContext(), gobfiber.UserID(c), item)
//		if err != nil {
//			return err
//		}
//		return gobfiber.JSON(c, http.StatusOK, got)
//	})
//	app.Use(gobfiber.NotFound) // last: problem+json 404, and 405 with Allow
//
// BodyLimit matters on fiber: fasthttp allocates a body's declared length
// before reading it, so a limit above gobware's 1 MiB lets clients pin
// memory they never send. examples/fiber in the repository is a whole
// application written so.
//
// fasthttp reuses its buffers once a handler returns, so every value this
// package reads from a request (headers, cookies, parameters, host) is
// copied before gobware keeps it. The package only translates; the
// behaviour lives in httpapi and is shared with net/http and gin.
//
// # fasthttp version
//
// gobware requires fasthttp v1.79.0, newer than the v1.51.0 that fiber v2
// pins, because the older server accepts requests that net/http refuses and
// that two readers may understand differently: two Host headers, an
// HTTP/1.1 request without Host, two different Content-Length headers, and
// a bare CR or a NUL in a header value. Cross-origin protection compares
// Origin with Host, so an ambiguous Host must never reach it. The newer
// release answers all of these with 400 before fiber routes the request,
// as net/http does; the example servers' conformance suite checks it over a
// raw socket. Keep fasthttp at least at that version in your own go.mod.
package fiber
