// Package nethttp exposes gobware to net/http servers.
//
// Middleware come in net/http's dialect, func(http.Handler) http.Handler, so
// they compose with ServeMux, chi and anything else that speaks it:
//
//	auth := core.Chain(sessions, tokens)
//	mux.Handle("GET /account", nethttp.Require(auth)(accountHandler))
//
// Inside the handler, nethttp.UserID(r) (or core.FromContext(r.Context()))
// says who is calling. Login and Logout write the session cookie with every
// attribute gobware requires, and refuse cross-origin requests (login and
// logout CSRF); LoginWith also records the login method, the attributes
// (roles) and the remember-me choice, and Update changes a live session
// (a step-up after a second factor) under a new session ID. RequestInfo, the first middleware, gives every request an
// ID and the client's address (through trusted proxies only); New takes a
// Config whose ErrorHandler renders refusals in the application's format.
// Mount registers an httpapi route table, such as authapi's endpoints,
// under a prefix of a ServeMux, next to the application's own routes;
// NotFound answers unknown paths with problem+json.
//
// RequireRole, RequireAttribute and RequireFreshLogin go after Require and
// decide from the attributes and auth time the login chose: a caller
// without the role gets 403 forbidden, one who signed in too long ago 403
// reauthentication_required (sign in again and retry), a request without
// an Identity 401. Authorize takes any httpapi.Rule:
//
//	admin := nethttp.RequireRole("admin")
//	fresh := nethttp.RequireFreshLogin(15 * time.Minute)
//	mux.Handle("GET /admin/users", require(admin(listUsers)))
//	mux.Handle("DELETE /admin/users/{id}", require(admin(fresh(deleteUser))))
//
// A complete handler of an application's own: it reads the user the
// middleware authenticated, calls the cart service, and answers with JSON
// or with the problem for the error (the cart's errors carry their status:
// an unknown SKU is a 404, a bad quantity a 422; a database outage is a
// 503):
//
//	mux.Handle("POST /api/cart/items", nethttp.Require(auth)(http.HandlerFunc(
//		func(w http.ResponseWriter, r *http.Request) {
//			var item cart.AddItem // {"sku": "MUG-GOPHER", "quantity": 2}
//			if err := nethttp.DecodeJSON(r, &item); err != nil {
//				nethttp.Error(w, err) // 400 or 413, naming what to fix
//				return
//			}
//			c, err := shop.AddItem(r.Context(), nethttp.UserID(r), item)
//			if err != nil {
//				nethttp.Error(w, err)
//				return
//			}
//			nethttp.JSON(w, http.StatusOK, c)
//		})))
//	mux.Handle("/", nethttp.NotFound(mux)) // problem+json 404, and 405 with Allow
//
// examples/nethttp in the repository is a whole application written so.
//
// The package only translates: the behaviour (cross-origin protection, panic
// recovery, error mapping) lives in httpapi and is shared with the gin and
// fiber adapters.
package nethttp
