package demo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"golang.org/x/crypto/bcrypt"
)

// TestVerifyCostsTheSameForUnknownUsers checks SECURITY's "timing does not
// reveal which accounts exist": an unknown username runs a full bcrypt
// comparison, as a wrong password does, instead of answering at once.
//
// A bcrypt comparison at cost 8 takes milliseconds and a map miss well
// under a microsecond, so the bounds below are three orders of magnitude
// from the failure they catch; each case takes its fastest of three runs, so
// a busy machine does not make them flaky.
func TestVerifyCostsTheSameForUnknownUsers(t *testing.T) {
	const cost = bcrypt.MinCost + 4
	users, err := NewUsers(DemoUsers, cost)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fastest := func(user, password string) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			if _, err := users.Verify(ctx, user, password); !errors.Is(err, core.ErrInvalidCredential) {
				t.Fatalf("Verify(%q, %q) = %v; want ErrInvalidCredential", user, password, err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	wrong := fastest("alice", "bob-password")
	for _, tt := range []struct{ name, user, password string }{
		{"an unknown user", "mallory", "bob-password"},
		{"an unknown user with an empty password", "mallory", ""},
		{"an unknown user with a long password", "mallory", string(make([]byte, 1024))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := fastest(tt.user, tt.password)
			if got < time.Millisecond || got < wrong/3 {
				t.Errorf("Verify(%q, …) took %v, a wrong password %v; want a full bcrypt comparison for both", tt.user, got, wrong)
			}
		})
	}
	if id, err := users.Verify(ctx, "alice", "alice-password"); err != nil || id != "1" {
		t.Errorf("Verify(alice, alice-password) = %q, %v; want \"1\", nil", id, err)
	}
}
