package passkey_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey"
)

// from is a request context whose client address is ip, as gobware's
// middleware makes it.
func from(ip string) context.Context {
	return core.WithRequestInfo(context.Background(), core.RequestInfo{ID: "r", ClientIP: ip})
}

func TestChallengesPerClientAddressAreBoundedEachMinute(t *testing.T) {
	now := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
	challenges := passkey.NewMemoryChallenges(0)
	var events []core.Event
	svc, err := passkey.New(rpID, []string{origin}, passkey.NewMemoryStore(), passkey.Options{
		Challenges:             challenges,
		MaxChallengesPerMinute: 3,
		Now:                    func() time.Time { return now },
		Events:                 func(_ context.Context, e core.Event) { events = append(events, e) },
	})
	if err != nil {
		t.Fatal(err)
	}
	attacker := from("203.0.113.7")
	// Sign-in and registration options draw on one allowance.
	if _, err := svc.BeginRegistration(attacker, passkey.User{ID: "alice"}); err != nil {
		t.Fatalf("BeginRegistration: %v", err)
	}
	for i := 0; i < 2; i++ {
		if _, err := svc.BeginLogin(attacker); err != nil {
			t.Fatalf("BeginLogin %d: %v", i+1, err)
		}
	}
	now = now.Add(20 * time.Second)
	for name, begin := range map[string]func() error{
		"BeginLogin":        func() error { _, err := svc.BeginLogin(attacker); return err },
		"BeginRegistration": func() error { _, err := svc.BeginRegistration(attacker, passkey.User{ID: "alice"}); return err },
	} {
		err := begin()
		var limited *passkey.LimitedError
		if !errors.As(err, &limited) || !errors.Is(err, passkey.ErrTooManyChallenges) || core.Status(err) != http.StatusTooManyRequests {
			t.Fatalf("%s over the bound = %v (status %d); want a *LimitedError, 429", name, err, core.Status(err))
		}
		if limited.Wait != 40*time.Second {
			t.Errorf("%s: Wait = %v; want the 40 s left of the minute", name, limited.Wait)
		}
	}
	if got := challenges.Len(); got != 3 {
		t.Errorf("the store holds %d challenges; want 3: a refused request stores nothing", got)
	}
	if e := events[len(events)-1]; e.Type != core.EventRateLimited || e.Strategy != passkey.StrategyName || e.Reason != "too_many_challenges" {
		t.Errorf("last event = %+v; want rate_limited, passkey, too_many_challenges", e)
	}

	// Other clients keep their own allowance; without an address (no
	// RequestInfo) nothing is bounded.
	for _, ctx := range []context.Context{from("198.51.100.1"), context.Background(), context.Background(), context.Background(), context.Background()} {
		if _, err := svc.BeginLogin(ctx); err != nil {
			t.Errorf("BeginLogin for another client: %v", err)
		}
	}
	// An IPv6 client counts by /64: a fresh address in the block is the
	// same client.
	v6 := []string{"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:db8:1:2::4"}
	for i, ip := range v6 {
		_, err := svc.BeginLogin(from(ip))
		if over := i == 3; over != errors.Is(err, passkey.ErrTooManyChallenges) {
			t.Errorf("BeginLogin from %s (request %d of the /64) = %v", ip, i+1, err)
		}
	}

	now = now.Add(40 * time.Second) // the next minute
	if _, err := svc.BeginLogin(attacker); err != nil {
		t.Errorf("BeginLogin in the next minute: %v", err)
	}
}

func TestChallengesPerMinuteNegativeMeansNoBound(t *testing.T) {
	svc, err := passkey.New(rpID, []string{origin}, passkey.NewMemoryStore(), passkey.Options{MaxChallengesPerMinute: -1, Events: func(context.Context, core.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < passkey.DefaultMaxChallengesPerMinute+1; i++ {
		if _, err := svc.BeginLogin(from("203.0.113.7")); err != nil {
			t.Fatalf("BeginLogin %d: %v", i+1, err)
		}
	}
}

func TestChallengesPerMinuteDefaultsToABound(t *testing.T) {
	svc, err := passkey.New(rpID, []string{origin}, passkey.NewMemoryStore(), passkey.Options{Events: func(context.Context, core.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < passkey.DefaultMaxChallengesPerMinute; i++ {
		if _, err := svc.BeginLogin(from("203.0.113.7")); err != nil {
			t.Fatalf("BeginLogin %d: %v", i+1, err)
		}
	}
	if _, err := svc.BeginLogin(from("203.0.113.7")); !errors.Is(err, passkey.ErrTooManyChallenges) {
		t.Errorf("BeginLogin %d = %v; want ErrTooManyChallenges", passkey.DefaultMaxChallengesPerMinute+1, err)
	}
}
