package e2e_test

import (
	"github.com/gobware/gobware/examples/internal/exampletest"
	"path/filepath"
	"testing"
)

// TestSessionWalk follows one person through the session lifecycle on every
// framework: login, me, sessions, a second login, fixation, logout, replay,
// log out everywhere, and a restart that keeps sessions.
func TestSessionWalk(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			db := "DATABASE_URL=sqlite:" + filepath.Join(t.TempDir(), "walk.db")
			s := exampletest.Start(t, fw, db)

			first := s.Login("alice")
			me := s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: first})
			exampletest.Expect(t, "me with the first cookie", me, 200)
			if got := me.JSON(t); got["username"] != "alice" || got["strategy"] != "cookie" || got["user_id"] != "1" {
				t.Fatalf("me = %v; want alice by cookie", got)
			}

			second := s.Login("alice")
			if second == first {
				t.Fatal("a second login reused the first session ID")
			}
			list := s.Do(exampletest.Req{Method: "GET", Path: "/api/sessions", Cookie: second})
			exampletest.Expect(t, "list sessions", list, 200)
			sessions, _ := list.JSON(t)["sessions"].([]any)
			if len(sessions) != 2 {
				t.Fatalf("alice has %d sessions; want 2: %s", len(sessions), list.Body)
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
			fixed := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Cookie: second,
				Body: map[string]string{"username": "alice", "password": "alice-password"}})
			exampletest.Expect(t, "login holding a cookie", fixed, 200)
			third := fixed.Cookie()
			if third == second {
				t.Fatal("login kept the session ID the request carried")
			}
			exampletest.Expect(t, "the replaced cookie", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: second}), 401)

			logout := s.Do(exampletest.Req{Method: "DELETE", Path: "/api/session", Cookie: third})
			exampletest.Expect(t, "logout", logout, 204)
			exampletest.Expect(t, "replay after logout", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: third}), 401)
			exampletest.Expect(t, "the first session survives another's logout", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: first}), 200)

			everywhere := s.Do(exampletest.Req{Method: "DELETE", Path: "/api/sessions", Cookie: first})
			exampletest.Expect(t, "log out everywhere", everywhere, 204)
			exampletest.Expect(t, "a session after log out everywhere", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: first}), 401)

			// End one of bob's sessions by the handle the listing gives, from another.
			phone, laptop := s.Login("bob"), s.Login("bob")
			var phoneID, laptopID string
			for _, x := range s.Do(exampletest.Req{Method: "GET", Path: "/api/sessions", Cookie: laptop}).JSON(t)["sessions"].([]any) {
				if v := x.(map[string]any); v["current"] == true {
					laptopID = v["id"].(string)
				} else {
					phoneID = v["id"].(string)
				}
			}
			exampletest.Expect(t, "end the phone's session by handle", s.Do(exampletest.Req{Method: "DELETE", Path: "/api/sessions/" + phoneID, Cookie: laptop}), 204)
			exampletest.Expect(t, "the phone after it was ended", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: phone}), 401)
			exampletest.Expect(t, "the laptop that ended it", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: laptop}), 200)
			exampletest.Expect(t, "alice cannot end bob's live session", s.Do(exampletest.Req{Method: "DELETE", Path: "/api/sessions/" + laptopID, Cookie: s.Login("alice")}), 404)
			exampletest.Expect(t, "bob's laptop after alice tried", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: laptop}), 200)

			kept := s.Login("bob")
			s.Stop()
			s = exampletest.Start(t, fw, db)
			exampletest.Expect(t, "a session after a restart", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: kept}), 200)
		})
	}
}
