package adapters_test

import (
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/core"
)

// Something else stored under the identity key (by a middleware of the
// application's, say) is not an identity: Identity reports !ok and UserID
// is empty, on gin and on fiber alike.
func TestIdentityIsNotOKForAnotherTypeUnderItsKey(t *testing.T) {
	others := []any{"alice", &core.Identity{UserID: "alice"}, map[string]string{"UserID": "alice"}}

	gin.SetMode(gin.TestMode)
	for _, v := range others {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Set(gobgin.IdentityKey, v)
		if id, ok := gobgin.Identity(c); ok || id.UserID != "" || gobgin.UserID(c) != "" {
			t.Errorf("gin: Identity with a %T under IdentityKey = %+v, %v; want the zero identity, false", v, id, ok)
		}
	}

	app := fiber.New()
	for _, v := range others {
		c := app.AcquireCtx(&fasthttp.RequestCtx{})
		c.Locals(gobfiber.IdentityKey, v)
		if id, ok := gobfiber.Identity(c); ok || id.UserID != "" || gobfiber.UserID(c) != "" {
			t.Errorf("fiber: Identity with a %T under IdentityKey = %+v, %v; want the zero identity, false", v, id, ok)
		}
		app.ReleaseCtx(c)
	}

	// And the real thing is found.
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Set(gobgin.IdentityKey, core.Identity{UserID: "alice", Strategy: "cookie"})
	if id, ok := gobgin.Identity(c); !ok || id.UserID != "alice" {
		t.Errorf("gin: Identity with a core.Identity = %+v, %v; want alice, true", id, ok)
	}
}
