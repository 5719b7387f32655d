package httpapi

import (
	"context"
	"io"
	"net"
	"net/http"

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

func (q httpRequest) Cookies(name string) []string {
	cs := q.r.CookiesNamed(name)
	if len(cs) == 0 {
		return nil
	}
	vs := make([]string, len(cs))
	for i, c := range cs {
		vs[i] = c.Value
	}
	return vs
}

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
