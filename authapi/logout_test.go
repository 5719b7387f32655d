package authapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// downWatermarks is a watermark store that cannot be reached.
type downWatermarks struct{}

func (downWatermarks) Raise(context.Context, string, time.Time, time.Time) error {
	return fmt.Errorf("test: %w", core.ErrUnavailable)
}
func (downWatermarks) Watermarks(context.Context, []string) ([]time.Time, error) {
	return nil, fmt.Errorf("test: %w", core.ErrUnavailable)
}

// tokenAPI is the auth endpoints over memory stores with watermarks in wm.
func tokenAPI(t *testing.T, wm jwt.WatermarkStore) (map[string]httpapi.Resource, *jwt.Strategy) {
	t.Helper()
	quiet := func(context.Context, core.Event) {}
	sessions, err := cookie.New([][]byte{testSessionKey}, cookie.NewMemoryStore(), cookie.Options{Events: quiet})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{testAccessKey}, jwt.NewMemoryStore(), jwt.Options{Events: quiet, Watermarks: wm})
	if err != nil {
		t.Fatal(err)
	}
	api := &authapi.API{Users: users{}, Sessions: sessions, Tokens: tokens}
	out := map[string]httpapi.Resource{}
	for _, res := range httpapi.Resources(httpapi.Prefix("/api", api.Routes())) {
		out[res.Pattern] = res
	}
	return out, tokens
}

func serveBearer(res httpapi.Resource, method, path, token, body string) *httpapi.Reply {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	return httpapi.Serve(res, httpapi.HTTPRequest(r, nil))
}

func login(t *testing.T, api map[string]httpapi.Resource) (access, refresh string) {
	t.Helper()
	reply := post(api["/api/token"], "/api/token", `{"username":"alice","password":"alice-password"}`, "192.0.2.1")
	var v struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if reply.Status != 200 || json.Unmarshal(reply.Body, &v) != nil {
		t.Fatalf("POST /api/token = %d %s", reply.Status, reply.Body)
	}
	return v.AccessToken, v.RefreshToken
}

func TestLogoutEverywhereEndsTokens(t *testing.T) {
	t.Run("refresh families end, and access tokens at once with watermarks", func(t *testing.T) {
		api, _ := tokenAPI(t, jwt.NewMemoryWatermarks())
		access, refresh := login(t, api)
		otherAccess, otherRefresh := login(t, api) // another device
		if reply := serveBearer(api["/api/sessions"], "DELETE", "/api/sessions", access, ""); reply.Status != 204 {
			t.Fatalf("DELETE /api/sessions = %d %s; want 204", reply.Status, reply.Body)
		}
		for _, tok := range []string{access, otherAccess} {
			if reply := serveBearer(api["/api/me"], "GET", "/api/me", tok, ""); reply.Status != 401 {
				t.Errorf("GET /api/me with an access token after log out everywhere = %d; want 401", reply.Status)
			}
		}
		for _, tok := range []string{refresh, otherRefresh} {
			reply := serveBearer(api["/api/token/refresh"], "POST", "/api/token/refresh", "", `{"refresh_token":"`+tok+`"}`)
			if reply.Status != 401 {
				t.Errorf("refresh after log out everywhere = %d %s; want 401", reply.Status, reply.Body)
			}
		}
		newAccess, _ := login(t, api)
		if reply := serveBearer(api["/api/me"], "GET", "/api/me", newAccess, ""); reply.Status != 200 {
			t.Errorf("GET /api/me after logging in again = %d; want 200", reply.Status)
		}
	})
	t.Run("without watermarks refresh families end and access tokens live until exp", func(t *testing.T) {
		api, _ := tokenAPI(t, nil)
		access, refresh := login(t, api)
		if reply := serveBearer(api["/api/sessions"], "DELETE", "/api/sessions", access, ""); reply.Status != 204 {
			t.Fatalf("DELETE /api/sessions = %d %s", reply.Status, reply.Body)
		}
		if reply := serveBearer(api["/api/token/refresh"], "POST", "/api/token/refresh", "", `{"refresh_token":"`+refresh+`"}`); reply.Status != 401 {
			t.Errorf("refresh after log out everywhere = %d; want 401", reply.Status)
		}
		if reply := serveBearer(api["/api/me"], "GET", "/api/me", access, ""); reply.Status != 200 {
			t.Errorf("GET /api/me = %d; want 200 (documented: valid until exp without watermarks)", reply.Status)
		}
	})
	t.Run("an outage of the watermark store is a 503, never an accepted token", func(t *testing.T) {
		api, _ := tokenAPI(t, downWatermarks{})
		reply := post(api["/api/token"], "/api/token", `{"username":"alice","password":"alice-password"}`, "192.0.2.1")
		if reply.Status != 503 {
			t.Errorf("POST /api/token with the watermark store down = %d %s; want 503", reply.Status, reply.Body)
		}
		tok, err := jwt.New([][]byte{testAccessKey}, jwt.NewMemoryStore(), jwt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		access, _, _ := tok.AccessToken("1")
		if reply := serveBearer(api["/api/me"], "GET", "/api/me", access, ""); reply.Status != 503 {
			t.Errorf("GET /api/me with the watermark store down = %d %s; want 503", reply.Status, reply.Body)
		}
	})
}

func TestAPILogoutEverywhereIsTheSDKCall(t *testing.T) {
	api, tokens := tokenAPI(t, nil)
	_, refresh := login(t, api)
	a := &authapi.API{Tokens: tokens}
	if err := a.LogoutEverywhere(t.Context(), "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := tokens.Refresh(t.Context(), refresh); !errors.Is(err, jwt.ErrRevoked) {
		t.Errorf("Refresh after API.LogoutEverywhere = %v; want %v", err, jwt.ErrRevoked)
	}
}

// flakyStore is a memory session store whose deletes fail while down.
type flakyStore struct {
	*cookie.MemoryStore
	down bool
}

func (f *flakyStore) Delete(ctx context.Context, h cookie.Hash) error {
	if f.down {
		return fmt.Errorf("db: %w", syscall.ECONNREFUSED)
	}
	return f.MemoryStore.Delete(ctx, h)
}

func TestLogoutThatCannotReachTheStoreStillClearsTheCookie(t *testing.T) {
	store := &flakyStore{MemoryStore: cookie.NewMemoryStore()}
	sessions, err := cookie.New([][]byte{testSessionKey}, store, cookie.Options{})
	if err != nil {
		t.Fatal(err)
	}
	login := httpapi.NewReply(200)
	if err := sessions.Login(newFake("POST"), login, "alice"); err != nil {
		t.Fatal(err)
	}
	value := strings.TrimPrefix(strings.SplitN(login.Header.Get("Set-Cookie"), ";", 2)[0], sessions.CookieName()+"=")
	api := &authapi.API{Sessions: sessions, Users: users{}}
	var logout httpapi.Resource
	for _, res := range httpapi.Resources(httpapi.Prefix("/api", api.Routes())) {
		if res.Pattern == "/api/session" {
			logout = res
		}
	}
	store.down = true
	r := newFake("DELETE")
	r.AddCookie(sessions.CookieName(), value)
	reply := httpapi.Serve(logout, r)
	if reply.Status != 503 {
		t.Errorf("DELETE /api/session with the store down = %d; want 503", reply.Status)
	}
	if c := reply.Header.Get("Set-Cookie"); !strings.Contains(c, "Max-Age=0") {
		t.Errorf("Set-Cookie = %q; want the expiring cookie even though the store failed", c)
	}
}
