package jwt_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
)

func TestRevokeAccessRefusesTheToken(t *testing.T) {
	list := jwt.NewMemoryRevocationList()
	s, clk, _ := newStrategy(t, [][]byte{key1}, jwt.Options{Revocations: list})
	list.Now = clk.Now
	tok, other := mustToken(t, s, "alice"), mustToken(t, s, "alice")
	c, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAccess(t.Context(), c); err != nil {
		t.Fatalf("RevokeAccess = %v", err)
	}
	if _, err := s.Authenticate(bearer(tok)); !errors.Is(err, jwt.ErrRevoked) || !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate(revoked) = %v; want %v", err, jwt.ErrRevoked)
	}
	if _, err := s.Authenticate(bearer(other)); err != nil {
		t.Errorf("Authenticate(another token of the user) = %v; want nil", err)
	}
	// The entry must outlive the token's acceptance: exp plus leeway.
	clk.Advance(jwt.DefaultLifetime + jwt.DefaultLeeway - time.Second)
	if _, err := s.Verify(tok); !errors.Is(err, jwt.ErrRevoked) {
		t.Errorf("Verify(revoked) one second before exp+leeway = %v; want %v", err, jwt.ErrRevoked)
	}
	clk.Advance(time.Second)
	if _, err := s.Verify(tok); !errors.Is(err, jwt.ErrExpired) {
		t.Errorf("Verify(revoked) at exp+leeway = %v; want %v", err, jwt.ErrExpired)
	}
}

func TestRevokeAccessWithoutAListIsAnError(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	c, err := s.Verify(mustToken(t, s, "alice"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAccess(t.Context(), c); !errors.Is(err, jwt.ErrNoRevocationList) {
		t.Errorf("RevokeAccess without list = %v; want %v", err, jwt.ErrNoRevocationList)
	}
}

func TestMemoryRevocationListPrunesLapsedEntries(t *testing.T) {
	clk := coretest.NewClock(epoch)
	l := jwt.NewMemoryRevocationList()
	l.Now = clk.Now
	ctx := t.Context()
	for i := range 100 {
		if err := l.Revoke(ctx, fmt.Sprint("old-", i), clk.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := l.Revoked(ctx, "old-1"); !ok {
		t.Errorf("Revoked(old-1) = false before it lapses; want true")
	}
	clk.Advance(time.Minute)
	if ok, _ := l.Revoked(ctx, "old-1"); ok {
		t.Errorf("Revoked(old-1) = true after it lapsed; want false")
	}
	// Adding entries prunes the lapsed ones without an explicit Prune.
	for i := range 200 {
		if err := l.Revoke(ctx, fmt.Sprint("new-", i), clk.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n := l.Len(); n != 200 {
		t.Errorf("Len() = %d after 100 lapsed and 200 live entries; want 200", n)
	}
	clk.Advance(time.Hour)
	l.Prune(clk.Now())
	if n := l.Len(); n != 0 {
		t.Errorf("Len() after Prune = %d; want 0", n)
	}
	if err := l.Revoke(ctx, "past", clk.Now().Add(-time.Second)); err != nil || l.Len() != 0 {
		t.Errorf("Revoke(already lapsed) = %v, Len %d; want nil, 0", err, l.Len())
	}
}
