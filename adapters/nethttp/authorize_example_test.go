package nethttp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
)

// ExampleRequireRole lets only admins list users, and asks for a recent
// sign-in before one of them is logged out everywhere. The strategy stands
// in for sessions or tokens: it yields the attributes and auth time a
// login chose.
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
	require := nethttp.Require(auth)
	admin := nethttp.RequireRole("admin")
	fresh := nethttp.RequireFreshLogin(15 * time.Minute)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "done") })

	mux := http.NewServeMux()
	mux.Handle("GET /admin/users", require(admin(ok)))
	mux.Handle("DELETE /admin/users/{id}/sessions", require(admin(fresh(ok))))

	call := func(method, path, who string) {
		r := httptest.NewRequest(method, path, nil)
		if who != "" {
			r.Header.Set("Authorization", "Bearer "+who)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
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
