package authapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// adminAPI is every route of an API whose logins carry alice's role
// admin, with fresh as API.FreshLogin, served by path pattern.
func adminAPI(t *testing.T, fresh time.Duration) map[string]httpapi.Resource {
	t.Helper()
	quiet := func(context.Context, core.Event) {}
	sessions, err := cookie.New([][]byte{testSessionKey}, cookie.NewMemoryStore(), cookie.Options{Events: quiet})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{testAccessKey}, jwt.NewMemoryStore(), jwt.Options{Events: quiet, Watermarks: jwt.NewMemoryWatermarks()})
	if err != nil {
		t.Fatal(err)
	}
	api := &authapi.API{
		Users: twoUsers{}, Sessions: sessions, Tokens: tokens, FreshLogin: fresh,
		Attributes: func(ctx context.Context, userID string) (core.Attributes, error) {
			if userID == "alice" {
				return core.Attributes{core.RoleAttribute: {"admin"}}, nil
			}
			return nil, nil
		},
	}
	out := map[string]httpapi.Resource{}
	for _, res := range httpapi.Resources(httpapi.Prefix("/api", api.Routes())) {
		out[res.Pattern] = res
	}
	return out
}

// signIn logs user in with a session cookie and returns "name=value".
func signIn(t *testing.T, api map[string]httpapi.Resource, user string) string {
	t.Helper()
	reply := post(api["/api/session"], "/api/session", `{"username":"`+user+`","password":"`+user+`-password"}`, "192.0.2.1")
	if reply.Status != 200 {
		t.Fatalf("login %s = %d %s", user, reply.Status, reply.Body)
	}
	for _, c := range (&http.Response{Header: reply.Header}).Cookies() {
		if c.Name == "__Host-gobware_session" {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatalf("login %s set no session cookie", user)
	return ""
}

func serveCookie(res httpapi.Resource, method, path, cookie string) *httpapi.Reply {
	r := httptest.NewRequest(method, path, nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	return httpapi.Serve(res, httpapi.HTTPRequest(r, func(name string) string {
		if name == "user_id" {
			return r.URL.Path[len("/api/admin/users/") : len(r.URL.Path)-len("/sessions")]
		}
		return ""
	}))
}

func TestMeNamesAuthTimeAndRoles(t *testing.T) {
	api := adminAPI(t, 0)
	before := time.Now().UTC().Truncate(time.Second)
	for _, tc := range []struct {
		user  string
		roles []string
	}{{"alice", []string{"admin"}}, {"bob", []string{}}} {
		reply := serveCookie(api["/api/me"], "GET", "/api/me", signIn(t, api, tc.user))
		var me authapi.Me
		if reply.Status != 200 || json.Unmarshal(reply.Body, &me) != nil {
			t.Fatalf("GET /api/me as %s = %d %s", tc.user, reply.Status, reply.Body)
		}
		if me.AuthTime == nil || me.AuthTime.Before(before) || me.AuthTime.After(time.Now()) || me.AuthTime.Location() != time.UTC {
			t.Errorf("%s's auth_time = %v; want this sign-in's, in UTC", tc.user, me.AuthTime)
		}
		if !slices.Equal(me.Roles, tc.roles) {
			t.Errorf("%s's roles = %q; want %q", tc.user, me.Roles, tc.roles)
		}
	}
}

func TestMeOfAnIdentityWithoutAuthTimeOrRoles(t *testing.T) {
	b, _ := json.Marshal(authapi.MeOf(core.Identity{UserID: "7", Strategy: "custom"}, "carol"))
	if want := `{"user_id":"7","username":"carol","strategy":"custom","auth_time":null,"roles":[]}`; string(b) != want {
		t.Errorf("MeOf = %s; want %s", b, want)
	}
}

func TestAdminRoutesDecideByRoleAndFreshness(t *testing.T) {
	const path = "/api/admin/users/bob/sessions"
	for _, tc := range []struct {
		name       string
		fresh      time.Duration
		caller     string // "" anonymous
		method     string
		wantStatus int
		wantCode   string
	}{
		{"an admin lists a user's sessions", 0, "alice", "GET", 200, ""},
		{"an admin with a fresh sign-in logs a user out everywhere", 0, "alice", "DELETE", 204, ""},
		{"a user without the role may not list", 0, "bob", "GET", 403, "forbidden"},
		{"a user without the role may not log out", 0, "bob", "DELETE", 403, "forbidden"},
		{"an anonymous caller may not list", 0, "", "GET", 401, "unauthenticated"},
		{"an anonymous caller may not log out", 0, "", "DELETE", 401, "unauthenticated"},
		{"an admin whose sign-in is older than FreshLogin still lists", time.Nanosecond, "alice", "GET", 200, ""},
		{"an admin whose sign-in is older than FreshLogin may not log out", time.Nanosecond, "alice", "DELETE", 403, "reauthentication_required"},
		{"the role is checked before the sign-in's age", time.Nanosecond, "bob", "DELETE", 403, "forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := adminAPI(t, tc.fresh)
			bob := signIn(t, api, "bob")
			caller := ""
			if tc.caller != "" {
				caller = signIn(t, api, tc.caller)
			}
			reply := serveCookie(api["/api/admin/users/{user_id}/sessions"], tc.method, path, caller)
			if reply.Status != tc.wantStatus || (tc.wantCode != "" && problemCode(t, reply) != tc.wantCode) {
				t.Fatalf("%s %s as %q = %d %s; want %d %s", tc.method, path, tc.caller, reply.Status, reply.Body, tc.wantStatus, tc.wantCode)
			}
			bobAlive := serveCookie(api["/api/me"], "GET", "/api/me", bob).Status == 200
			if want := tc.wantStatus != 204; bobAlive != want {
				t.Errorf("bob signed in afterwards: %v; want %v", bobAlive, want)
			}
			if tc.method == "GET" && tc.wantStatus == 200 {
				var v struct{ Sessions []map[string]any }
				if json.Unmarshal(reply.Body, &v) != nil || len(v.Sessions) != 1 || v.Sessions[0]["current"] != false {
					t.Errorf("bob's sessions = %s; want one, not current", reply.Body)
				}
			}
		})
	}
}

func TestAnAdminLoggingThemselfOutEverywhereLosesTheCookieToo(t *testing.T) {
	api := adminAPI(t, 0)
	alice := signIn(t, api, "alice")
	reply := serveCookie(api["/api/admin/users/{user_id}/sessions"], "DELETE", "/api/admin/users/alice/sessions", alice)
	if reply.Status != 204 {
		t.Fatalf("DELETE own sessions = %d %s", reply.Status, reply.Body)
	}
	if got := reply.Header.Get("Set-Cookie"); got == "" || !strings.Contains(got, "Max-Age=0") {
		t.Errorf("Set-Cookie = %q; want the session cookie expired", got)
	}
}
