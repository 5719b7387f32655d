package adapters_test

import (
	"context"
	"fmt"
	"io"
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
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gofiber/fiber/v2"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// roundTrip sends a request to an application and returns the response.
type roundTrip func(*http.Request) *http.Response

// apps builds the same small application on every framework, the way each
// adapter's documentation shows: /login, /logout, /private (Require) and
// /public (Optional), whose handler answers "userID/strategy".
var apps = map[string]func(sessions *cookie.Strategy, auth core.Strategy) roundTrip{
	"nethttp": func(sessions *cookie.Strategy, auth core.Strategy) roundTrip {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
			if err := nethttp.Login(w, r, sessions, "42"); err != nil {
				w.WriteHeader(500)
			}
		})
		mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
			if err := nethttp.Logout(w, r, sessions); err != nil {
				w.WriteHeader(500)
			}
		})
		who := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := nethttp.Identity(r)
			fmt.Fprintf(w, "%s/%s", nethttp.UserID(r), id.Strategy)
		})
		mux.Handle("/private", nethttp.Require(auth)(who))
		mux.Handle("/public", nethttp.Optional(auth)(who))
		return recordWith(mux)
	},
	"gin": func(sessions *cookie.Strategy, auth core.Strategy) roundTrip {
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		r.POST("/login", func(c *gin.Context) {
			if err := gobgin.Login(c, sessions, "42"); err != nil {
				c.Status(500)
			}
		})
		r.POST("/logout", func(c *gin.Context) {
			if err := gobgin.Logout(c, sessions); err != nil {
				c.Status(500)
			}
		})
		who := func(c *gin.Context) {
			id, _ := gobgin.Identity(c)
			c.String(200, "%s/%s", gobgin.UserID(c), id.Strategy)
		}
		r.Any("/private", gobgin.Require(auth), who)
		r.Any("/public", gobgin.Optional(auth), who)
		return recordWith(r)
	},
	"fiber": func(sessions *cookie.Strategy, auth core.Strategy) roundTrip {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		app.Post("/login", func(c *fiber.Ctx) error { return gobfiber.Login(c, sessions, "42") })
		app.Post("/logout", func(c *fiber.Ctx) error { return gobfiber.Logout(c, sessions) })
		who := func(c *fiber.Ctx) error {
			id, _ := gobfiber.Identity(c)
			return c.SendString(gobfiber.UserID(c) + "/" + id.Strategy)
		}
		app.All("/private", gobfiber.New(gobfiber.Config{Strategy: auth}), who)
		app.All("/public", gobfiber.New(gobfiber.Config{Strategy: auth, Optional: true}), who)
		return func(r *http.Request) *http.Response {
			res, err := app.Test(r, -1)
			if err != nil {
				panic(err)
			}
			return res
		}
	},
}

func recordWith(h http.Handler) roundTrip {
	return func(r *http.Request) *http.Response {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
}

// brokenStore answers every lookup with an outage.
type brokenStore struct{ cookie.Store }

func (brokenStore) Find(context.Context, cookie.Hash, time.Time) (cookie.Session, error) {
	return cookie.Session{}, fmt.Errorf("db: connection refused: %w", core.ErrUnavailable)
}

type bearerOnly struct{}

func (bearerOnly) Challenge() string { return "Bearer" }
func (bearerOnly) Authenticate(r core.Request) (core.Identity, error) {
	if core.FirstHeader(r, "Authorization") == "Bearer ok" {
		return core.Identity{UserID: "7", Strategy: "jwt"}, nil
	}
	return core.Identity{}, core.ErrNoCredential
}

func newSessions(t *testing.T, store cookie.Store) *cookie.Strategy {
	t.Helper()
	s, err := cookie.New([][]byte{testKey}, store, cookie.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func login(t *testing.T, app roundTrip) *http.Response {
	t.Helper()
	res := app(httptest.NewRequest("POST", "/login", nil))
	if res.StatusCode != 200 {
		t.Fatalf("login = %d", res.StatusCode)
	}
	return res
}

// TestMiddlewareContract holds every adapter to the same behaviour.
func TestMiddlewareContract(t *testing.T) {
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			store := cookie.NewMemoryStore()
			sessions := newSessions(t, store)
			chain := core.Chain(sessions, bearerOnly{})
			session := login(t, build(sessions, chain)).Cookies()[0].Value
			panics := core.StrategyFunc(func(core.Request) (core.Identity, error) { panic("strategy bug") })
			down := newSessions(t, brokenStore{store})

			tests := []struct {
				name       string
				auth       core.Strategy
				path       string
				method     string
				cookies    []string
				header     map[string]string
				wantStatus int
				wantCode   string
				wantBody   string
				challenge  bool
			}{
				{"a valid session cookie passes", chain, "/private", "GET", []string{session}, nil, 200, "", "42/cookie", false},
				{"a valid bearer token passes", chain, "/private", "GET", nil, map[string]string{"Authorization": "Bearer ok"}, 200, "", "7/jwt", false},
				{"no credential is unauthenticated with a challenge", chain, "/private", "GET", nil, nil, 401, "unauthenticated", "", true},
				{"a tampered cookie is invalid", chain, "/private", "GET", []string{session[:86] + flip(session[86])}, nil, 401, "invalid_credentials", "", true},
				{"a truncated cookie is invalid", chain, "/private", "GET", []string{session[:50]}, nil, 401, "invalid_credentials", "", true},
				{"an extended cookie is invalid", chain, "/private", "GET", []string{session + "A"}, nil, 401, "invalid_credentials", "", true},
				{"a 4 KiB cookie is invalid", chain, "/private", "GET", []string{strings.Repeat("A", 4000)}, nil, 401, "invalid_credentials", "", true},
				{"duplicate session cookies are invalid", chain, "/private", "GET", []string{session, session}, nil, 401, "invalid_credentials", "", true},
				{"a cross-origin write with the cookie is forbidden", chain, "/private", "POST", []string{session}, map[string]string{"Origin": "https://evil.example"}, 403, "forbidden_origin", "", false},
				{"a cross-site write with the cookie is forbidden", chain, "/private", "DELETE", []string{session}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "forbidden_origin", "", false},
				{"a same-origin write with the cookie passes", chain, "/private", "POST", []string{session}, map[string]string{"Sec-Fetch-Site": "same-origin"}, 200, "", "42/cookie", false},
				{"a cross-origin write with only a bearer token passes", chain, "/private", "POST", nil, map[string]string{"Authorization": "Bearer ok", "Origin": "https://evil.example"}, 200, "", "7/jwt", false},
				{"a panicking strategy is a 500", panics, "/private", "GET", nil, nil, 500, "internal", "", false},
				{"an unreachable store is 503, not a logout", down, "/private", "GET", []string{session}, nil, 503, "unavailable", "", false},
				{"optional lets an anonymous request through", chain, "/public", "GET", nil, nil, 200, "", "/", false},
				{"optional lets a stale cookie through anonymously", chain, "/public", "GET", []string{"stale"}, nil, 200, "", "/", false},
				{"optional still identifies a valid cookie", chain, "/public", "GET", []string{session}, nil, 200, "", "42/cookie", false},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					app := build(sessions, tt.auth)
					r := httptest.NewRequest(tt.method, tt.path, nil)
					for _, v := range tt.cookies {
						r.Header.Add("Cookie", "__Host-gobware_session="+v)
					}
					for k, v := range tt.header {
						r.Header.Set(k, v)
					}
					res := app(r)
					got := body(t, res)
					if res.StatusCode != tt.wantStatus {
						t.Fatalf("%s %s = %d %s; want %d", tt.method, tt.path, res.StatusCode, got, tt.wantStatus)
					}
					if tt.wantStatus == 200 {
						if got != tt.wantBody {
							t.Errorf("body = %q; want %q", got, tt.wantBody)
						}
						return
					}
					if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" || !strings.Contains(got, `"code":"`+tt.wantCode+`"`) {
						t.Errorf("answer %s %s; want a problem+json with code %s", ct, got, tt.wantCode)
					}
					if ch := res.Header.Get("WWW-Authenticate"); (ch == "Bearer") != tt.challenge {
						t.Errorf("WWW-Authenticate = %q; want a challenge: %v", ch, tt.challenge)
					}
				})
			}
		})
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestLoginAndLogoutCookies checks the exact Set-Cookie and Cache-Control
// lines every adapter writes, and that logout ends the session.
func TestLoginAndLogoutCookies(t *testing.T) {
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			sessions := newSessions(t, cookie.NewMemoryStore())
			app := build(sessions, sessions)
			res := login(t, app)
			set := res.Header.Values("Set-Cookie")
			if len(set) != 1 || !strings.HasPrefix(set[0], "__Host-gobware_session=") ||
				!strings.HasSuffix(set[0], "; Path=/; HttpOnly; Secure; SameSite=Lax") || len(set[0]) != len("__Host-gobware_session=")+87+len("; Path=/; HttpOnly; Secure; SameSite=Lax") {
				t.Errorf("login Set-Cookie = %q", set)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("login Cache-Control = %q; want no-store", cc)
			}
			c := res.Cookies()[0]

			r := httptest.NewRequest("POST", "/logout", nil)
			r.AddCookie(c)
			out := app(r)
			want := "__Host-gobware_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"
			if got := out.Header.Values("Set-Cookie"); len(got) != 1 || got[0] != want {
				t.Errorf("logout Set-Cookie = %q; want [%q]", got, want)
			}
			if cc := out.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("logout Cache-Control = %q; want no-store", cc)
			}
			replay := httptest.NewRequest("GET", "/private", nil)
			replay.AddCookie(c)
			if res := app(replay); res.StatusCode != 401 {
				t.Errorf("replay after logout = %d; want 401", res.StatusCode)
			}
		})
	}
}
