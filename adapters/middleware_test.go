package adapters_test

import (
	"context"
	"errors"
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
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gofiber/fiber/v2"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// roundTrip sends a request to an application and returns the response.
type roundTrip func(*http.Request) *http.Response

// appConfig is what an adopter chooses when wiring gobware into an app.
type appConfig struct {
	sessions *cookie.Strategy
	auth     core.Strategy
	trusted  httpapi.TrustedProxies
	// plainErrors renders refusals as text/plain "refused: CODE" through
	// the adapter's ErrorHandler option, as an app with its own error
	// format would.
	plainErrors bool
	// noRequestInfo leaves the RequestInfo middleware out, as an app that
	// only uses Require and Optional would: the guard then makes the
	// request info itself.
	noRequestInfo bool
	// passkeys, when set, serves POST /passkey-options: the app's own
	// handler handing out passkey sign-in options (BeginLogin with the
	// request's context), answering errors with the adapter's Error.
	passkeys *passkey.Service
}

// apps builds the same small application on every framework, written the
// way an adopter writes it with each adapter's public API: the RequestInfo
// middleware first, its own /login, /login-admin (user 1 with the role
// admin, see adminLogin) and /logout handlers calling the Login, LoginWith
// and Logout helpers (answering errors with core.Status), /private
// (required auth) and /public (optional auth) answering "userID/strategy",
// and /info (optional auth) answering "requestID|clientIP" from the
// request's context; /passkey-options (no auth, see appConfig.passkeys); /admin (role admin), /tenant (attribute tenant=acme)
// and /fresh (a sign-in within freshFor) behind required auth, and
// /public-admin (role admin) behind optional auth. Each is served on a
// loopback socket, so the adapters see real requests: peer address, Host,
// repeated headers.
var apps = map[string]func(t *testing.T, cfg appConfig) roundTrip{
	"nethttp": func(t *testing.T, cfg appConfig) roundTrip {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
			if err := nethttp.Login(w, r, cfg.sessions, "42"); err != nil {
				http.Error(w, err.Error(), core.Status(err))
			}
		})
		mux.HandleFunc("POST /login-admin", func(w http.ResponseWriter, r *http.Request) {
			if err := nethttp.LoginWith(w, r, cfg.sessions, "1", adminLogin); err != nil {
				http.Error(w, err.Error(), core.Status(err))
			}
		})
		mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
			if err := nethttp.Logout(w, r, cfg.sessions); err != nil {
				http.Error(w, err.Error(), core.Status(err))
			}
		})
		who := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := nethttp.Identity(r)
			fmt.Fprintf(w, "%s/%s", nethttp.UserID(r), id.Strategy)
		})
		info := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ri, _ := core.RequestInfoFrom(r.Context())
			fmt.Fprintf(w, "%s|%s", ri.ID, ri.ClientIP)
		})
		mw := nethttp.Config{Strategy: cfg.auth}
		if cfg.plainErrors {
			mw.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
				var p *httpapi.Problem
				errors.As(err, &p)
				http.Error(w, "refused: "+p.Code, p.Status)
			}
		}
		mux.Handle("/private", nethttp.New(mw)(who))
		mux.Handle("/admin", nethttp.New(mw)(nethttp.RequireRole("admin")(who)))
		mux.Handle("/tenant", nethttp.New(mw)(nethttp.RequireAttribute("tenant", "acme")(who)))
		mux.Handle("/fresh", nethttp.New(mw)(nethttp.RequireFreshLogin(freshFor)(who)))
		mw.Optional = true
		mux.Handle("/public", nethttp.New(mw)(who))
		mux.Handle("/public-admin", nethttp.New(mw)(nethttp.RequireRole("admin")(who)))
		mux.Handle("/info", nethttp.New(mw)(info))
		if cfg.passkeys != nil {
			mux.HandleFunc("POST /passkey-options", func(w http.ResponseWriter, r *http.Request) {
				options, err := cfg.passkeys.BeginLogin(r.Context())
				if err != nil {
					nethttp.Error(w, err)
					return
				}
				w.Write(options)
			})
		}
		if cfg.noRequestInfo {
			return serveHTTP(t, mux)
		}
		return serveHTTP(t, nethttp.RequestInfo(cfg.trusted)(mux))
	},
	"gin": func(t *testing.T, cfg appConfig) roundTrip {
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		if !cfg.noRequestInfo {
			r.Use(gobgin.RequestInfo(cfg.trusted))
		}
		r.POST("/login", func(c *gin.Context) {
			if err := gobgin.Login(c, cfg.sessions, "42"); err != nil {
				c.String(core.Status(err), err.Error())
			}
		})
		r.POST("/login-admin", func(c *gin.Context) {
			if err := gobgin.LoginWith(c, cfg.sessions, "1", adminLogin); err != nil {
				c.String(core.Status(err), err.Error())
			}
		})
		r.POST("/logout", func(c *gin.Context) {
			if err := gobgin.Logout(c, cfg.sessions); err != nil {
				c.String(core.Status(err), err.Error())
			}
		})
		who := func(c *gin.Context) {
			id, _ := gobgin.Identity(c)
			c.String(200, "%s/%s", gobgin.UserID(c), id.Strategy)
		}
		info := func(c *gin.Context) {
			ri, _ := core.RequestInfoFrom(c.Request.Context())
			c.String(200, "%s|%s", ri.ID, ri.ClientIP)
		}
		mw := gobgin.Config{Strategy: cfg.auth}
		if cfg.plainErrors {
			mw.ErrorHandler = func(c *gin.Context, err error) {
				var p *httpapi.Problem
				errors.As(err, &p)
				c.String(p.Status, "refused: "+p.Code)
			}
		}
		r.Any("/private", gobgin.New(mw), who)
		r.Any("/admin", gobgin.New(mw), gobgin.RequireRole("admin"), who)
		r.Any("/tenant", gobgin.New(mw), gobgin.RequireAttribute("tenant", "acme"), who)
		r.Any("/fresh", gobgin.New(mw), gobgin.RequireFreshLogin(freshFor), who)
		mw.Optional = true
		r.Any("/public", gobgin.New(mw), who)
		r.Any("/public-admin", gobgin.New(mw), gobgin.RequireRole("admin"), who)
		r.Any("/info", gobgin.New(mw), info)
		if cfg.passkeys != nil {
			r.POST("/passkey-options", func(c *gin.Context) {
				options, err := cfg.passkeys.BeginLogin(c.Request.Context())
				if err != nil {
					gobgin.Error(c, err)
					return
				}
				c.Data(200, "application/json", options)
			})
		}
		return serveHTTP(t, r)
	},
	"fiber": func(t *testing.T, cfg appConfig) roundTrip {
		// ProxyHeader is set as a careless fiber app would: gobware must
		// not let it choose the client's address.
		app := fiber.New(fiber.Config{DisableStartupMessage: true, ProxyHeader: "X-Forwarded-For", ReadBufferSize: 64 << 10})
		if !cfg.noRequestInfo {
			app.Use(gobfiber.RequestInfo(cfg.trusted))
		}
		app.Post("/login", func(c *fiber.Ctx) error {
			if err := gobfiber.Login(c, cfg.sessions, "42"); err != nil {
				return c.Status(core.Status(err)).SendString(err.Error())
			}
			return nil
		})
		app.Post("/login-admin", func(c *fiber.Ctx) error {
			if err := gobfiber.LoginWith(c, cfg.sessions, "1", adminLogin); err != nil {
				return c.Status(core.Status(err)).SendString(err.Error())
			}
			return nil
		})
		app.Post("/logout", func(c *fiber.Ctx) error {
			if err := gobfiber.Logout(c, cfg.sessions); err != nil {
				return c.Status(core.Status(err)).SendString(err.Error())
			}
			return nil
		})
		who := func(c *fiber.Ctx) error {
			id, _ := gobfiber.Identity(c)
			return c.SendString(gobfiber.UserID(c) + "/" + id.Strategy)
		}
		info := func(c *fiber.Ctx) error {
			ri, _ := core.RequestInfoFrom(c.UserContext())
			return c.SendString(ri.ID + "|" + ri.ClientIP)
		}
		mw := gobfiber.Config{Strategy: cfg.auth}
		if cfg.plainErrors {
			mw.ErrorHandler = func(c *fiber.Ctx, err error) error {
				var p *httpapi.Problem
				errors.As(err, &p)
				return c.Status(p.Status).SendString("refused: " + p.Code)
			}
		}
		app.All("/private", gobfiber.New(mw), who)
		app.All("/admin", gobfiber.New(mw), gobfiber.RequireRole("admin"), who)
		app.All("/tenant", gobfiber.New(mw), gobfiber.RequireAttribute("tenant", "acme"), who)
		app.All("/fresh", gobfiber.New(mw), gobfiber.RequireFreshLogin(freshFor), who)
		mw.Optional = true
		app.All("/public", gobfiber.New(mw), who)
		app.All("/public-admin", gobfiber.New(mw), gobfiber.RequireRole("admin"), who)
		app.All("/info", gobfiber.New(mw), info)
		if cfg.passkeys != nil {
			app.Post("/passkey-options", func(c *fiber.Ctx) error {
				options, err := cfg.passkeys.BeginLogin(c.UserContext())
				if err != nil {
					return gobfiber.ErrorHandler(c, err)
				}
				return c.Send(options)
			})
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go app.Listener(ln)
		// fasthttp's Shutdown waits for every open connection: bound it.
		t.Cleanup(func() { app.ShutdownWithTimeout(5 * time.Second) })
		return client(t, "http://"+ln.Addr().String())
	},
}

func recordWith(h http.Handler) roundTrip {
	return func(r *http.Request) *http.Response {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
}

// serveHTTP serves h on a loopback socket for the test's lifetime.
func serveHTTP(t *testing.T, h http.Handler) roundTrip {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return client(t, srv.URL)
}

// client sends requests made with httptest.NewRequest to the server at
// base, with the request's headers as they are (several values of one name
// stay several lines). Host stays the server's address unless the test set
// one.
func client(t *testing.T, base string) roundTrip {
	return func(r *http.Request) *http.Response {
		t.Helper()
		out, err := http.NewRequest(r.Method, base+r.URL.RequestURI(), r.Body)
		if err != nil {
			t.Fatal(err)
		}
		out.Header = r.Header.Clone()
		if r.Host != "example.com" { // httptest.NewRequest's default
			out.Host = r.Host
		}
		out.Close = true // no keep-alive connection outlives the test's server
		res, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		res.Body = io.NopCloser(strings.NewReader(string(b)))
		return res
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
			session := login(t, build(t, appConfig{sessions: sessions, auth: chain})).Cookies()[0].Value
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
					app := build(t, appConfig{sessions: sessions, auth: tt.auth})
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
			app := build(t, appConfig{sessions: sessions, auth: sessions})
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
