package demo

import (
	"context"
	"errors"
	"testing"

	"github.com/gobware/gobware/core"
	"golang.org/x/crypto/bcrypt"
)

// TestVerifyCostsTheSameForUnknownUsers checks SECURITY's "timing does not
// reveal which accounts exist" structurally rather than with a stopwatch:
// every answer, for a known user or not, right password or not, costs
// exactly one bcrypt comparison against a hash of the same cost.
func TestVerifyCostsTheSameForUnknownUsers(t *testing.T) {
	const cost = bcrypt.MinCost
	users, err := NewUsers(DemoUsers, cost)
	if err != nil {
		t.Fatal(err)
	}
	var costs []int
	users.compare = func(hash, password []byte) error {
		c, err := bcrypt.Cost(hash)
		if err != nil {
			t.Fatalf("compared against a non-bcrypt hash: %v", err)
		}
		costs = append(costs, c)
		return bcrypt.CompareHashAndPassword(hash, password)
	}
	tests := []struct {
		name, user, password string
		ok                   bool
	}{
		{"the right password", "alice", "alice-password", true},
		{"a wrong password", "alice", "bob-password", false},
		{"an unknown user", "mallory", "bob-password", false},
		{"an unknown user with an empty password", "mallory", "", false},
		{"an unknown user with a long password", "mallory", string(make([]byte, 1024)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			costs = nil
			id, err := users.Verify(context.Background(), tt.user, tt.password)
			if tt.ok != (err == nil) || (!tt.ok && !errors.Is(err, core.ErrInvalidCredential)) {
				t.Fatalf("Verify(%q, …) = %q, %v; want ok=%v", tt.user, id, err, tt.ok)
			}
			if len(costs) != 1 || costs[0] != cost {
				t.Errorf("Verify(%q, …) made bcrypt comparisons at costs %v; want exactly one at cost %d", tt.user, costs, cost)
			}
		})
	}
}
