package nethttp_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
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

// ExampleLogin shows the login CSRF protection an application's own login
// handler gets: a form posted from another site is refused before any
// session is made.
func ExampleLogin() {
	key := []byte("another example key of 32 bytes.")
	sessions, _ := cookie.New([][]byte{key}, cookie.NewMemoryStore(), cookie.Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// Check the password first; then:
		if err := nethttp.Login(w, r, sessions, "alice"); err != nil {
			http.Error(w, "refused", core.Status(err))
		}
	})
	app := nethttp.RequestInfo(httpapi.TrustedProxies{})(mux)

	forged := httptest.NewRequest("POST", "/login", nil)
	forged.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	app.ServeHTTP(w, forged)
	fmt.Println(w.Code, len(w.Result().Cookies()), "cookies")

	own := httptest.NewRequest("POST", "/login", nil)
	own.Header.Set("Sec-Fetch-Site", "same-origin")
	w = httptest.NewRecorder()
	app.ServeHTTP(w, own)
	fmt.Println(w.Code, len(w.Result().Cookies()), "cookie")
	// Output:
	// 403 0 cookies
	// 200 1 cookie
}

// ExampleRequestInfo reads the client's address through a trusted load
// balancer.
func ExampleRequestInfo() {
	lb, _ := httpapi.ParseTrustedProxies("192.0.2.0/24") // httptest's peer address
	h := nethttp.RequestInfo(lb)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := core.RequestInfoFrom(r.Context())
		fmt.Println("client:", info.ClientIP)
	}))
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Forwarded-For", "203.0.113.50, 198.51.100.7")
	h.ServeHTTP(httptest.NewRecorder(), r)
	// Output:
	// client: 198.51.100.7
}
