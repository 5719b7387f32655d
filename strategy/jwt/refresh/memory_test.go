package refresh_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt/jwttest"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestMemoryStore(t *testing.T) {
	var m *refresh.MemoryStore
	jwttest.TestRefreshStore(t,
		func(*testing.T) refresh.Store { m = refresh.NewMemoryStore(); return m },
		func(_ *testing.T, users ...string) []string { return refresh.MemoryStoreRecords(m, users...) })
}

func TestMemoryStoreCleanupDropsExpiredFamilies(t *testing.T) {
	m := refresh.NewMemoryStore()
	ctx := t.Context()
	for i, exp := range []time.Time{epoch, epoch.Add(time.Hour)} {
		f := refresh.Family{ID: string(rune('f' + i)), UserID: "u", Current: refresh.HashToken(string(rune('a' + i))), ExpiresAt: exp}
		if err := m.Create(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := m.Cleanup(ctx, epoch); n != 1 || err != nil {
		t.Errorf("Cleanup(epoch) = %d, %v; want 1, nil", n, err)
	}
	if _, err := m.Find(ctx, "g"); err != nil || m.Len() != 1 {
		t.Errorf("Find(live) after Cleanup = %v, %d families; want nil, 1", err, m.Len())
	}
}

func TestMemoryStoreCreateRefusesADuplicateID(t *testing.T) {
	m := refresh.NewMemoryStore()
	f := refresh.Family{ID: "f", UserID: "u", ExpiresAt: epoch.Add(time.Hour)}
	if err := m.Create(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	if err := m.Create(t.Context(), f); !errors.Is(err, refresh.ErrDuplicate) || !errors.Is(err, core.ErrBackend) {
		t.Errorf("Create(duplicate) = %v; want %v (a %v)", err, refresh.ErrDuplicate, core.ErrBackend)
	}
}

// TestCheckRotationOrder checks the precedence Store.Rotate documents:
// revoked, then expired, then reused, then not found; every refusal is an
// invalid credential.
func TestCheckRotationOrder(t *testing.T) {
	cur, old := refresh.HashToken("current"), refresh.HashToken("other")
	live := refresh.Family{ID: "f", Generation: 2, Current: cur, ExpiresAt: epoch.Add(time.Hour)}
	revoked, expired := live, live
	revoked.Revoked, revoked.ExpiresAt = true, epoch
	expired.ExpiresAt = epoch
	tests := []struct {
		name string
		f    refresh.Family
		gen  uint64
		h    refresh.Hash
		want error
	}{
		{"the current token rotates", live, 2, cur, nil},
		{"a revoked family is revoked even when expired", revoked, 1, old, refresh.ErrRevoked},
		{"an expired family is expired even for a spent token", expired, 1, old, refresh.ErrExpired},
		{"an older generation is reuse", live, 1, old, refresh.ErrReused},
		{"the current generation with another hash is unknown", live, 2, old, refresh.ErrNotFound},
		{"a newer generation is unknown", live, 3, cur, refresh.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := refresh.CheckRotation(tt.f, tt.gen, tt.h, epoch)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("CheckRotation(gen %d) = %v; want %v", tt.gen, err, tt.want)
			}
			if err != nil && !errors.Is(err, core.ErrInvalidCredential) {
				t.Errorf("CheckRotation(gen %d) = %v; want a %v", tt.gen, err, core.ErrInvalidCredential)
			}
		})
	}
}
