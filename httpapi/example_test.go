package httpapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
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

// ExampleServe shows all an adapter does: wrap the framework's request
// (here a *http.Request, as net/http and gin have), let Serve pick the
// route and run it, and write the Reply back.
func ExampleServe() {
	sessions, _ := cookie.New([][]byte{[]byte("an example key of exactly 32 by.")}, cookie.NewMemoryStore(), cookie.Options{})
	api := &httpapi.API{Users: users{}, Sessions: sessions}
	resources := map[string]httpapi.Resource{}
	for _, res := range httpapi.Resources(api.Routes()) {
		resources[res.Pattern] = res
	}

	login := httptest.NewRequest("POST", "/api/session", strings.NewReader(`{"username":"alice","password":"alice-password"}`))
	login.Header.Set("Content-Type", "application/json")
	reply := httpapi.Serve(resources["/api/session"], httpapi.HTTPRequest(login, nil))
	fmt.Println(reply.Status, string(reply.Body))

	me := httptest.NewRequest("GET", "/api/me", nil)
	me.Header.Set("Cookie", strings.Split(reply.Header.Get("Set-Cookie"), ";")[0])
	w := httptest.NewRecorder()
	httpapi.Serve(resources["/api/me"], httpapi.HTTPRequest(me, nil)).Write(w)
	fmt.Println(w.Code, w.Body)

	anonymous := httpapi.Serve(resources["/api/me"], httpapi.HTTPRequest(httptest.NewRequest("GET", "/api/me", nil), nil))
	fmt.Println(anonymous.Status, anonymous.Problem.Code)
	// Output:
	// 200 {"user_id":"1","username":"alice"}
	//
	// 200 {"strategy":"cookie","user_id":"1","username":"alice"}
	//
	// 401 unauthenticated
}
