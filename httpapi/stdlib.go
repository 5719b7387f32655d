package httpapi

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"slices"
	"strings"

	"github.com/gobware/gobware/core"
)

// HTTPRequest adapts a *http.Request, as net/http and gin hand it over, to
// Request. params reads path parameters; nil means the route has none.
func HTTPRequest(r *http.Request, params func(name string) string) Request {
	if params == nil {
		return stdRequest{r} // pointer-shaped: no allocation (the guard's case)
	}
	return paramRequest{stdRequest{r}, params}
}

// stdRequest is a *http.Request as a Request without path parameters.
type stdRequest struct{ r *http.Request }

func (q stdRequest) Context() context.Context    { return q.r.Context() }
func (q stdRequest) Method() string              { return q.r.Method }
func (q stdRequest) Host() string                { return q.r.Host }
func (q stdRequest) Header(name string) []string { return q.r.Header.Values(name) }
func (q stdRequest) Body() io.Reader             { return q.r.Body }
func (q stdRequest) Param(name string) string    { return "" }

func (q stdRequest) RemoteIP() string {
	host, _, err := net.SplitHostPort(q.r.RemoteAddr)
	if err != nil {
		return q.r.RemoteAddr
	}
	return host
}

func (q stdRequest) Cookies(name string) []string { return ReadCookies(q.r.Header["Cookie"], name) }

// CookieValue is core.CookieValue's answer, without building a slice.
func (q stdRequest) CookieValue(name string) (string, int) {
	return ReadCookie(q.r.Header["Cookie"], name)
}

// HeaderValue is core.HeaderValue's answer. A canonical name (as every
// caller in gobware passes) is looked up as it is, without canonicalising
// it again.
func (q stdRequest) HeaderValue(name string) (string, int) {
	vs, ok := q.r.Header[name]
	if !ok {
		vs = q.r.Header.Values(name)
	}
	if len(vs) == 0 {
		return "", 0
	}
	return vs[0], len(vs)
}

// paramRequest is a *http.Request whose route has path parameters.
type paramRequest struct {
	stdRequest
	params func(string) string
}

func (q paramRequest) Param(name string) string { return q.params(name) }

// maxCookies is net/http's default bound on the cookies of one request
// (the httpcookiemaxnum setting); past it, net/http reads none.
const maxCookies = 3000

// ReadCookies returns the values of the cookies named name in the Cookie
// header lines, in order, as (*http.Request).CookiesNamed reads them. The
// net/http adapter reads cookies with it, and the fiber adapter too, so
// that every framework reads a Cookie header alike.
func ReadCookies(lines []string, name string) []string {
	if vs, slow := netHTTPCookies(lines, name); slow {
		return vs
	}
	var vs []string
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			if v, ok := cookiePair(part, name); ok {
				vs = append(vs, v)
			}
		}
	}
	return vs
}

// ReadCookie returns the first of ReadCookies(lines, name) and their
// number, without building the slice: what core.CookieValue asks.
func ReadCookie(lines []string, name string) (first string, n int) {
	if vs, slow := netHTTPCookies(lines, name); slow {
		if len(vs) > 0 {
			first = vs[0]
		}
		return first, len(vs)
	}
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			if v, ok := cookiePair(part, name); ok {
				if n == 0 {
					first = v
				}
				n++
			}
		}
	}
	return first, n
}

// cookiePair returns the value of part, one ";"-separated part of a Cookie
// header, if it is a valid cookie named name; name must be a token. It
// reads a pair as net/http does: the part trimmed of ASCII space, then the
// name trimmed; a quoted value unquoted; a value with a byte net/http
// refuses is no cookie.
func cookiePair(part, name string) (string, bool) {
	k, v, _ := strings.Cut(textproto.TrimString(part), "=")
	if textproto.TrimString(k) != name {
		return "", false
	}
	if len(v) > 1 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	return v, validCookieValue(v)
}

// netHTTPCookies reads lines with net/http itself when its rules decide
// more than cookiePair knows: a request with more cookies than net/http's
// default bound (so the bound and its GODEBUG setting apply), or a name
// that is not a token (net/http reads "" as "every cookie"). slow says
// whether it did; the scan of every authenticated request does not build
// an *http.Cookie per cookie.
func netHTTPCookies(lines []string, name string) (vs []string, slow bool) {
	n := 0 // a bound on the number of cookies; counted only when it matters
	for _, line := range lines {
		n += len(line) + 1
	}
	if n > maxCookies {
		n = 0
		for _, line := range lines {
			n += strings.Count(line, ";") + 1
		}
	}
	if n <= maxCookies && token(name) {
		return nil, false
	}
	h := http.Header{"Cookie": slices.Clone(lines)} // a copy: lines stays on the caller's stack
	for _, c := range (&http.Request{Header: h}).CookiesNamed(name) {
		vs = append(vs, c.Value)
	}
	return vs, true
}

// token reports whether s is an HTTP token (RFC 9110 tchar), as a cookie
// name must be.
func token(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

// validCookieValue is net/http's test of a cookie value's bytes.
func validCookieValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if !cookieOctet[v[i]] {
			return false
		}
	}
	return true
}

// tchar and cookieOctet are the byte tables of token and validCookieValue:
// the cookie of every authenticated request goes through them.
var tchar, cookieOctet = func() (t, v [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0
		v[c] = 0x20 <= b && b < 0x7f && b != '"' && b != ';' && b != '\\'
	}
	return t, v
}()

// SetHeaders copies src into dst, replacing values of the same name except
// Set-Cookie, whose values are added.
func SetHeaders(dst, src http.Header) {
	for k, vs := range src {
		if k == "Set-Cookie" {
			dst[k] = append(dst[k], vs...)
		} else {
			dst[k] = append([]string(nil), vs...)
		}
	}
}

// HTTPResponse adapts an http.ResponseWriter to core.Response, for login
// and logout helpers that write a cookie before the handler's own body.
func HTTPResponse(w http.ResponseWriter) core.Response { return httpResponse{w} }

type httpResponse struct{ w http.ResponseWriter }

func (p httpResponse) SetCookie(c *http.Cookie)     { p.w.Header().Add("Set-Cookie", c.String()) }
func (p httpResponse) SetHeader(name, value string) { p.w.Header().Set(name, value) }

// Write sends the reply on w. Its headers replace those of the same name
// already on w, except Set-Cookie, which adds to the cookies a login or
// logout helper may have set before.
func (r *Reply) Write(w http.ResponseWriter) {
	SetHeaders(w.Header(), r.Header)
	w.WriteHeader(r.Status)
	_, _ = w.Write(r.Body)
}
