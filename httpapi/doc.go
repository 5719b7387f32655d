// Package httpapi is gobware's HTTP behaviour written once, for every
// framework: the error → problem+json mapping, cross-origin protection for
// cookie-authenticated writes, the authentication guard with panic recovery,
// the client's address behind trusted proxies, request IDs, strict JSON
// bodies, and route tables that adapters mount. It depends on core and the
// standard library only, so an adapter compiles in no store, token library
// or domain code.
//
// Nothing here knows net/http's ServeMux, gin or fiber. An adapter implements
// Request over its framework's request, calls Serve (or Guard.Check for its
// own middleware), and writes the returned Reply. That is all an adapter does,
// so the three frameworks cannot drift apart: one conformance suite checks them.
//
// A Route is a method, a pattern with {name} parameters and a Handler.
// Packages such as authapi build route tables; Prefix moves one under a
// path, and Resources groups routes by pattern so that an adapter can answer
// 405 with an Allow header for a known path and a wrong method.
//
// Authorize decides, after a Guard, whether the caller meets Rules (a role,
// an attribute, a recent sign-in: Role, Attribute, FreshLogin); the
// adapters' RequireRole, RequireAttribute and RequireFreshLogin middleware
// only write its reply.
//
// Errors become problems in ProblemFor, the one place that maps them:
// core's errors, an error that says how long to wait (429 with
// Retry-After), and a ClientError, which a domain package such as cart
// implements on its own errors without importing this package.
package httpapi
