package e2e_test

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	et "github.com/gobware/gobware/examples/internal/exampletest"
)

// The session cookie's Set-Cookie line: a browser-session cookie (no
// Max-Age, no Expires) and a persistent one (both, in net/http's order).
var (
	browserSessionCookie = regexp.MustCompile(`^__Host-gobware_session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Path=/; HttpOnly; Secure; SameSite=Lax$`)
	persistentCookie     = regexp.MustCompile(`^__Host-gobware_session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Path=/; Expires=([^;]+); Max-Age=([0-9]+); HttpOnly; Secure; SameSite=Lax$`)
)

// sessionSetCookie is the Set-Cookie line of the session cookie in r.
func sessionSetCookie(t *testing.T, r et.Resp) string {
	t.Helper()
	var lines []string
	for _, l := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(l, "__Host-gobware_session=") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("session Set-Cookie lines = %q; want one", r.Header.Values("Set-Cookie"))
	}
	return lines[0]
}

// TestRememberMe: POST /api/session with "remember": true sets a
// persistent cookie whose Max-Age and Expires are the session's absolute
// deadline (24 hours); without it, or with false, a browser-session
// cookie. The field is strictly typed.
func TestRememberMe(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := et.Start(t, fw)
			for _, tc := range []struct {
				name string
				body map[string]any
			}{
				{"without remember", map[string]any{"username": "bob", "password": "bob-password"}},
				{"with remember false", map[string]any{"username": "bob", "password": "bob-password", "remember": false}},
			} {
				r := s.Do(et.Req{Method: "POST", Path: "/api/session", Body: tc.body})
				et.Expect(t, "login "+tc.name, r, 200)
				if line := sessionSetCookie(t, r); !browserSessionCookie.MatchString(line) {
					t.Errorf("login %s: Set-Cookie %q; want a browser-session cookie (no Max-Age, no Expires)", tc.name, line)
				}
			}

			before := time.Now()
			r := s.Do(et.Req{Method: "POST", Path: "/api/session", Body: map[string]any{"username": "bob", "password": "bob-password", "remember": true}})
			et.Expect(t, "login with remember true", r, 200)
			line := sessionSetCookie(t, r)
			m := persistentCookie.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("login with remember true: Set-Cookie %q; want Expires and Max-Age", line)
			}
			maxAge, _ := strconv.Atoi(m[2])
			if maxAge < 86400-10 || maxAge > 86400 {
				t.Errorf("Max-Age=%d; want the 24 h lifetime (86400)", maxAge)
			}
			expires, err := http.ParseTime(m[1])
			if deadline := before.Add(24 * time.Hour); err != nil || expires.Before(deadline.Add(-10*time.Second)) || expires.After(deadline.Add(10*time.Second)) {
				t.Errorf("Expires=%q (%v); want about %v, the absolute deadline", m[1], err, deadline.UTC())
			}
			et.Expect(t, "me with the remembered cookie", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: r.Cookie()}), 200)

			bad := s.Do(et.Req{Method: "POST", Path: "/api/session", Body: `{"username":"bob","password":"bob-password","remember":"yes"}`, Header: http.Header{"Content-Type": {"application/json"}}})
			et.Expect(t, "remember as a string", bad, 400)
			if detail, _ := bad.JSON(t)["detail"].(string); !strings.Contains(detail, "remember") {
				t.Errorf("the 400 for a string remember does not name the field: %q", detail)
			}
		})
	}
}

// meOf is GET /api/me with a cookie or a bearer token.
func meOf(t *testing.T, s *et.Server, cookie, bearer string) map[string]any {
	t.Helper()
	r := s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: cookie, Bearer: bearer})
	et.Expect(t, "GET /api/me", r, 200)
	return r.JSON(t)
}

// authTime reads auth_time, which must be RFC 3339 in UTC.
func authTime(t *testing.T, me map[string]any) time.Time {
	t.Helper()
	v, _ := me["auth_time"].(string)
	at, err := time.Parse(time.RFC3339, v)
	if err != nil || !strings.HasSuffix(v, "Z") {
		t.Fatalf("auth_time = %q (%v); want RFC 3339 in UTC", me["auth_time"], err)
	}
	return at
}

// roles reads roles, which must be an array (never null).
func roles(t *testing.T, me map[string]any) []string {
	t.Helper()
	list, ok := me["roles"].([]any)
	if !ok {
		t.Fatalf("roles = %#v; want an array", me["roles"])
	}
	out := []string{}
	for _, r := range list {
		s, _ := r.(string)
		out = append(out, s)
	}
	return out
}

// TestMeHasAuthTimeAndRoles: GET /api/me by session cookie names when the
// caller signed in and their roles: alice is an admin, bob has no roles
// ([]).
func TestMeHasAuthTimeAndRoles(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := et.Start(t, fw)
			before := time.Now().Add(-time.Second)
			aliceCookie := s.Login("alice")
			bobCookie := s.Login("bob")
			after := time.Now().Add(time.Second)

			for _, tc := range []struct {
				who, cookie, bearer, strategy string
				roles                         []string
			}{
				{"alice by cookie", aliceCookie, "", "cookie", []string{"admin"}},
				{"bob by cookie", bobCookie, "", "cookie", []string{}},
			} {
				me := meOf(t, s, tc.cookie, tc.bearer)
				if me["strategy"] != tc.strategy {
					t.Errorf("%s: strategy %v; want %s", tc.who, me["strategy"], tc.strategy)
				}
				if got := roles(t, me); !slices.Equal(got, tc.roles) {
					t.Errorf("%s: roles %q; want %q", tc.who, got, tc.roles)
				}
				if at := authTime(t, me); at.Before(before.Truncate(time.Second)) || at.After(after) {
					t.Errorf("%s: auth_time %v; want between %v and %v", tc.who, at, before, after)
				}
			}

		})
	}
}

// TestMeByBearerHasAuthTimeAndRoles: GET /api/me by bearer token names
// the sign-in's time and the roles too, carried inside the token's
// encryption; a refresh keeps the auth time and the roles (re-read from
// the user directory), and a new sign-in moves the auth time.
func TestMeByBearerHasAuthTimeAndRoles(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := et.Start(t, fw)
			before := time.Now().Add(-time.Second)
			aliceAccess, aliceRefresh := s.Tokens("alice")
			bobAccess, _ := s.Tokens("bob")
			after := time.Now().Add(time.Second)
			for _, tc := range []struct {
				who, bearer string
				roles       []string
			}{{"alice", aliceAccess, []string{"admin"}}, {"bob", bobAccess, []string{}}} {
				me := meOf(t, s, "", tc.bearer)
				if me["strategy"] != "jwt" {
					t.Errorf("%s: strategy %v; want jwt", tc.who, me["strategy"])
				}
				if got := roles(t, me); !slices.Equal(got, tc.roles) {
					t.Errorf("%s: roles %q; want %q", tc.who, got, tc.roles)
				}
				if at := authTime(t, me); at.Before(before.Truncate(time.Second)) || at.After(after) {
					t.Errorf("%s: auth_time %v; want between %v and %v", tc.who, at, before, after)
				}
			}

			first := authTime(t, meOf(t, s, "", aliceAccess))
			time.Sleep(1100 * time.Millisecond)
			r := refresh(s, aliceRefresh)
			et.Expect(t, "refresh", r, 200)
			access, _ := pairOf(t, r)
			me := meOf(t, s, "", access)
			if at := authTime(t, me); !at.Equal(first) {
				t.Errorf("auth_time after a refresh = %v; want the sign-in's %v", at, first)
			}
			if got := roles(t, me); !slices.Equal(got, []string{"admin"}) {
				t.Errorf("roles after a refresh = %q; want [admin]", got)
			}
			again, _ := s.Tokens("alice")
			if at := authTime(t, meOf(t, s, "", again)); !at.After(first) {
				t.Errorf("auth_time of a new sign-in = %v; want after the first's %v", at, first)
			}
		})
	}
}

// adminPath is the admin route for user id's sessions.
func adminPath(id string) string { return "/api/admin/users/" + id + "/sessions" }

// sessionsIn reads a sessions list, checking each entry's shape.
func sessionsIn(t *testing.T, r et.Resp) []map[string]any {
	t.Helper()
	list, ok := r.JSON(t)["sessions"].([]any)
	if !ok {
		t.Fatalf("no sessions array in %s", r.Body)
	}
	var out []map[string]any
	for _, v := range list {
		m, _ := v.(map[string]any)
		for _, k := range []string{"id", "created_at", "last_seen_at", "user_agent", "current"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("session %v lacks %q", m, k)
			}
		}
		out = append(out, m)
	}
	return out
}

// expectProblem fails t unless r is a problem with status and code.
func expectProblem(t *testing.T, what string, r et.Resp, status int, code string) {
	t.Helper()
	et.Expect(t, what, r, status)
	if got, _ := r.JSON(t)["code"].(string); got != code {
		t.Fatalf("%s: code %q; want %q (%s)", what, got, code, r.Body)
	}
}

// TestAdminRoutes: alice (an admin) lists bob's sessions and logs him out
// everywhere, which ends his sessions, his access tokens and his refresh
// tokens; bob (no role) is refused with 403 forbidden, an anonymous caller
// with 401; a cross-site DELETE with alice's cookie is refused.
func TestAdminRoutes(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) { adminWalk(t, et.Start(t, fw)) })
	}
}

// TestAdminRoutesOnEveryStore walks the admin routes with the sessions,
// refresh families and watermarks in PostgreSQL, MariaDB and Redis: the
// roles a login chose come back from each store's one lookup.
func TestAdminRoutesOnEveryStore(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(t *testing.T) []string
	}{
		{"postgres", func(t *testing.T) []string { return []string{"DATABASE_URL=" + et.PostgresURL(t)} }},
		{"mysql", func(t *testing.T) []string { return []string{"DATABASE_URL=" + et.MySQLURL(t)} }},
		{"redis", func(t *testing.T) []string { return et.RedisEnv(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) { adminWalk(t, et.Start(t, "nethttp", tc.env(t)...)) })
	}
}

// adminWalk is the admin routes' walk on server s.
func adminWalk(t *testing.T, s *et.Server) {
	alice := s.Login("alice")
	aliceAccess, _ := s.Tokens("alice")
	bob := s.Login("bob")
	bobAccess, bobRefresh := s.Tokens("bob")

	anonymous := s.Do(et.Req{Method: "GET", Path: adminPath("2")})
	expectProblem(t, "anonymous GET", anonymous, 401, "unauthenticated")
	if ch := anonymous.Header.Get("WWW-Authenticate"); ch != "Bearer" {
		t.Errorf("anonymous GET: WWW-Authenticate %q; want Bearer", ch)
	}
	expectProblem(t, "anonymous DELETE", s.Do(et.Req{Method: "DELETE", Path: adminPath("2")}), 401, "unauthenticated")
	expectProblem(t, "bob's cookie GET", s.Do(et.Req{Method: "GET", Path: adminPath("1"), Cookie: bob}), 403, "forbidden")
	expectProblem(t, "bob's token GET", s.Do(et.Req{Method: "GET", Path: adminPath("1"), Bearer: bobAccess}), 403, "forbidden")
	expectProblem(t, "bob's cookie DELETE", s.Do(et.Req{Method: "DELETE", Path: adminPath("1"), Cookie: bob, Header: http.Header{"Sec-Fetch-Site": {"same-origin"}}}), 403, "forbidden")
	expectProblem(t, "bob's token DELETE", s.Do(et.Req{Method: "DELETE", Path: adminPath("1"), Bearer: bobAccess}), 403, "forbidden")
	expectProblem(t, "a wrong method", s.Do(et.Req{Method: "PUT", Path: adminPath("2"), Cookie: alice}), 405, "method_not_allowed")

	for what, r := range map[string]et.Req{
		"alice's cookie": {Method: "GET", Path: adminPath("2"), Cookie: alice},
		"alice's token":  {Method: "GET", Path: adminPath("2"), Bearer: aliceAccess},
	} {
		list := s.Do(r)
		et.Expect(t, what+" lists bob's sessions", list, 200)
		if got := sessionsIn(t, list); len(got) != 1 || got[0]["current"] != false {
			t.Errorf("%s: bob's sessions = %v; want one, not current", what, got)
		}
	}
	if got := sessionsIn(t, s.Do(et.Req{Method: "GET", Path: adminPath("99"), Cookie: alice})); len(got) != 0 {
		t.Errorf("sessions of a user nobody has = %v; want none", got)
	}

	expectProblem(t, "a cross-site DELETE with alice's cookie", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Cookie: alice, Header: http.Header{"Sec-Fetch-Site": {"cross-site"}}}), 403, "forbidden_origin")
	expectProblem(t, "a DELETE from another origin with alice's cookie", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Cookie: alice, Header: http.Header{"Origin": {"https://evil.example"}}}), 403, "forbidden_origin")
	et.Expect(t, "bob after refused DELETEs", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: bob}), 200)

	et.Expect(t, "alice logs bob out everywhere", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Cookie: alice, Header: http.Header{"Sec-Fetch-Site": {"same-origin"}}}), 204)
	expectProblem(t, "bob's cookie afterwards", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: bob}), 401, "invalid_credentials")
	expectProblem(t, "bob's access token afterwards", s.Do(et.Req{Method: "GET", Path: "/api/me", Bearer: bobAccess}), 401, "invalid_credentials")
	expectProblem(t, "bob's refresh token afterwards", refresh(s, bobRefresh), 401, "invalid_credentials")
	if got := sessionsIn(t, s.Do(et.Req{Method: "GET", Path: adminPath("2"), Cookie: alice})); len(got) != 0 {
		t.Errorf("bob's sessions after the DELETE = %v; want none", got)
	}
	et.Expect(t, "alice's cookie afterwards", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: alice}), 200)
	et.Expect(t, "alice's token afterwards", s.Do(et.Req{Method: "GET", Path: "/api/me", Bearer: aliceAccess}), 200)
	et.Expect(t, "bob signs in again", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: s.Login("bob")}), 200)
	bobAccess, bobRefresh = s.Tokens("bob")
	// Within the second of the first DELETE: bob's new token carries the
	// next second as its iat, and the second DELETE still reaches it.
	et.Expect(t, "alice's token logs bob out everywhere again", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Bearer: aliceAccess}), 204)
	expectProblem(t, "bob's new access token afterwards", s.Do(et.Req{Method: "GET", Path: "/api/me", Bearer: bobAccess}), 401, "invalid_credentials")
	expectProblem(t, "bob's new refresh token afterwards", refresh(s, bobRefresh), 401, "invalid_credentials")
}

// TestAdminLogoutNeedsAFreshLogin runs each server with a short
// FRESH_LOGIN_MAX_AGE: once alice's sign-in is older, the DELETE is
// refused with 403 reauthentication_required (by cookie and by token) and
// ends nothing, the GET still works, and signing in again moves auth_time
// and lets the DELETE through.
func TestAdminLogoutNeedsAFreshLogin(t *testing.T) {
	// Auth times may be kept to the second: the limit leaves room for that.
	const maxAge = 3 * time.Second
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := et.Start(t, fw, "FRESH_LOGIN_MAX_AGE="+maxAge.String())
			alice := s.Login("alice")
			aliceAccess, _ := s.Tokens("alice")
			bob := s.Login("bob")
			first := authTime(t, meOf(t, s, alice, ""))
			time.Sleep(maxAge + 1500*time.Millisecond)

			et.Expect(t, "a stale admin lists bob's sessions", s.Do(et.Req{Method: "GET", Path: adminPath("2"), Cookie: alice}), 200)
			expectProblem(t, "a stale cookie DELETE", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Cookie: alice}), 403, "reauthentication_required")
			expectProblem(t, "a stale token DELETE", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Bearer: aliceAccess}), 403, "reauthentication_required")
			et.Expect(t, "bob after the refused DELETEs", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: bob}), 200)

			again := s.Login("alice")
			if at := authTime(t, meOf(t, s, again, "")); !at.After(first) {
				t.Errorf("auth_time after signing in again = %v; want after the first sign-in's %v", at, first)
			}
			et.Expect(t, "a fresh DELETE", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Cookie: again}), 204)
			et.Expect(t, "bob after the fresh DELETE", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: bob}), 401)
			freshAccess, _ := s.Tokens("alice")
			et.Expect(t, "a fresh token DELETE", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Bearer: freshAccess}), 204)
		})
	}
}

// TestFreshLoginMaxAgeIsChecked: a malformed FRESH_LOGIN_MAX_AGE stops
// every server at start with a message naming the variable.
func TestFreshLoginMaxAgeIsChecked(t *testing.T) {
	for _, fw := range et.Frameworks {
		for _, v := range []string{"soon", "-1m", "48h", "15"} {
			if stderr := et.Fails(t, fw, "FRESH_LOGIN_MAX_AGE="+v); !strings.Contains(stderr, "FRESH_LOGIN_MAX_AGE") {
				t.Errorf("%s started with FRESH_LOGIN_MAX_AGE=%s: stderr %q; want a message naming the variable", fw, v, stderr)
			}
		}
	}
}
