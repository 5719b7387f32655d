package nethttp_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/strategy/cookie"
)

// ExampleRequire protects a handler with a session cookie: the login handler
// sets the cookie, the protected one reads the user ID.
func ExampleRequire() {
	key := []byte("an example key of exactly 32 by.") // use core.ParseSecret(os.Getenv("SESSION_SECRET"))
	sessions, _ := cookie.New([][]byte{key}, cookie.NewMemoryStore(), cookie.Options{})

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// Check the password first; then:
		if err := nethttp.Login(w, r, sessions, "alice"); err != nil {
			http.Error(w, "cannot log in now", http.StatusServiceUnavailable)
		}
	})
	mux.Handle("GET /account", nethttp.Require(sessions)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s", nethttp.UserID(r))
	})))

	login := httptest.NewRecorder()
	mux.ServeHTTP(login, httptest.NewRequest("POST", "/login", nil))

	anonymous := httptest.NewRecorder()
	mux.ServeHTTP(anonymous, httptest.NewRequest("GET", "/account", nil))
	fmt.Println(anonymous.Code)

	account := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/account", nil)
	r.AddCookie(login.Result().Cookies()[0])
	mux.ServeHTTP(account, r)
	fmt.Println(account.Code, account.Body)
	// Output:
	// 401
	// 200 hello alice
}
