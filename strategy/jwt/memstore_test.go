package jwt_test

import (
	"testing"
	"time"

	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/jwttest"
)

func TestMemoryStore(t *testing.T) {
	var m *jwt.MemoryStore
	jwttest.TestRefreshStore(t,
		func(*testing.T) jwt.RefreshStore { m = jwt.NewMemoryStore(); return m },
		func(_ *testing.T, users ...string) []string { return jwt.MemoryStoreRecords(m, users...) })
}

func TestMemoryStoreCleanupDropsExpiredFamilies(t *testing.T) {
	m := jwt.NewMemoryStore()
	ctx := t.Context()
	for i, exp := range []time.Time{epoch, epoch.Add(time.Hour)} {
		f := jwt.Family{ID: string(rune('f' + i)), UserID: "u", Current: jwt.HashToken(string(rune('a' + i))), ExpiresAt: exp}
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
