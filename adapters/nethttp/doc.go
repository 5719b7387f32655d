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
// logout CSRF). RequestInfo, the first middleware, gives every request an
// ID and the client's address (through trusted proxies only); New takes a
// Config whose ErrorHandler renders refusals in the application's format.
// Mount registers an httpapi route table, such as authapi's endpoints,
// under a prefix of a ServeMux, next to the application's own routes;
// NotFound answers unknown paths with problem+json.
//
// The package only translates: the behaviour (cross-origin protection, panic
// recovery, error mapping) lives in httpapi and is shared with the gin and
// fiber adapters.
package nethttp
