// Package authapi is gobware's ready-made authentication endpoints: log in
// and out with a session cookie, list and end one's sessions, log out
// everywhere, issue, refresh and revoke bearer tokens, and name the caller
// (me), add passkeys and sign in with them (PasskeyRoutes, with a
// passkey.Service), with the login limiter and device tokens in front of
// every password check. docs/API.md describes each endpoint.
//
// An API is built from the parts an application has (Sessions, Tokens,
// Limiter, Devices) and a small user directory (Users). Its routes are an
// httpapi route table with relative patterns, which an adapter mounts
// under the prefix the application chooses, next to its own routes:
//
//	auth := &authapi.API{Users: users, Sessions: sessions, Tokens: tokens, Limiter: logins}
//	nethttp.Mount(mux, "/auth", auth.Routes())          // net/http
//	gobgin.Mount(engine.Group("/auth"), auth.Routes())  // gin
//	gobfiber.Mount(app.Group("/auth"), auth.Routes())   // fiber
//
// SessionRoutes, TokenRoutes, PasskeyRoutes, AdminRoutes and MeRoutes
// mount one part alone. Attributes chooses what every login carries (roles,
// a tenant: Identity.Attributes, no lookup afterwards); AdminRoutes lets
// callers with the role AdminRole list any user's sessions and log that
// user out everywhere, the latter only with a sign-in younger than
// FreshLogin. The
// application's own routes use auth.Strategy() with the adapter's Require,
// so that a session cookie and a bearer token both work there.
//
// The adapters themselves never import this package: an application that
// writes its own login handler (with the adapter's Login and Logout) does
// not compile in the token library or the limiter.
package authapi
