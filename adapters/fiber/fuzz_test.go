package fiber_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gofiber/fiber/v2"
)

// fuzzUsers knows alice / alice-password.
type fuzzUsers struct{}

func (fuzzUsers) Verify(_ context.Context, name, password string) (string, error) {
	if name == "alice" && password == "alice-password" {
		return "1", nil
	}
	return "", core.ErrInvalidCredential
}
func (fuzzUsers) Name(context.Context, string) (string, error) { return "alice", nil }

var (
	fuzzMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}
	fuzzPaths   = []string{"/api/me", "/api/session", "/api/sessions", "/api/sessions/x", "/api/token", "/api/token/refresh", "/private", "/public", "/nothing"}
)

// FuzzHeaders sends requests with arbitrary Cookie, Authorization, Origin,
// Sec-Fetch-Site, Content-Type and Host headers through Mount (the
// reference API) and through New, required and optional. Requests go
// through app.Test, that is, over fasthttp's own request parser. Nothing may panic, and
// no input may produce a 5xx: garbage is the client's fault.
func FuzzHeaders(f *testing.F) {
	quiet := func(context.Context, core.Event) {}
	sessions, err := cookie.New([][]byte{[]byte("fuzz session key, exactly 32 by.")}, cookie.NewMemoryStore(), cookie.Options{Events: quiet})
	if err != nil {
		f.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{[]byte("fuzz access key, exactly 32 byte")}, jwt.NewMemoryStore(), jwt.Options{Events: quiet})
	if err != nil {
		f.Fatal(err)
	}
	api := &httpapi.API{Users: fuzzUsers{}, Sessions: sessions, Tokens: tokens}
	auth := api.Strategy()
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: gobfiber.ErrorHandler, ReadBufferSize: 64 << 10})
	ok := func(c *fiber.Ctx) error { return c.SendStatus(http.StatusNoContent) }
	app.All("/private", gobfiber.New(gobfiber.Config{Strategy: auth}), ok)
	app.All("/public", gobfiber.New(gobfiber.Config{Strategy: auth, Optional: true}), ok)
	gobfiber.Mount(app, api.Routes())
	serve := func(r *http.Request) (*http.Response, error) { return app.Test(r, -1) }

	// A real cookie and token, so that mutations start from valid credentials.
	login := httptest.NewRequest("POST", "/api/session", strings.NewReader(`{"username":"alice","password":"alice-password"}`))
	login.Header.Set("Content-Type", "application/json")
	res, err := serve(login)
	if err != nil {
		f.Fatal(err)
	}
	goodCookie, _, _ := strings.Cut(res.Header.Get("Set-Cookie"), ";")
	pair, err := tokens.Issue(context.Background(), "1")
	if err != nil || goodCookie == "" {
		f.Fatalf("setup: cookie %q, %v", goodCookie, err)
	}
	name := sessions.CookieName()
	for _, s := range []struct{ cookie, authz, origin, site, ctype, host string }{
		{goodCookie, "", "", "", "", "shop.example"},
		{goodCookie + "; " + goodCookie, "", "", "", "", "shop.example"},
		{name + "=" + strings.Repeat("A", 5000), "", "", "", "", "shop.example"},
		{name + "=..", "", "", "", "", ""},
		{name + "=%00%ff", "", "", "", "", "shop.example"},
		{name + "=\"quoted\"", "", "", "", "", "shop.example"},
		{"", "Bearer " + pair.AccessToken, "", "", "", "shop.example"},
		{"", "bEaReR   " + pair.AccessToken, "", "", "", "shop.example"},
		{"", "Bearer " + pair.RefreshToken, "", "", "", "shop.example"},
		{"", "Bearer a.b.c.d.e", "", "", "", "shop.example"},
		{"", "Bearer " + strings.Repeat("a.", 3000), "", "", "", "shop.example"},
		{"", "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=", "", "", "", "shop.example"},
		{"", "Bearer", "", "", "", "shop.example"},
		{goodCookie, "Bearer " + pair.AccessToken, "https://evil.example", "cross-site", "application/json", "shop.example"},
		{goodCookie, "", "null", "same-site", "", "shop.example"},
		{goodCookie, "", "https://shop.example:443", "", "", "shop.example"},
		{goodCookie, "", "http://[::1", "", "", "[::1]:80"},
		{goodCookie, "", "https://shop.example", "same-origin", "application/json; charset=utf-8", "SHOP.EXAMPLE"},
		{"", "", "", "none", "multipart/form-data; boundary=x", "shop.example:99999"},
		{"", "", "", "", "application/json;;;=", "\x00"},
		{"a=b; ; =; " + name + "=", "", "", "", "", "shop.example"},
	} {
		for i := range fuzzMethods {
			f.Add(uint8(i), uint8(i), s.cookie, s.authz, s.origin, s.site, s.ctype, s.host)
		}
	}

	f.Fuzz(func(t *testing.T, method, path uint8, cookieHeader, authz, origin, site, ctype, host string) {
		m, p := fuzzMethods[int(method)%len(fuzzMethods)], fuzzPaths[int(path)%len(fuzzPaths)]
		r := httptest.NewRequest(m, "http://shop.example"+p, strings.NewReader(`{"username":"alice","password":"x"}`))
		r.Host = host
		for k, v := range map[string]string{"Cookie": cookieHeader, "Authorization": authz, "Origin": origin, "Sec-Fetch-Site": site, "Content-Type": ctype} {
			if v != "" {
				r.Header[k] = []string{v}
			}
		}
		res, err := serve(r)
		if err != nil {
			// app.Test fails where a fasthttp server answers 400 before fiber
			// sees the request: net/http will not write an invalid Host, and
			// fasthttp will not parse a multipart type over a JSON body. The
			// rest of the request must still be served.
			r = r.Clone(r.Context())
			r.Host = "shop.example"
			r.Header.Del("Content-Type")
			r.Body = io.NopCloser(strings.NewReader(`{"username":"alice","password":"x"}`))
			res, err = serve(r)
		}
		if err != nil {
			t.Fatalf("%s %s: %v", m, p, err)
		}
		defer res.Body.Close()
		if res.StatusCode >= 500 {
			body, _ := io.ReadAll(res.Body)
			t.Fatalf("%s %s with Cookie %q, Authorization %q, Origin %q, Sec-Fetch-Site %q, Content-Type %q, Host %q = %d %s; want no 5xx",
				m, p, cookieHeader, authz, origin, site, ctype, host, res.StatusCode, body)
		}
	})
}
