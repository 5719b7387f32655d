package authapi_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// fuzzRoutes are the JSON-body routes, by index.
var fuzzRoutes = []struct{ method, path, pattern string }{
	{"POST", "/api/session", "/api/session"},
	{"POST", "/api/token", "/api/token"},
	{"POST", "/api/token/refresh", "/api/token/refresh"},
	{"POST", "/api/token/revoke", "/api/token/revoke"},
}

// FuzzJSONBodies sends arbitrary bodies and content types to every endpoint
// that reads JSON. Whatever comes in, the answer is never a 5xx, and every
// error is a well-formed problem document.
func FuzzJSONBodies(f *testing.F) {
	seeds := []string{
		`{"username":"alice","password":"alice-password"}`,
		`{"username":"alice","password":"wrong"}`,
		`{"username":"","password":""}`,
		`{"username":"` + strings.Repeat("a", 300) + `","password":"x"}`,
		`{"username":"\xff\xfe","password":"x"}`,
		`{"username":"alice","password":"x","admin":true}`,
		`{"username":"nobody","username":"alice","password":"alice-password"}`,
		`{"USERNAME":"alice","PassWord":"alice-password"}`,
		`{"s\u212aU":"tea-1","quantity":1}`,
		`{"sku":"tea-1","quantity":1,"quantity":2}`,
		`{"refresh_token":"a","refresh_token":"b"}`,
		`{"username":"alice\ud800","password":"x"}`,
		`{"username":["alice"],"password":{}}`,
		`{"username":"alice","password":"x"}{"username":"bob"}`,
		`{"refresh_token":"` + strings.Repeat("A", 43) + `"}`,
		`{"refresh_token":null}`,
		`{"sku":"tea-1","quantity":1}`,
		`{"sku":"tea-1","quantity":99999999999999999999}`,
		`{"sku":"tea-1","quantity":-1}`,
		`{"sku":"tea-1","quantity":1.5}`,
		`{"sku":"../../etc/passwd","quantity":1}`,
		`{"sku":"tea-1\u0000","quantity":1}`,
		`{"quantity":0}`,
		`[]`, `null`, `"x"`, `{`, ``, "\x00",
		`{"a":` + strings.Repeat("[", 10000) + `}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), "application/json", s)
	}
	f.Add(uint8(0), "application/json; charset=utf-8; charset=latin1", `{}`)
	f.Add(uint8(1), "text/plain", `{"username":"alice","password":"alice-password"}`)
	f.Add(uint8(4), "application/x+json", `{"sku":"tea-1","quantity":1}`)
	f.Add(uint8(5), "", `{"quantity":2}`)

	quiet := func(context.Context, core.Event) {}
	sessions, _ := cookie.New([][]byte{testSessionKey}, cookie.NewMemoryStore(), cookie.Options{Events: quiet})
	tokens, _ := jwt.New([][]byte{testAccessKey}, jwt.NewMemoryStore(), jwt.Options{Events: quiet})
	lim, _ := limiter.New(limiter.Options{Events: quiet, Backoff: time.Millisecond, MaxBackoff: time.Millisecond})
	api := &authapi.API{Users: users{}, Sessions: sessions, Tokens: tokens, Limiter: lim}
	resources := map[string]httpapi.Resource{}
	for _, res := range httpapi.Resources(httpapi.Prefix("/api", api.Routes())) {
		resources[res.Pattern] = res
	}
	pair, err := tokens.Issue(context.Background(), "1")
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, route uint8, contentType, body string) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		r := httptest.NewRequest(rt.method, rt.path, strings.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		r.Header.Set("Authorization", "Bearer "+pair.AccessToken)
		reply := httpapi.Serve(resources[rt.pattern], httpapi.HTTPRequest(r, nil))
		if reply.Status >= 500 {
			t.Fatalf("%s %s (%q) %q = %d %s; want no 5xx", rt.method, rt.path, contentType, body, reply.Status, reply.Body)
		}
		if reply.Status >= 400 {
			var p httpapi.Problem
			if err := json.Unmarshal(reply.Body, &p); err != nil || p.Status != reply.Status || p.Code == "" {
				t.Fatalf("%s %s %q = %d with body %q; want a problem document", rt.method, rt.path, body, reply.Status, reply.Body)
			}
			if body != "" && len(body) > 8 && strings.Contains(p.Detail, body) {
				t.Fatalf("problem detail %q echoes the body", p.Detail)
			}
		}
	})
}
