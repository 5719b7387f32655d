package demo

import (
	"context"
	"errors"
	"strings"
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

func TestLoadConfigRefusesOneKeyForBothSecrets(t *testing.T) {
	secret := "c2Vzc2lvbi1zZWNyZXQtZm9yLXRlc3RzLTMyYnl0ZXM="
	other := "YWNjZXNzLXRva2VuLXNlY3JldC1mb3ItdGVzdHMtMzI="
	env := map[string]string{"SESSION_SECRET": secret, "ACCESS_TOKEN_SECRET": other + "," + secret}
	_, err := LoadConfig(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "SESSION_SECRET") || !strings.Contains(err.Error(), "ACCESS_TOKEN_SECRET") {
		t.Errorf("LoadConfig with a key in both rings: %v; want an error naming both variables", err)
	}
}

func TestLoadConfigReadsTrustedProxies(t *testing.T) {
	env := map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.0.1"}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil || !cfg.TrustedProxies.Trusts("10.1.2.3") || cfg.TrustedProxies.Trusts("11.0.0.1") {
		t.Errorf("LoadConfig(TRUSTED_PROXIES) = %v; want 10.0.0.0/8 trusted and nothing else", err)
	}
	env["TRUSTED_PROXIES"] = "nonsense"
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil || !strings.HasPrefix(err.Error(), "TRUSTED_PROXIES") {
		t.Errorf("LoadConfig(TRUSTED_PROXIES=nonsense) = %v; want an error naming the variable", err)
	}
}

func TestAliceIsAnAdminAndBobIsNot(t *testing.T) {
	users, err := NewUsers(DemoUsers, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id    string
		admin bool
	}{{"1", true}, {"2", false}} {
		attrs, err := users.Attributes(context.Background(), tt.id)
		if err != nil || attrs.Has(core.RoleAttribute, "admin") != tt.admin {
			t.Errorf("Attributes(%q) = %v, %v; want admin %v", tt.id, attrs, err, tt.admin)
		}
	}
	if _, err := users.Attributes(context.Background(), "99"); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Attributes of an unknown user = %v; want ErrInvalidCredential", err)
	}
}
