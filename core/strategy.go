package core

import (
	"context"
	"net/http"
	"time"
)

// Identity is what a successful authentication yields. Strategies fill it
// from the credential itself (a session row, a token's claims), so nothing
// beyond the one lookup the credential already costs is read to answer it.
//
// Identity holds a map, so it is not comparable with ==.
type Identity struct {
	// UserID is the authenticated user's identifier, as the application
	// issued it. It is never empty on success.
	UserID string
	// Strategy names the strategy that recognised the credential,
	// for example "cookie" or "jwt".
	Strategy string
	// Method says how the user signed in, as the application named it at
	// login: "password" and "passkey" are gobware's own names (see
	// MethodPassword, MethodPasskey). It is "" when unknown, for example
	// for a credential issued before gobware recorded it.
	Method string
	// AuthTime is when the user last proved who they are (signed in, or
	// passed a step-up check). It is kept across token refreshes and
	// session touches; it is the zero time when unknown, which
	// RequireFreshLogin treats as too old.
	AuthTime time.Time
	// Expires is when this credential stops being accepted: for a session
	// the earlier of its idle and absolute deadlines as of this request;
	// for an access token its exp claim. Zero when the strategy does not
	// know.
	Expires time.Time
	// Attributes are the application values chosen at login (roles under
	// RoleAttribute, a tenant, ...). Nil when there are none. Treat them as
	// read-only: the map may be shared with a cache; Clone it to change it.
	Attributes Attributes
}

// Login methods gobware's own routes record. An application may use any
// other name (see LoginOptions.Method).
const (
	MethodPassword = "password"
	MethodPasskey  = "passkey"
)

// HasRole reports whether id carries role among its RoleAttribute values.
func (id Identity) HasRole(role string) bool {
	return id.Attributes.Has(RoleAttribute, role)
}

// Strategy finds out which user sent a request.
//
// Authenticate returns the Identity behind r, or an error that wraps
// ErrNoCredential, ErrInvalidCredential or ErrUnavailable (anything else is
// treated as an internal failure). Implementations must be safe for
// concurrent use and must not retain r after returning.
type Strategy interface {
	Authenticate(r Request) (Identity, error)
}

// StrategyFunc adapts an ordinary function to the Strategy interface,
// as http.HandlerFunc does for http.Handler.
type StrategyFunc func(r Request) (Identity, error)

// Authenticate calls f(r).
func (f StrategyFunc) Authenticate(r Request) (Identity, error) { return f(r) }

// Request is the read-only view of an incoming HTTP request that strategies
// need. Each adapter implements it over its framework's request type.
//
// Values returned must stay valid after the handler returns: adapters over
// frameworks that reuse buffers (fiber) copy them.
//
// An adapter's request may also have CookieValue(name) (string, int) and
// HeaderValue(name) (string, int) methods, answering CookieValue and
// HeaderValue below without building slices: strategies read their
// credential through those functions on every request.
type Request interface {
	// Context carries cancellation and deadlines for store calls.
	Context() context.Context
	// Method is the upper-case HTTP method.
	Method() string
	// Host is the request's Host header (host[:port]).
	Host() string
	// Header returns every value of the named header, in order.
	// Name matching is case-insensitive.
	Header(name string) []string
	// Cookies returns the values of every cookie with exactly this name,
	// in the order the client sent them. More than one value means the
	// client sent duplicates, which strategies treat as suspicious.
	Cookies(name string) []string
	// RemoteIP is the IP address of the connection's peer, or "". No
	// proxy header is read here; ClientIP(r) gives the client's address
	// with the application's trusted proxies taken into account.
	RemoteIP() string
}

// Response is the part of an HTTP response that strategies write to when
// they issue or clear a credential. Each adapter implements it over its
// framework's response type.
type Response interface {
	// SetCookie adds a Set-Cookie header; c is serialised with c.String().
	SetCookie(c *http.Cookie)
	// SetHeader replaces the named header.
	SetHeader(name, value string)
}

// CookieValue returns the value of the first cookie named name in r and
// how many cookies of that name r carries (strategies treat more than one
// as suspicious, see Request.Cookies). A Request with a CookieValue method
// of the same signature answers itself, without building the slice Cookies
// returns: every gobware adapter's request does, since a session strategy
// asks on every request.
func CookieValue(r Request, name string) (value string, n int) {
	if q, ok := r.(interface{ CookieValue(string) (string, int) }); ok {
		return q.CookieValue(name)
	}
	return firstOf(r.Cookies(name))
}

// HeaderValue returns the first value of the named header in r and how
// many values it has. A Request with a HeaderValue method of the same
// signature answers itself, without building the slice Header returns:
// every gobware adapter's request does, since a token strategy asks on
// every request.
func HeaderValue(r Request, name string) (value string, n int) {
	if q, ok := r.(interface{ HeaderValue(string) (string, int) }); ok {
		return q.HeaderValue(name)
	}
	return firstOf(r.Header(name))
}

// firstOf returns the first of vs, or "", and how many there are.
func firstOf(vs []string) (string, int) {
	if len(vs) == 0 {
		return "", 0
	}
	return vs[0], len(vs)
}

// FirstHeader returns the first value of the named header in r, or "".
func FirstHeader(r Request, name string) string {
	v, _ := HeaderValue(r, name)
	return v
}
