package fiber

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/gobware/gobware/httpapi"
	"github.com/gofiber/fiber/v2"
)

// request adapts *fiber.Ctx to httpapi.Request. Every string it returns is a
// copy: fasthttp recycles the bytes behind c once the handler returns.
type request struct{ c *fiber.Ctx }

func (q request) Context() context.Context { return q.c.UserContext() }
func (q request) Host() string             { return string(q.c.Request().Host()) }
func (q request) Param(name string) string { return strings.Clone(q.c.Params(name)) }
func (q request) RemoteIP() string         { return q.c.Context().RemoteIP().String() }

// Body returns the body already read by fasthttp; handlers consume it before
// returning, and DecodeJSON copies what it keeps.
func (q request) Body() io.Reader { return bytes.NewReader(q.c.Body()) }

// Method returns the method, without a copy for the standard ones (the
// guard asks on every request).
func (q request) Method() string {
	m := q.c.Method()
	for _, std := range standardMethods {
		if m == std {
			return std
		}
	}
	return strings.Clone(m)
}

var standardMethods = [...]string{
	http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
	http.MethodHead, http.MethodOptions, http.MethodConnect, http.MethodTrace,
}

func (q request) Header(name string) []string {
	raw := q.c.Request().Header.PeekAll(name)
	if len(raw) == 0 {
		return nil
	}
	vs := make([]string, len(raw))
	for i, v := range raw {
		vs[i] = string(v)
	}
	return vs
}

// HeaderValue is core.HeaderValue's answer, copying only the first value.
func (q request) HeaderValue(name string) (string, int) {
	raw := q.c.Request().Header.PeekAll(name)
	if len(raw) == 0 {
		return "", 0
	}
	return string(raw[0]), len(raw)
}

func (q request) Cookies(name string) []string {
	var vs []string
	for k, v := range q.c.Request().Header.Cookies() {
		if string(k) == name {
			vs = append(vs, string(v))
		}
	}
	return vs
}

// CookieValue is core.CookieValue's answer, copying only the first value.
func (q request) CookieValue(name string) (first string, n int) {
	for k, v := range q.c.Request().Header.Cookies() {
		if string(k) == name {
			if n == 0 {
				first = string(v)
			}
			n++
		}
	}
	return first, n
}

// response adapts *fiber.Ctx to core.Response.
type response struct{ c *fiber.Ctx }

func (p response) SetCookie(ck *http.Cookie)    { p.c.Response().Header.Add("Set-Cookie", ck.String()) }
func (p response) SetHeader(name, value string) { p.c.Set(name, value) }

// setHeaders copies h onto c's response, replacing values of the same name
// except Set-Cookie, whose values are added (as httpapi.SetHeaders does).
func setHeaders(c *fiber.Ctx, h http.Header) {
	for k, vs := range h {
		if k != "Set-Cookie" {
			c.Response().Header.Del(k)
		}
		for _, v := range vs {
			c.Response().Header.Add(k, v)
		}
	}
}

// write sends reply on c.
func write(c *fiber.Ctx, reply *httpapi.Reply) error {
	setHeaders(c, reply.Header)
	c.Status(reply.Status)
	if len(reply.Body) == 0 {
		c.Response().ResetBody()
		return nil
	}
	return c.Send(reply.Body)
}
