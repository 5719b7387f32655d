package httpapi

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/gobware/gobware/core"
)

// HTTPRequest adapts a *http.Request, as net/http and gin hand it over, to
// Request. params reads path parameters; nil means the route has none.
func HTTPRequest(r *http.Request, params func(name string) string) Request {
	return httpRequest{r, params}
}

type httpRequest struct {
	r      *http.Request
	params func(string) string
}

func (q httpRequest) Context() context.Context    { return q.r.Context() }
func (q httpRequest) Method() string              { return q.r.Method }
func (q httpRequest) Host() string                { return q.r.Host }
func (q httpRequest) Header(name string) []string { return q.r.Header.Values(name) }
func (q httpRequest) Body() io.Reader             { return q.r.Body }

func (q httpRequest) Param(name string) string {
	if q.params == nil {
		return ""
	}
	return q.params(name)
}

func (q httpRequest) RemoteIP() string {
	host, _, err := net.SplitHostPort(q.r.RemoteAddr)
	if err != nil {
		return q.r.RemoteAddr
	}
	return host
}

func (q httpRequest) Cookies(name string) []string { return cookieValues(q.r.Header, name) }

// maxCookies is net/http's default bound on the cookies of one request
// (the httpcookiemaxnum setting); past it, net/http reads none.
const maxCookies = 3000

// cookieValues returns the values of the cookies named name in h's Cookie
// headers, in order: what (*http.Request).CookiesNamed returns, without
// building an *http.Cookie for each (it runs on every authenticated
// request). A request with more cookies than net/http's default bound is
// read by net/http itself, so the bound and its GODEBUG setting apply; so
// is a name that is not a token (net/http reads "" as "every cookie").
func cookieValues(h http.Header, name string) []string {
	lines := h["Cookie"]
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
	if n > maxCookies || !token(name) {
		cs := (&http.Request{Header: h}).CookiesNamed(name)
		if len(cs) == 0 {
			return nil
		}
		vs := make([]string, len(cs))
		for i, c := range cs {
			vs[i] = c.Value
		}
		return vs
	}
	var vs []string
	for _, line := range lines {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			// As net/http reads a pair: the part trimmed of ASCII space,
			// then the name trimmed; the name must be a valid token, and
			// name is one, so equality says it all.
			k, v, _ := strings.Cut(textproto.TrimString(part), "=")
			if textproto.TrimString(k) != name {
				continue
			}
			if len(v) > 1 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			if validCookieValue(v) {
				vs = append(vs, v)
			}
		}
	}
	return vs
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
