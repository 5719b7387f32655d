package adapters_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	gobfiber "github.com/gobware/gobware/adapters/fiber"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/cart"
	"github.com/gofiber/fiber/v2"
)

// item is the body the native handlers below read.
type item struct {
	SKU string `json:"sku"`
}

// errFor is what the native handlers below fail with: a domain error that
// carries its status (cart's), and anything else.
func errFor(sku string) error {
	if sku == "boom" {
		return errors.New("boom") // no status of its own: a 500
	}
	return cart.ErrUnknownProduct
}

// nativeApps builds, on every framework, an application's own handlers
// written in the framework's style with the adapter's JSON, DecodeJSON
// and Error helpers, and problem+json for unknown paths and methods.
func nativeApps() map[string]func(*http.Request) *http.Response {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things", func(w http.ResponseWriter, r *http.Request) {
		nethttp.JSON(w, http.StatusOK, map[string]string{"ok": "yes"})
	})
	mux.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) {
		var it item
		if err := nethttp.DecodeJSON(r, &it); err != nil {
			nethttp.Error(w, err)
			return
		}
		nethttp.Error(w, errFor(it.SKU))
	})
	mux.Handle("/", nethttp.NotFound(mux))

	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	engine.Match([]string{"GET", "HEAD"}, "/things", func(c *gin.Context) { gobgin.JSON(c, http.StatusOK, gin.H{"ok": "yes"}) })
	engine.POST("/things", func(c *gin.Context) {
		var it item
		if err := gobgin.DecodeJSON(c, &it); err != nil {
			gobgin.Error(c, err)
			return
		}
		gobgin.Error(c, errFor(it.SKU))
	})
	engine.HandleMethodNotAllowed = true
	engine.NoMethod(gobgin.MethodNotAllowed)
	engine.NoRoute(gobgin.NotFound)

	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: gobfiber.ErrorHandler})
	app.Get("/things", func(c *fiber.Ctx) error { return gobfiber.JSON(c, http.StatusOK, fiber.Map{"ok": "yes"}) })
	app.Post("/things", func(c *fiber.Ctx) error {
		var it item
		if err := gobfiber.DecodeJSON(c, &it); err != nil {
			return err
		}
		return errFor(it.SKU)
	})
	app.Use(gobfiber.NotFound)

	return inProcess(mux, engine, app)
}

// TestNativeHandlersAnswerLikeTheEndpoints checks the helpers an
// application's own handlers use on every framework: JSON with gobware's
// headers, strict DecodeJSON, Error mapping a domain error to its status,
// and NotFound / MethodNotAllowed answering unknown paths with a 404 and
// wrong methods with a 405 naming the methods in Allow, all problem+json.
func TestNativeHandlersAnswerLikeTheEndpoints(t *testing.T) {
	for fw, do := range nativeApps() {
		t.Run(fw, func(t *testing.T) {
			for _, tt := range []struct {
				method, path, body string
				status             int
				code, allow        string
			}{
				{"GET", "/things", "", 200, "", ""},
				{"PATCH", "/things", "", 405, "method_not_allowed", "GET, HEAD, POST"},
				{"DELETE", "/things", "", 405, "method_not_allowed", "GET, HEAD, POST"},
				{"GET", "/nothing", "", 404, "not_found", ""},
				{"POST", "/nothing", "", 404, "not_found", ""},
				{"POST", "/things", `{"sku":"a","sku":"b"}`, 400, "bad_request", ""},
				{"POST", "/things", `{"SKU":"a"}`, 400, "bad_request", ""},
				{"POST", "/things", `{"sku":"mug"}`, 404, "not_found", ""},
				{"POST", "/things", `{"sku":"boom"}`, 500, "internal", ""},
			} {
				r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
				if tt.body != "" {
					r.Header.Set("Content-Type", "application/json")
				}
				res := do(r)
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != tt.status {
					t.Errorf("%s %s %s = %d %s; want %d", tt.method, tt.path, tt.body, res.StatusCode, body, tt.status)
					continue
				}
				if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("%s %s: Cache-Control = %q; want no-store", tt.method, tt.path, cc)
				}
				if tt.code == "" {
					if ct := res.Header.Get("Content-Type"); ct != "application/json" {
						t.Errorf("%s %s: Content-Type = %q; want application/json", tt.method, tt.path, ct)
					}
					continue
				}
				var p struct{ Code, Detail string }
				if res.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(body, &p) != nil || p.Code != tt.code || p.Detail == "" {
					t.Errorf("%s %s %s = %s %s; want a %s problem", tt.method, tt.path, tt.body, res.Header.Get("Content-Type"), body, tt.code)
				}
				if allow := res.Header.Get("Allow"); allow != tt.allow {
					t.Errorf("%s %s: Allow = %q; want %q", tt.method, tt.path, allow, tt.allow)
				}
			}
		})
	}
}
