package authapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
)

// TestSpellingVariantsShareTheAccountAllowance: wrong passwords sent under
// spellings of one name count against one account, while users{}, the
// directory, still decides that only "alice" is alice.
func TestSpellingVariantsShareTheAccountAllowance(t *testing.T) {
	quiet := func(context.Context, core.Event) {}
	for _, path := range []string{"/api/session", "/api/token"} {
		t.Run(path, func(t *testing.T) {
			now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			api := limitedAPI(t, &now, quiet) // two free failures per account
			res := api[path]
			for i, name := range []string{"ALICE", "Alice", "\uff41\uff4c\uff49\uff43\uff45"} {
				body := `{"username":"` + name + `","password":"nope"}`
				if reply := post(res, path, body, "192.0.2."+string(rune('1'+i))); reply.Status != 401 {
					t.Fatalf("wrong password as %q = %d %s; want 401", name, reply.Status, reply.Body)
				}
			}
			right := `{"username":"alice","password":"alice-password"}`
			if reply := post(res, path, right, "198.51.100.1"); reply.Status != 429 {
				t.Fatalf("the right password after three failures under other spellings = %d %s; want 429", reply.Status, reply.Body)
			}
			if reply := post(res, path, `{"username":"bob","password":"nope"}`, "198.51.100.1"); reply.Status != 401 {
				t.Fatalf("another account = %d %s; want 401 (its own allowance)", reply.Status, reply.Body)
			}
		})
	}
	t.Run("the directory decides what a name matches", func(t *testing.T) {
		now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		res := limitedAPI(t, &now, quiet)["/api/session"]
		if reply := post(res, "/api/session", `{"username":"ALICE","password":"alice-password"}`, "192.0.2.1"); reply.Status != 401 {
			t.Fatalf("ALICE with alice's password = %d %s; want 401 (users{} matches alice only)", reply.Status, reply.Body)
		}
		if reply := post(res, "/api/session", `{"username":"alice","password":"alice-password"}`, "192.0.2.1"); reply.Status != 200 {
			t.Fatalf("alice = %d %s; want 200", reply.Status, reply.Body)
		}
	})
}
