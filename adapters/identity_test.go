package adapters_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/core"
)

// The identity lives in the request's context only (the middleware keeps no
// second copy in c.Keys or c.Locals): what an application stores under a
// key of its own, even a core.Identity under the key earlier releases used,
// is not the caller's identity, on gin and on fiber alike.
func TestIdentityComesFromTheRequestContextOnly(t *testing.T) {
	alice := core.Identity{UserID: "alice", Strategy: "cookie"}
	mallory := core.Identity{UserID: "mallory", Strategy: "cookie"}

	gin.SetMode(gin.TestMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/", nil)
	c.Set("gobware.identity", mallory)
	if id, ok := gobgin.Identity(c); ok || gobgin.UserID(c) != "" {
		t.Errorf("gin: Identity with an identity in c.Keys only = %+v, %v; want the zero identity, false", id, ok)
	}
	c.Request = c.Request.WithContext(core.NewContext(context.Background(), alice))
	if id, ok := gobgin.Identity(c); !ok || id.UserID != "alice" || gobgin.UserID(c) != "alice" {
		t.Errorf("gin: Identity with alice in the request's context = %+v, %v; want alice, true", id, ok)
	}

	app := fiber.New()
	fc := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(fc)
	fc.Locals("gobware.identity", mallory)
	if id, ok := gobfiber.Identity(fc); ok || gobfiber.UserID(fc) != "" {
		t.Errorf("fiber: Identity with an identity in c.Locals only = %+v, %v; want the zero identity, false", id, ok)
	}
	fc.SetUserContext(core.NewContext(context.Background(), alice))
	if id, ok := gobfiber.Identity(fc); !ok || id.UserID != "alice" || gobfiber.UserID(fc) != "alice" {
		t.Errorf("fiber: Identity with alice in the user context = %+v, %v; want alice, true", id, ok)
	}
}
