// Package httpapi is gobware's HTTP behaviour written once, for every
// framework: the error → problem+json mapping, cross-origin protection for
// cookie-authenticated writes, the authentication guard with panic recovery,
// and the session, token and cart endpoints of the reference API.
//
// Nothing here knows net/http's ServeMux, gin or fiber. An adapter implements
// Request over its framework's request, calls Serve (or Guard.Check for its
// own middleware), and writes the returned Reply. That is all an adapter does,
// so the three frameworks cannot drift apart: one conformance suite checks them.
//
// A Route is a method, a pattern with {name} parameters and a Handler. API
// builds the reference routes from the strategies and stores an application
// configures; Resources groups routes by pattern so that an adapter can answer
// 405 with an Allow header for a known path and a wrong method.
package httpapi
