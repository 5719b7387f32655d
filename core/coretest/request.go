package coretest

import (
	"context"
	"net/http"
)

// Request is a core.Request whose answers are its fields. Its zero value is
// a GET request with no host, headers, cookies or address, on
// context.Background().
//
// The fields cannot share the names of the core.Request methods they
// feed, so they are spelled HTTPMethod, HTTPHost, Headers and IP.
type Request struct {
	// Ctx is returned by Context. If nil, context.Background() is used.
	Ctx context.Context
	// HTTPMethod is returned by Method. If empty, "GET" is used.
	HTTPMethod string
	// HTTPHost is returned by Host, as is: host[:port].
	HTTPHost string
	// Headers feeds Header, which matches names case-insensitively as
	// http.Header.Values does. AddHeader fills it.
	Headers http.Header
	// IP is returned by RemoteIP, as is.
	IP string

	cookies [][2]string // name, value, in the order the client sent them
}

// AddHeader adds value to the named header and returns r, so that a request
// can be built in one expression.
func (r *Request) AddHeader(name, value string) *Request {
	if r.Headers == nil {
		r.Headers = http.Header{}
	}
	r.Headers.Add(name, value)
	return r
}

// AddCookie adds a cookie after those already added and returns r. Adding
// the same name twice is how a test sends duplicate cookies.
func (r *Request) AddCookie(name, value string) *Request {
	r.cookies = append(r.cookies, [2]string{name, value})
	return r
}

// Context returns r.Ctx, or context.Background() if it is nil.
func (r *Request) Context() context.Context {
	if r.Ctx == nil {
		return context.Background()
	}
	return r.Ctx
}

// Method returns r.HTTPMethod, or "GET" if it is empty.
func (r *Request) Method() string {
	if r.HTTPMethod == "" {
		return http.MethodGet
	}
	return r.HTTPMethod
}

// Host returns r.HTTPHost.
func (r *Request) Host() string { return r.HTTPHost }

// Header returns every value of the named header in r.Headers.
func (r *Request) Header(name string) []string { return r.Headers.Values(name) }

// Cookies returns the values of the cookies added with this exact name, in
// the order they were added.
func (r *Request) Cookies(name string) []string {
	var out []string
	for _, c := range r.cookies {
		if c[0] == name {
			out = append(out, c[1])
		}
	}
	return out
}

// RemoteIP returns r.IP.
func (r *Request) RemoteIP() string { return r.IP }
