package fiber

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"unsafe"

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

// Cookies reads the Cookie headers as net/http does (httpapi.ReadCookies),
// so that a cookie means the same on every framework.
func (q request) Cookies(name string) []string {
	var one [1]string
	vs := httpapi.ReadCookies(q.cookieLines(&one), name)
	for i, v := range vs {
		vs[i] = strings.Clone(v)
	}
	return vs
}

// CookieValue is core.CookieValue's answer, copying only the first value.
func (q request) CookieValue(name string) (string, int) {
	var one [1]string
	first, n := httpapi.ReadCookie(q.cookieLines(&one), name)
	return strings.Clone(first), n
}

// cookieLines returns the request's Cookie header lines as strings viewing
// fasthttp's buffers, valid only until the handler returns: callers copy
// what they keep. One line, the usual case, goes in *one.
func (q request) cookieLines(one *[1]string) []string {
	raw := q.c.Request().Header.PeekAll(fiber.HeaderCookie)
	if len(raw) == 1 {
		one[0] = unsafeString(raw[0])
		return one[:]
	}
	lines := make([]string, len(raw))
	for i, b := range raw {
		lines[i] = unsafeString(b)
	}
	return lines
}

// unsafeString views b as a string without copying it.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

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
