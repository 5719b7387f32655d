package e2e_test

import (
	"path/filepath"
	"testing"
)

// TestSessionWalk follows one person through the session lifecycle on every
// framework: login, me, sessions, a second login, fixation, logout, replay,
// log out everywhere, and a restart that keeps sessions.
func TestSessionWalk(t *testing.T) {
	for _, fw := range frameworks {
		t.Run(fw, func(t *testing.T) {
			db := "DATABASE_URL=sqlite:" + filepath.Join(t.TempDir(), "walk.db")
			s := start(t, fw, db)

			first := s.login("alice")
			me := s.do(req{method: "GET", path: "/api/me", cookie: first})
			expect(t, "me with the first cookie", me, 200)
			if got := me.json(t); got["username"] != "alice" || got["strategy"] != "cookie" || got["user_id"] != "1" {
				t.Fatalf("me = %v; want alice by cookie", got)
			}

			second := s.login("alice")
			if second == first {
				t.Fatal("a second login reused the first session ID")
			}
			list := s.do(req{method: "GET", path: "/api/sessions", cookie: second})
			expect(t, "list sessions", list, 200)
			sessions, _ := list.json(t)["sessions"].([]any)
			if len(sessions) != 2 {
				t.Fatalf("alice has %d sessions; want 2: %s", len(sessions), list.body)
			}
			current := 0
			for _, x := range sessions {
				if x.(map[string]any)["current"] == true {
					current++
				}
			}
			if current != 1 {
				t.Fatalf("%d sessions are marked current; want 1", current)
			}

			// Fixation: logging in while holding a cookie replaces it and ends the old one.
			fixed := s.do(req{method: "POST", path: "/api/session", cookie: second,
				body: map[string]string{"username": "alice", "password": "alice-password"}})
			expect(t, "login holding a cookie", fixed, 200)
			third := fixed.cookie()
			if third == second {
				t.Fatal("login kept the session ID the request carried")
			}
			expect(t, "the replaced cookie", s.do(req{method: "GET", path: "/api/me", cookie: second}), 401)

			logout := s.do(req{method: "DELETE", path: "/api/session", cookie: third})
			expect(t, "logout", logout, 204)
			expect(t, "replay after logout", s.do(req{method: "GET", path: "/api/me", cookie: third}), 401)
			expect(t, "the first session survives another's logout", s.do(req{method: "GET", path: "/api/me", cookie: first}), 200)

			everywhere := s.do(req{method: "DELETE", path: "/api/sessions", cookie: first})
			expect(t, "log out everywhere", everywhere, 204)
			expect(t, "a session after log out everywhere", s.do(req{method: "GET", path: "/api/me", cookie: first}), 401)

			kept := s.login("bob")
			s.stop()
			s = start(t, fw, db)
			expect(t, "a session after a restart", s.do(req{method: "GET", path: "/api/me", cookie: kept}), 200)
		})
	}
}
