package authapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/strategy/cookie"
)

// users is a one-user directory for the example.
type users struct{}

func (users) Verify(ctx context.Context, name, password string) (string, error) {
	if name == "alice" && password == "alice-password" {
		return "1", nil
	}
	return "", core.ErrInvalidCredential
}

func (users) Name(ctx context.Context, id string) (string, error) { return "alice", nil }

// ExampleAPI mounts the session endpoints under /auth of a net/http
// server, next to the application's own route, which the same strategy
// protects.
func ExampleAPI() {
	sessions, _ := cookie.New([][]byte{[]byte("an example key of exactly 32 by.")}, cookie.NewMemoryStore(), cookie.Options{})
	auth := &authapi.API{Users: users{}, Sessions: sessions}

	mux := http.NewServeMux()
	nethttp.Mount(mux, "/auth", auth.Routes())
	mux.Handle("GET /hello", nethttp.Require(auth.Strategy())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello user %s\n", nethttp.UserID(r))
	})))

	login := httptest.NewRequest("POST", "/auth/session", strings.NewReader(`{"username":"alice","password":"alice-password"}`))
	login.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, login)
	fmt.Print(w.Code, " ", w.Body)

	hello := httptest.NewRequest("GET", "/hello", nil)
	hello.Header.Set("Cookie", strings.Split(w.Header().Get("Set-Cookie"), ";")[0])
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, hello)
	fmt.Print(w.Code, " ", w.Body)
	// Output:
	// 200 {"user_id":"1","username":"alice"}
	// 200 hello user 1
}

// ExampleAPI_PasskeyRoutes adds the passkey endpoints: a passkey.Service
// for the site, next to the session strategy a passkey sign-in ends in.
func ExampleAPI_PasskeyRoutes() {
	sessions, _ := cookie.New([][]byte{[]byte("an example key of exactly 32 b..")}, cookie.NewMemoryStore(), cookie.Options{})
	passkeys, err := passkey.New("example.com", []string{"https://example.com"}, passkey.NewMemoryStore(), passkey.Options{})
	if err != nil {
		panic(err)
	}
	auth := &authapi.API{Users: users{}, Sessions: sessions, Passkeys: passkeys}
	for _, rt := range auth.PasskeyRoutes() {
		fmt.Println(rt.Method, "/auth"+rt.Pattern)
	}
	// Output:
	// POST /auth/passkeys/register/options
	// POST /auth/passkeys/register
	// POST /auth/passkeys/login/options
	// POST /auth/passkeys/login
	// GET /auth/passkeys
	// PATCH /auth/passkeys/{id}
	// DELETE /auth/passkeys/{id}
}

// ExampleAPI_AdminRoutes gives alice the role admin at every login
// (Attributes) and mounts the admin endpoints: she lists and ends other
// users' sessions, anyone else gets 403.
func ExampleAPI_AdminRoutes() {
	sessions, _ := cookie.New([][]byte{[]byte("an example key of exactly 32 by.")}, cookie.NewMemoryStore(), cookie.Options{})
	auth := &authapi.API{
		Users:    users{},
		Sessions: sessions,
		Attributes: func(ctx context.Context, userID string) (core.Attributes, error) {
			if userID == "1" { // read the user's roles from your own tables
				return core.Attributes{core.RoleAttribute: {"admin"}}, nil
			}
			return nil, nil
		},
		FreshLogin: 15 * time.Minute, // how recent a sign-in the DELETE needs
	}
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/auth", auth.Routes())

	login := httptest.NewRequest("POST", "/auth/session", strings.NewReader(`{"username":"alice","password":"alice-password","remember":true}`))
	login.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, login)
	alice := strings.Split(w.Header().Get("Set-Cookie"), ";")[0]

	for _, call := range []struct{ method, cookie string }{{"GET", alice}, {"DELETE", alice}, {"GET", ""}} {
		r := httptest.NewRequest(call.method, "/auth/admin/users/2/sessions", nil)
		if call.cookie != "" {
			r.Header.Set("Cookie", call.cookie)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		var body struct {
			Sessions []any
			Code     string
		}
		json.Unmarshal(w.Body.Bytes(), &body)
		fmt.Println(strings.TrimSpace(fmt.Sprint(call.method, " ", w.Code, " ", body.Code)))
	}
	// Output:
	// GET 200
	// DELETE 204
	// GET 401 unauthenticated
}
