package adapters_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// freshFor is the sign-in age the apps' /fresh route accepts.
const freshFor = 10 * time.Minute

// adminLogin is what the apps' /login-admin handler records at login.
var adminLogin = core.LoginOptions{Method: core.MethodPassword, Attributes: core.Attributes{core.RoleAttribute: {"admin"}, "tenant": {"acme"}}}

// people authenticates "Authorization: Bearer <name>" as one of a few
// made-up callers, each with the attributes and auth time a login chose.
type people struct{}

func (people) Challenge() string { return "Bearer" }
func (people) Authenticate(r core.Request) (core.Identity, error) {
	now := time.Now()
	admin := core.Attributes{core.RoleAttribute: {"support", "admin"}, "tenant": {"acme"}}
	who := map[string]core.Identity{
		"Bearer admin":       {UserID: "1", Strategy: "jwt", AuthTime: now.Add(-time.Minute), Attributes: admin},
		"Bearer user":        {UserID: "2", Strategy: "jwt", AuthTime: now.Add(-time.Minute), Attributes: core.Attributes{"tenant": {"other"}}},
		"Bearer plain":       {UserID: "3", Strategy: "jwt", AuthTime: now.Add(-time.Minute)},
		"Bearer stale-admin": {UserID: "4", Strategy: "jwt", AuthTime: now.Add(-freshFor - time.Minute), Attributes: admin},
		"Bearer no-time":     {UserID: "5", Strategy: "jwt", Attributes: admin},
	}
	if id, ok := who[core.FirstHeader(r, "Authorization")]; ok {
		return id, nil
	}
	return core.Identity{}, core.ErrNoCredential
}

// TestAuthorizationContract holds every adapter's RequireRole,
// RequireAttribute and RequireFreshLogin to the same answers, written once.
func TestAuthorizationContract(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		bearer     string // the caller, see people
		wantStatus int
		wantCode   string
		wantBody   string
	}{
		{"an admin passes the role requirement", "/admin", "admin", 200, "", "1/jwt"},
		{"a user without the role is forbidden", "/admin", "user", 403, "forbidden", ""},
		{"a user with no attributes at all is forbidden", "/admin", "plain", 403, "forbidden", ""},
		{"an anonymous caller is unauthenticated before any role check", "/admin", "", 401, "unauthenticated", ""},
		{"an anonymous caller let through by an optional guard is unauthenticated", "/public-admin", "", 401, "unauthenticated", ""},
		{"an admin let through by an optional guard passes", "/public-admin", "admin", 200, "", "1/jwt"},
		{"a user let through by an optional guard is forbidden", "/public-admin", "user", 403, "forbidden", ""},
		{"a matching attribute passes", "/tenant", "admin", 200, "", "1/jwt"},
		{"another value of the attribute is forbidden", "/tenant", "user", 403, "forbidden", ""},
		{"a missing attribute is forbidden", "/tenant", "plain", 403, "forbidden", ""},
		{"a sign-in a minute ago is fresh", "/fresh", "admin", 200, "", "1/jwt"},
		{"a sign-in older than the limit needs reauthentication", "/fresh", "stale-admin", 403, "reauthentication_required", ""},
		{"no auth time at all needs reauthentication", "/fresh", "no-time", 403, "reauthentication_required", ""},
		{"an anonymous caller is unauthenticated before the freshness check", "/fresh", "", 401, "unauthenticated", ""},
		{"a stale admin still passes the role requirement alone", "/admin", "stale-admin", 200, "", "4/jwt"},
	}
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			sessions := newSessions(t, cookie.NewMemoryStore())
			app := build(t, appConfig{sessions: sessions, auth: core.Chain(sessions, people{})})
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := httptest.NewRequest("GET", tt.path, nil)
					if tt.bearer != "" {
						r.Header.Set("Authorization", "Bearer "+tt.bearer)
					}
					res := app(r)
					got := body(t, res)
					if res.StatusCode != tt.wantStatus {
						t.Fatalf("GET %s as %q = %d %s; want %d", tt.path, tt.bearer, res.StatusCode, got, tt.wantStatus)
					}
					if tt.wantStatus == 200 {
						if got != tt.wantBody {
							t.Errorf("body = %q; want %q", got, tt.wantBody)
						}
						return
					}
					if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" || !strings.Contains(got, `"code":"`+tt.wantCode+`"`) {
						t.Errorf("answer %s %s; want a problem+json with code %s", ct, got, tt.wantCode)
					}
					if strings.Contains(got, "/jwt") {
						t.Errorf("the refused request reached the handler: %s", got)
					}
					if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
						t.Errorf("Cache-Control = %q; want no-store", cc)
					}
				})
			}
		})
	}
}

// TestAuthorizationOfSessionCookies: the attributes and auth time an
// adopter's own login handler records with the adapter's LoginWith come
// back with the session cookie, and every adapter's requirements decide
// from them.
func TestAuthorizationOfSessionCookies(t *testing.T) {
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			sessions := newSessions(t, cookie.NewMemoryStore())
			app := build(t, appConfig{sessions: sessions, auth: sessions})
			admin := app(httptest.NewRequest("POST", "/login-admin", nil))
			if admin.StatusCode != 200 || len(admin.Cookies()) != 1 {
				t.Fatalf("POST /login-admin = %d %q", admin.StatusCode, admin.Header.Values("Set-Cookie"))
			}
			plain := login(t, app)
			for _, tc := range []struct {
				who        string
				cookie     *http.Cookie
				path       string
				wantStatus int
			}{
				{"the admin", admin.Cookies()[0], "/admin", 200},
				{"the admin", admin.Cookies()[0], "/tenant", 200},
				{"the admin, signed in just now", admin.Cookies()[0], "/fresh", 200},
				{"a user logged in without attributes", plain.Cookies()[0], "/admin", 403},
				{"a user logged in without attributes", plain.Cookies()[0], "/tenant", 403},
				{"a user logged in without attributes, just now", plain.Cookies()[0], "/fresh", 200},
			} {
				r := httptest.NewRequest("GET", tc.path, nil)
				r.AddCookie(tc.cookie)
				if res := app(r); res.StatusCode != tc.wantStatus {
					t.Errorf("GET %s as %s = %d %s; want %d", tc.path, tc.who, res.StatusCode, body(t, res), tc.wantStatus)
				}
			}
		})
	}
}
