package gin_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/gin-gonic/gin"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/core"
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	admin := r.Group("/admin", gobgin.Require(auth), gobgin.RequireRole("admin"))
	admin.GET("/users", func(c *gin.Context) { c.String(200, "done") })
	admin.DELETE("/users/:id/sessions", gobgin.RequireFreshLogin(15*time.Minute), func(c *gin.Context) { c.String(200, "done") })

	call := func(method, path, who string) {
		req := httptest.NewRequest(method, path, nil)
		if who != "" {
			req.Header.Set("Authorization", "Bearer "+who)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		answer := w.Body.String()
		var problem struct{ Code string }
		if json.Unmarshal(w.Body.Bytes(), &problem) == nil {
			answer = problem.Code
		}
		fmt.Println(method, path, who+":", w.Code, answer)
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
