package adapters_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	gobfiber "github.com/gobware/gobware/adapters/fiber"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gofiber/fiber/v2"
)

// loginOptions is what every framework's /login-with handler passes: the
// password method, the admin role, and remember-me when ?remember=1.
func loginOptions(remember string) core.LoginOptions {
	r := remember == "1"
	return core.LoginOptions{Method: core.MethodPassword, Attributes: core.Attributes{core.RoleAttribute: {"admin"}}, Remember: &r}
}

// stepUp is what every framework's /step-up handler asks of Update.
var stepUp = core.SessionUpdate{Reauthenticated: true, Method: "password+totp", Attributes: core.Attributes{core.RoleAttribute: {"admin"}, "mfa": {"totp"}}}

// describe is what /me answers: the identity's fields in one line.
func describe(id core.Identity) string {
	return fmt.Sprintf("%s method=%s admin=%v mfa=%s auth=%s", id.UserID, id.Method, id.HasRole("admin"), id.Attributes.Get("mfa"), id.AuthTime.UTC().Format(time.RFC3339))
}

// loginWithApps are small apps on each framework using the LoginWith and
// Update helpers the way an adopter's handlers would.
var loginWithApps = map[string]func(t *testing.T, s *cookie.Strategy) roundTrip{
	"nethttp": func(t *testing.T, s *cookie.Strategy) roundTrip {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /login-with", func(w http.ResponseWriter, r *http.Request) {
			if err := nethttp.LoginWith(w, r, s, "42", loginOptions(r.URL.Query().Get("remember"))); err != nil {
				http.Error(w, err.Error(), core.Status(err))
			}
		})
		mux.Handle("POST /step-up", nethttp.New(nethttp.Config{Strategy: s})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, err := nethttp.Update(w, r, s, stepUp)
			if err != nil {
				http.Error(w, err.Error(), core.Status(err))
				return
			}
			io.WriteString(w, describe(id))
		})))
		mux.Handle("GET /me", nethttp.New(nethttp.Config{Strategy: s})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := nethttp.Identity(r)
			io.WriteString(w, describe(id))
		})))
		return serveHTTP(t, mux)
	},
	"gin": func(t *testing.T, s *cookie.Strategy) roundTrip {
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		r.POST("/login-with", func(c *gin.Context) {
			if err := gobgin.LoginWith(c, s, "42", loginOptions(c.Query("remember"))); err != nil {
				c.String(core.Status(err), err.Error())
			}
		})
		r.POST("/step-up", gobgin.New(gobgin.Config{Strategy: s}), func(c *gin.Context) {
			id, err := gobgin.Update(c, s, stepUp)
			if err != nil {
				c.String(core.Status(err), err.Error())
				return
			}
			c.String(200, describe(id))
		})
		r.GET("/me", gobgin.New(gobgin.Config{Strategy: s}), func(c *gin.Context) {
			id, _ := gobgin.Identity(c)
			c.String(200, describe(id))
		})
		return serveHTTP(t, r)
	},
	"fiber": func(t *testing.T, s *cookie.Strategy) roundTrip {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		app.Post("/login-with", func(c *fiber.Ctx) error {
			if err := gobfiber.LoginWith(c, s, "42", loginOptions(c.Query("remember"))); err != nil {
				return c.Status(core.Status(err)).SendString(err.Error())
			}
			return nil
		})
		app.Post("/step-up", gobfiber.New(gobfiber.Config{Strategy: s}), func(c *fiber.Ctx) error {
			id, err := gobfiber.Update(c, s, stepUp)
			if err != nil {
				return c.Status(core.Status(err)).SendString(err.Error())
			}
			return c.SendString(describe(id))
		})
		app.Get("/me", gobfiber.New(gobfiber.Config{Strategy: s}), func(c *fiber.Ctx) error {
			id, _ := gobfiber.Identity(c)
			return c.SendString(describe(id))
		})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go app.Listener(ln)
		t.Cleanup(func() { app.ShutdownWithTimeout(5 * time.Second) })
		return client(t, "http://"+ln.Addr().String())
	},
}

var _ httpapi.Sessions = (*cookie.Strategy)(nil)

// TestLoginWithAndUpdateOnEveryFramework checks the LoginWith and Update
// helpers of net/http, gin and fiber alike: the method, role and
// remember-me choice of the login reach the identity and the Set-Cookie
// line; a step-up gives a new cookie whose identity is fresh and carries
// the new attributes while the old cookie is refused; cross-origin logins
// and updates are refused before anything is written.
func TestLoginWithAndUpdateOnEveryFramework(t *testing.T) {
	for name, build := range loginWithApps {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
			clock := func() time.Time { return now }
			s, err := cookie.New([][]byte{testKey}, cookie.NewMemoryStore(), cookie.Options{
				InsecureCookies: true, IdleTimeout: 2 * time.Hour, Now: clock, Events: func(context.Context, core.Event) {},
			})
			if err != nil {
				t.Fatal(err)
			}
			app := build(t, s)
			res := app(httptest.NewRequest("POST", "/login-with?remember=1", nil))
			sc := res.Header.Get("Set-Cookie")
			res.Body.Close()
			value, _, _ := strings.Cut(strings.TrimPrefix(sc, "gobware_session="), ";")
			want := "gobware_session=" + value + "; Path=/; Expires=Fri, 03 Jan 2031 03:04:05 GMT; Max-Age=86400; HttpOnly; SameSite=Lax"
			if res.StatusCode != 200 || sc != want {
				t.Fatalf("POST /login-with?remember=1 = %d, Set-Cookie %q; want 200, %q", res.StatusCode, sc, want)
			}
			res = app(httptest.NewRequest("POST", "/login-with", nil))
			if sc := res.Header.Get("Set-Cookie"); strings.Contains(sc, "Max-Age") || strings.Contains(sc, "Expires") {
				t.Errorf("POST /login-with without remember-me set %q; want a browser-session cookie", sc)
			}
			res.Body.Close()

			get := func(method, path, value string, header ...string) (int, string, string) {
				r := httptest.NewRequest(method, path, nil)
				r.Header.Set("Cookie", "gobware_session="+value)
				for i := 0; i+1 < len(header); i += 2 {
					r.Header.Set(header[i], header[i+1])
				}
				res := app(r)
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b), res.Header.Get("Set-Cookie")
			}
			if code, body, _ := get("GET", "/me", value); code != 200 || body != "42 method=password admin=true mfa= auth=2031-01-02T03:04:05Z" {
				t.Errorf("GET /me = %d %q; want the login's method, role and time", code, body)
			}
			if code, _, sc := get("POST", "/step-up", value, "Origin", "https://evil.example"); code != 403 || sc != "" {
				t.Errorf("cross-origin POST /step-up = %d, Set-Cookie %q; want 403 and no cookie", code, sc)
			}
			now = now.Add(time.Hour)
			code, body, sc := get("POST", "/step-up", value)
			if code != 200 || body != "42 method=password+totp admin=true mfa=totp auth=2031-01-02T04:04:05Z" || !strings.Contains(sc, "Max-Age=82800") {
				t.Fatalf("POST /step-up = %d %q, Set-Cookie %q; want the new identity and a cookie still remembered", code, body, sc)
			}
			next, _, _ := strings.Cut(strings.TrimPrefix(sc, "gobware_session="), ";")
			if code, _, _ := get("GET", "/me", value); code != 401 {
				t.Errorf("GET /me with the cookie from before the step-up = %d; want 401", code)
			}
			if code, body, _ := get("GET", "/me", next); code != 200 || body != "42 method=password+totp admin=true mfa=totp auth=2031-01-02T04:04:05Z" {
				t.Errorf("GET /me with the new cookie = %d %q", code, body)
			}
			r := httptest.NewRequest("POST", "/login-with", nil)
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			res = app(r)
			if res.StatusCode != 403 || res.Header.Get("Set-Cookie") != "" {
				t.Errorf("cross-site POST /login-with = %d, Set-Cookie %q; want 403 and no cookie", res.StatusCode, res.Header.Get("Set-Cookie"))
			}
			res.Body.Close()
		})
	}
}
