package jwt_test

import (
	"testing"
	"time"

	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/jwttest"
)

func TestMemoryStore(t *testing.T) {
	jwttest.TestRefreshStore(t, func(*testing.T) jwt.RefreshStore { return jwt.NewMemoryStore() })
}

func TestMemoryStoreCleanupDropsExpiredFamilies(t *testing.T) {
	m := jwt.NewMemoryStore()
	ctx := t.Context()
	for i, exp := range []time.Time{epoch, epoch.Add(time.Hour)} {
		tok := jwt.RefreshToken{Hash: jwt.HashToken(string(rune('a' + i))), Family: string(rune('f' + i)), UserID: "u", ExpiresAt: exp}
		if err := m.Create(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := m.Cleanup(ctx, epoch); n != 1 || err != nil {
		t.Errorf("Cleanup(epoch) = %d, %v; want 1, nil", n, err)
	}
	if _, err := m.Find(ctx, jwt.HashToken("b")); err != nil {
		t.Errorf("Find(live) after Cleanup = %v; want nil", err)
	}
}
