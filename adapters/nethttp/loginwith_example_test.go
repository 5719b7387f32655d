package nethttp_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// ExampleLoginWith signs a user in with a role and "remember me", reads
// both back in a protected handler, and steps the session up after a
// second factor with Update, which sets a new cookie.
func ExampleLoginWith() {
	key := []byte("a third example key of 32 bytes.") // core.ParseSecret(os.Getenv("SESSION_SECRET"))
	sessions, _ := cookie.New([][]byte{key}, cookie.NewMemoryStore(), cookie.Options{})

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// Check the password first; then:
		remember := r.FormValue("remember") == "on"
		err := nethttp.LoginWith(w, r, sessions, "alice", core.LoginOptions{
			Method:     core.MethodPassword,
			Attributes: core.Attributes{core.RoleAttribute: {"admin"}},
			Remember:   &remember,
		})
		if err != nil {
			http.Error(w, "refused", core.Status(err))
		}
	})
	mux.Handle("POST /second-factor", nethttp.Require(sessions)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Check the one-time code first; then:
		id, err := nethttp.Update(w, r, sessions, core.SessionUpdate{Reauthenticated: true, Method: "password+totp"})
		if err != nil {
			http.Error(w, "refused", core.Status(err))
			return
		}
		fmt.Fprint(w, id.Method)
	})))
	mux.Handle("GET /admin", nethttp.Require(sessions)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := nethttp.Identity(r)
		if err := core.RequireAttribute(id, core.RoleAttribute, "admin"); err != nil {
			http.Error(w, "forbidden", core.Status(err))
			return
		}
		fresh := core.RequireFreshLogin(id, 15*time.Minute, time.Now()) == nil
		fmt.Fprintf(w, "admin %s, signed in by %s, fresh %v", id.UserID, id.Method, fresh)
	})))

	do := func(method, path, body string, c *http.Cookie) *http.Response {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c != nil {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w.Result()
	}
	read := func(res *http.Response) string { b, _ := io.ReadAll(res.Body); return string(b) }
	c := do("POST", "/login", "remember=on", nil).Cookies()[0]
	fmt.Println("remembered:", c.MaxAge > 0)
	fmt.Println(read(do("GET", "/admin", "", c)))

	stepped := do("POST", "/second-factor", "", c)
	fmt.Println(read(stepped), "new cookie:", stepped.Cookies()[0].Value != c.Value)
	fmt.Println("old cookie:", do("GET", "/admin", "", c).StatusCode)
	// Output:
	// remembered: true
	// admin alice, signed in by password, fresh true
	// password+totp new cookie: true
	// old cookie: 401
}
