package e2e_test

import (
	"strings"
	"testing"

	et "github.com/gobware/gobware/examples/internal/exampletest"
)

// TestSessionCap runs each example server with MAX_SESSIONS_PER_USER=2:
// a third login of one user ends that user's first session (its cookie now
// gets 401), keeps the other two and other users' sessions, and logs a
// session_ended event with reason session_cap naming the user.
func TestSessionCap(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := et.Start(t, fw, "MAX_SESSIONS_PER_USER=2")
			bob := s.Login("bob")
			first, second := s.Login("alice"), s.Login("alice")
			for what, c := range map[string]string{"first": first, "second": second} {
				et.Expect(t, "alice's "+what+" session under the cap", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: c}), 200)
			}
			third := s.Login("alice")
			et.Expect(t, "alice's first session after a third login", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: first}), 401)
			for what, c := range map[string]string{"alice's second session": second, "alice's third session": third, "bob's session": bob} {
				et.Expect(t, what+" after alice's third login", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: c}), 200)
			}
			list := s.Do(et.Req{Method: "GET", Path: "/api/sessions", Cookie: third})
			et.Expect(t, "alice's sessions", list, 200)
			if sessions, _ := list.JSON(t)["sessions"].([]any); len(sessions) != 2 {
				t.Errorf("alice has %d sessions under a cap of 2; want 2: %s", len(sessions), list.Body)
			}
			// Logging in while holding a live cookie replaces that session
			// and counts as one: nothing else ends.
			again := s.Do(et.Req{Method: "POST", Path: "/api/session", Cookie: third, Body: et.Credentials("alice", "alice-password")})
			et.Expect(t, "alice logs in again holding her third cookie", again, 200)
			et.Expect(t, "alice's second session after a replacing login", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: second}), 200)

			var capped []string
			for _, line := range strings.Split(s.Stdout.String()+s.Stderr.String(), "\n") {
				if strings.Contains(line, "event=session_ended") && strings.Contains(line, "reason=session_cap") {
					capped = append(capped, line)
				}
			}
			if len(capped) != 1 || !strings.Contains(capped[0], "user_id=1 ") {
				t.Errorf("session_cap events in the log = %q; want one naming alice (user_id=1)", capped)
			}
		})
	}
}

// TestSessionCapIsOffByDefault: without MAX_SESSIONS_PER_USER, three logins
// of one user leave three live sessions.
func TestSessionCapIsOffByDefault(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := et.Start(t, fw)
			first := s.Login("alice")
			s.Login("alice")
			third := s.Login("alice")
			et.Expect(t, "alice's first session after two more logins", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: first}), 200)
			if sessions, _ := s.Do(et.Req{Method: "GET", Path: "/api/sessions", Cookie: third}).JSON(t)["sessions"].([]any); len(sessions) != 3 {
				t.Errorf("alice has %d sessions without a cap; want 3", len(sessions))
			}
		})
	}
}

// TestSessionCapOnRedis: the cap holds with sessions in Redis, and across
// two servers sharing it (a login on one ends the oldest session made on
// the other).
func TestSessionCapOnRedis(t *testing.T) {
	env := append(et.RedisEnv(t), "MAX_SESSIONS_PER_USER=2")
	a, b := et.Start(t, "nethttp", env...), et.Start(t, "gin", env...)
	first := a.Login("alice")
	second := b.Login("alice")
	third := a.Login("alice")
	for _, s := range []*et.Server{a, b} {
		et.Expect(t, "alice's first session after a third login", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: first}), 401)
		et.Expect(t, "alice's second session", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: second}), 200)
		et.Expect(t, "alice's third session", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: third}), 200)
	}
}

// TestSessionCapRefusesABadValue: a malformed MAX_SESSIONS_PER_USER stops
// the server at start with a message naming the variable.
func TestSessionCapRefusesABadValue(t *testing.T) {
	for _, v := range []string{"-1", "two"} {
		if stderr := et.Fails(t, "nethttp", "MAX_SESSIONS_PER_USER="+v); !strings.Contains(stderr, "MAX_SESSIONS_PER_USER") {
			t.Errorf("start with MAX_SESSIONS_PER_USER=%s: stderr %q; want a message naming the variable", v, stderr)
		}
	}
}
