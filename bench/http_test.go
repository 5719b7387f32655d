package bench

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	fiberadapter "github.com/gobware/gobware/adapters/fiber"
	ginadapter "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/adapters/nethttp"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// body is what the trivial handler behind every route answers.
var body = []byte(`{"ok":true}`)

// httpFixture is what every framework's routes authenticate against:
// sessions on SQLite and JWE tokens, both with their caches on, as
// the throughput target in RESULTS.md asks.
type httpFixture struct {
	sessions *cookie.Strategy
	tokens   *jwt.Strategy
	cookie   string // session cookie value
	token    string // access token
}

func newHTTPFixture(b *testing.B) httpFixture {
	db, _ := openSQLite(b)
	store, err := gormstore.NewSessionStore(db)
	if err != nil {
		b.Fatal(err)
	}
	f := httpFixture{
		sessions: newGobwareSessions(b, store, cookie.Options{CacheTTL: 5 * time.Second}),
		tokens:   newGobwareTokens(b, jwt.Options{CacheSize: 10000}),
	}
	f.cookie = gobwareLogin(b, f.sessions)
	if f.token, _, err = f.tokens.AccessToken(userID); err != nil {
		b.Fatal(err)
	}
	return f
}

// routes names the three routes and the credential each request carries.
var routes = []string{"public", "cookie", "jwt"}

func (f httpFixture) header(route string) (name, value string) {
	switch route {
	case "cookie":
		return "Cookie", f.sessions.CookieName() + "=" + f.cookie
	case "jwt":
		return "Authorization", "Bearer " + f.token
	}
	return "", ""
}

// BenchmarkHTTP measures one whole request through each framework, in
// process: routing, gobware's middleware where the route needs it, and the
// same trivial handler.
func BenchmarkHTTP(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	f := newHTTPFixture(b)
	b.Run("nethttp", func(b *testing.B) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		})
		mux := http.NewServeMux()
		mux.Handle("GET /public", h)
		mux.Handle("GET /cookie", nethttp.Require(f.sessions)(h))
		mux.Handle("GET /jwt", nethttp.Require(f.tokens)(h))
		for _, route := range routes {
			b.Run(route, func(b *testing.B) {
				r, _ := http.NewRequest(http.MethodGet, "http://shop.example/"+route, nil)
				r.RemoteAddr = "192.0.2.1:1234"
				if name, value := f.header(route); name != "" {
					r.Header.Set(name, value)
				}
				w := newRecorder()
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					mux.ServeHTTP(w, r)
					if w.status != http.StatusOK {
						b.Fatalf("status %d: %s", w.status, w.body.String())
					}
				}
			})
		}
	})
	b.Run("gin", func(b *testing.B) {
		h := func(c *gin.Context) { c.Data(http.StatusOK, "application/json", body) }
		e := gin.New()
		e.GET("/public", h)
		e.GET("/cookie", ginadapter.Require(f.sessions), h)
		e.GET("/jwt", ginadapter.Require(f.tokens), h)
		for _, route := range routes {
			b.Run(route, func(b *testing.B) {
				r, _ := http.NewRequest(http.MethodGet, "http://shop.example/"+route, nil)
				r.RemoteAddr = "192.0.2.1:1234"
				if name, value := f.header(route); name != "" {
					r.Header.Set(name, value)
				}
				w := newRecorder()
				b.ReportAllocs()
				for b.Loop() {
					w.reset()
					e.ServeHTTP(w, r)
					if w.status != http.StatusOK {
						b.Fatalf("status %d: %s", w.status, w.body.String())
					}
				}
			})
		}
	})
	b.Run("fiber", func(b *testing.B) {
		h := func(c *fiber.Ctx) error {
			c.Set("Content-Type", "application/json")
			return c.Send(body)
		}
		app := fiber.New()
		app.Get("/public", h)
		app.Get("/cookie", fiberadapter.New(fiberadapter.Config{Strategy: f.sessions}), h)
		app.Get("/jwt", fiberadapter.New(fiberadapter.Config{Strategy: f.tokens}), h)
		handler := app.Handler()
		for _, route := range routes {
			b.Run(route, func(b *testing.B) {
				// Parsed from the wire, as fasthttp's server reads a request
				// (a header set through the API is stored differently:
				// Header.Set("Cookie", …) parses the cookies at once).
				raw := "GET /" + route + " HTTP/1.1\r\nHost: shop.example\r\n"
				if name, value := f.header(route); name != "" {
					raw += name + ": " + value + "\r\n"
				}
				var req fasthttp.Request
				if err := req.Read(bufio.NewReader(strings.NewReader(raw + "\r\n"))); err != nil {
					b.Fatal(err)
				}
				fctx := new(fasthttp.RequestCtx)
				fctx.Init(&req, nil, nil)
				b.ReportAllocs()
				for b.Loop() {
					// What fasthttp's server does between two requests
					// on one connection.
					fctx.Response.Reset()
					fctx.ResetUserValues()
					handler(fctx)
					if fctx.Response.StatusCode() != http.StatusOK {
						b.Fatalf("status %d: %s", fctx.Response.StatusCode(), fctx.Response.Body())
					}
				}
			})
		}
	})
}
