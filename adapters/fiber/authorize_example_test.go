package fiber_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"time"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	"github.com/gobware/gobware/core"
	"github.com/gofiber/fiber/v2"
)

// ExampleRequireRole lets only admins into a group of routes, and asks for
// a recent sign-in before a user is logged out everywhere. The strategy
// stands in for sessions or tokens: it yields the attributes and auth time
// a login chose.
func ExampleRequireRole() {
	auth := core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		admin := core.Attributes{core.RoleAttribute: {"admin"}}
		switch core.FirstHeader(r, "Authorization") {
		case "Bearer alice": // an admin, who signed in two hours ago
			return core.Identity{UserID: "1", AuthTime: time.Now().Add(-2 * time.Hour), Attributes: admin}, nil
		case "Bearer bob": // signed in just now, no role
			return core.Identity{UserID: "2", AuthTime: time.Now()}, nil
		}
		return core.Identity{}, core.ErrNoCredential
	})
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	admin := app.Group("/admin", gobfiber.New(gobfiber.Config{Strategy: auth}), gobfiber.RequireRole("admin"))
	admin.Get("/users", func(c *fiber.Ctx) error { return c.SendString("done") })
	admin.Delete("/users/:id/sessions", gobfiber.RequireFreshLogin(15*time.Minute), func(c *fiber.Ctx) error { return c.SendString("done") })

	call := func(method, path, who string) {
		req := httptest.NewRequest(method, path, nil)
		if who != "" {
			req.Header.Set("Authorization", "Bearer "+who)
		}
		res, _ := app.Test(req, -1)
		body, _ := io.ReadAll(res.Body)
		answer := string(body)
		var problem struct{ Code string }
		if json.Unmarshal(body, &problem) == nil {
			answer = problem.Code
		}
		fmt.Println(method, path, who+":", res.StatusCode, answer)
	}
	call("GET", "/admin/users", "")
	call("GET", "/admin/users", "bob")
	call("GET", "/admin/users", "alice")
	call("DELETE", "/admin/users/2/sessions", "alice")
	// Output:
	// GET /admin/users : 401 unauthenticated
	// GET /admin/users bob: 403 forbidden
	// GET /admin/users alice: 200 done
	// DELETE /admin/users/2/sessions alice: 403 reauthentication_required
}
