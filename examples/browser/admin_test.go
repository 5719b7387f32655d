package browser_test

import (
	"strings"
	"testing"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestAdminPanel signs in as bob (no role: no roles shown, no admin panel)
// and then as alice (an admin: "(admin)" in the header and the users'
// sessions panel), lists bob's sessions from the panel and signs him out
// everywhere, on every framework. It also checks that "Remember me" is
// sent with the sign-in.
func TestAdminPanel(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			chromium(t)
			s := exampletest.Start(t, fw)
			bob := s.Login("bob") // bob on another device
			b := openTab(t, s)
			b.open()

			b.signIn("cookie", "bob", "bob-password")
			b.waitState("cookie")
			if hidden := eval[bool](b, `document.getElementById('admin-panel').hidden`); !hidden {
				t.Error("bob, who is not an admin, sees the users' sessions panel")
			}
			if hidden := eval[bool](b, `document.getElementById('who-roles').hidden`); !hidden {
				t.Errorf("bob has no role, yet the header shows %q", b.text("#who-roles"))
			}
			b.click("#sign-out")
			b.waitState("signed-out")

			b.click("#remember") // Remember me on this device
			b.signIn("cookie", "alice", "alice-password")
			b.waitState("cookie")
			if logins := b.requestsTo("POST", "/api/session"); len(logins) == 0 || !strings.Contains(logins[len(logins)-1].Body, `"remember":true`) {
				t.Errorf("the sign-in with Remember me ticked sent %+v; want \"remember\":true", logins)
			}
			if got := b.text("#who-roles"); got != "(admin)" {
				t.Errorf("alice's roles in the header = %q; want %q", got, "(admin)")
			}
			if hidden := eval[bool](b, `document.getElementById('admin-panel').hidden`); hidden {
				t.Fatal("alice, an admin, does not see the users' sessions panel")
			}

			b.typeInto("#admin-user", "2\r")
			b.waitMessage("info", "User 2 has 1 session.")
			if n := eval[int](b, `document.querySelectorAll('#admin-sessions li').length`); n != 1 {
				t.Errorf("the panel lists %d of bob's sessions; want 1", n)
			}

			b.click("#admin-sign-out")
			b.waitMessage("info", "User 2 is signed out everywhere.")
			if n := eval[int](b, `document.querySelectorAll('#admin-sessions li').length`); n != 0 {
				t.Errorf("the panel lists %d of bob's sessions after signing him out; want 0", n)
			}
			exampletest.Expect(t, "bob's other device after alice signed him out",
				s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: bob}), 401)
			if got := b.state(); got != "cookie" {
				t.Errorf("alice's page after signing bob out is %q; want still signed in", got)
			}
			b.noPageErrors()
		})
	}
}
