package adapters_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	gobfiber "github.com/gobware/gobware/adapters/fiber"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gofiber/fiber/v2"
)

// adopterNotFound is the adopter's own 404 page, in its own format.
const adopterNotFound = "adopter: no such page"

// mountedUnderAuth builds, on every framework, an adopter's app: its own
// GET /hello (protected by the auth strategy) and its own 404, with the
// auth endpoints mounted under /auth in one line.
func mountedUnderAuth(auth *authapi.API) map[string]func(*http.Request) *http.Response {
	hello := func(userID string) string { return "hello " + userID }

	mux := http.NewServeMux()
	nethttp.Mount(mux, "/auth", auth.Routes())
	mux.Handle("GET /hello", nethttp.Require(auth.Strategy())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, hello(nethttp.UserID(r)))
	})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, adopterNotFound, http.StatusNotFound) })

	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	gobgin.Mount(engine.Group("/auth"), auth.Routes())
	engine.GET("/hello", gobgin.Require(auth.Strategy()), func(c *gin.Context) { c.String(http.StatusOK, hello(gobgin.UserID(c))) })
	engine.HandleMethodNotAllowed = true
	engine.NoMethod(gobgin.MethodNotAllowed)
	engine.NoRoute(func(c *gin.Context) { c.String(http.StatusNotFound, adopterNotFound) })

	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: gobfiber.ErrorHandler})
	gobfiber.Mount(app.Group("/auth"), auth.Routes())
	app.Get("/hello", gobfiber.New(gobfiber.Config{Strategy: auth.Strategy()}), func(c *fiber.Ctx) error { return c.SendString(hello(gobfiber.UserID(c))) })
	app.Use(func(c *fiber.Ctx) error { return c.Status(http.StatusNotFound).SendString(adopterNotFound) })

	return inProcess(mux, engine, app)
}

// inProcess serves requests with each framework's app without a socket.
func inProcess(mux *http.ServeMux, engine *gin.Engine, app *fiber.App) map[string]func(*http.Request) *http.Response {
	return map[string]func(*http.Request) *http.Response{
		"nethttp": recordWith(mux),
		"gin":     recordWith(engine),
		"fiber": func(r *http.Request) *http.Response {
			res, err := app.Test(r, -1)
			if err != nil {
				panic(err)
			}
			return res
		},
	}
}

// TestAuthEndpointsMountUnderAPrefixNextToTheAdoptersRoutes mounts authapi
// under /auth on every framework beside the adopter's own route and 404:
// the endpoints answer there (with their own problem+json 404 for an
// unknown session and 405 for a wrong method), the adopter's route takes
// their credentials, and paths they do not serve stay the adopter's.
func TestAuthEndpointsMountUnderAPrefixNextToTheAdoptersRoutes(t *testing.T) {
	quiet := func(context.Context, core.Event) {}
	sessions, err := cookie.New([][]byte{[]byte("mount test session key, 32 bytes")}, cookie.NewMemoryStore(), cookie.Options{Events: quiet})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{[]byte("mount test access key, 32 bytes.")}, jwt.NewMemoryStore(), jwt.Options{Events: quiet})
	if err != nil {
		t.Fatal(err)
	}
	auth := &authapi.API{Users: fuzzUsers{}, Sessions: sessions, Tokens: tokens}
	for fw, do := range mountedUnderAuth(auth) {
		t.Run(fw, func(t *testing.T) {
			req := func(method, path, body string, header ...string) (*http.Response, string) {
				r := httptest.NewRequest(method, path, strings.NewReader(body))
				if body != "" {
					r.Header.Set("Content-Type", "application/json")
				}
				for i := 0; i+1 < len(header); i += 2 {
					r.Header.Set(header[i], header[i+1])
				}
				res := do(r)
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				return res, string(b)
			}
			problem := func(what string, res *http.Response, body string, status int, code string) {
				t.Helper()
				var p struct{ Code string }
				if res.StatusCode != status || res.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(body), &p) != nil || p.Code != code {
					t.Errorf("%s = %d %q %s; want a %d problem with code %s", what, res.StatusCode, res.Header.Get("Content-Type"), body, status, code)
				}
			}

			login, body := req("POST", "/auth/session", `{"username":"alice","password":"alice-password"}`)
			cookieHeader, _, _ := strings.Cut(login.Header.Get("Set-Cookie"), ";")
			if login.StatusCode != 200 || cookieHeader == "" {
				t.Fatalf("POST /auth/session = %d %s; want 200 with a session cookie", login.StatusCode, body)
			}
			if res, body := req("GET", "/hello", "", "Cookie", cookieHeader); res.StatusCode != 200 || body != "hello 1" {
				t.Errorf("GET /hello with the session = %d %q; want 200 \"hello 1\"", res.StatusCode, body)
			}
			token, body := req("POST", "/auth/token", `{"username":"alice","password":"alice-password"}`)
			var pair struct {
				AccessToken string `json:"access_token"`
			}
			if token.StatusCode != 200 || json.Unmarshal([]byte(body), &pair) != nil {
				t.Fatalf("POST /auth/token = %d %s", token.StatusCode, body)
			}
			if res, body := req("GET", "/hello", "", "Authorization", "Bearer "+pair.AccessToken); res.StatusCode != 200 || body != "hello 1" {
				t.Errorf("GET /hello with the token = %d %q; want 200", res.StatusCode, body)
			}
			if res, body := req("GET", "/auth/me", "", "Cookie", cookieHeader); res.StatusCode != 200 || !strings.Contains(body, `"username":"alice"`) {
				t.Errorf("GET /auth/me = %d %s; want 200 naming alice", res.StatusCode, body)
			}
			res, body := req("GET", "/hello", "")
			problem("GET /hello without a credential", res, body, 401, "unauthenticated")
			res, body = req("DELETE", "/auth/sessions/no-such-handle", "", "Cookie", cookieHeader, "Sec-Fetch-Site", "same-origin")
			problem("ending an unknown session", res, body, 404, "not_found")
			res, body = req("PATCH", "/auth/session", "")
			problem("PATCH /auth/session", res, body, 405, "method_not_allowed")
			if allow := res.Header.Get("Allow"); allow != "DELETE, POST" {
				t.Errorf("PATCH /auth/session: Allow = %q; want %q", allow, "DELETE, POST")
			}
			for _, path := range []string{"/elsewhere", "/auth/nothing", "/api/session", "/session"} {
				if res, body := req("GET", path, ""); res.StatusCode != 404 || !strings.Contains(body, adopterNotFound) {
					t.Errorf("GET %s = %d %q; want the adopter's own 404", path, res.StatusCode, body)
				}
			}
		})
	}
}
