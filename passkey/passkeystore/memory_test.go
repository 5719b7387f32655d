package passkeystore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/passkey/passkeystore"
	"github.com/gobware/gobware/passkey/passkeytest"
)

var (
	_ passkeystore.Store          = (*passkeystore.MemoryStore)(nil)
	_ passkeystore.ChallengeStore = (*passkeystore.MemoryChallenges)(nil)
)

func TestMemoryStoreConformance(t *testing.T) {
	passkeytest.TestStore(t, func(*testing.T) passkeystore.Store { return passkeystore.NewMemoryStore() })
}

func TestMemoryChallengesConformance(t *testing.T) {
	passkeytest.TestChallengeStore(t, func(*testing.T) passkeystore.ChallengeStore { return passkeystore.NewMemoryChallenges(0) })
}

func TestMemoryChallengesDropTheOldestWhenFull(t *testing.T) {
	ctx := context.Background()
	m := passkeystore.NewMemoryChallenges(2)
	now := time.Now()
	for i := range 3 {
		if err := m.Put(ctx, passkeystore.Challenge{Hash: [32]byte{byte(i)}, Ceremony: passkeystore.Login, ExpiresAt: now.Add(passkeystore.ChallengeTTL)}); err != nil {
			t.Fatal(err)
		}
	}
	if m.Len() != 2 {
		t.Errorf("Len = %d; want 2", m.Len())
	}
	if _, err := m.Take(ctx, [32]byte{0}); !errors.Is(err, passkeystore.ErrNotFound) {
		t.Errorf("the oldest challenge survived a full store: %v", err)
	}
	// Expired challenges go as new ones arrive.
	later := now.Add(passkeystore.ChallengeTTL + time.Second)
	if err := m.Put(ctx, passkeystore.Challenge{Hash: [32]byte{9}, Ceremony: passkeystore.Login, ExpiresAt: later.Add(passkeystore.ChallengeTTL)}); err != nil {
		t.Fatal(err)
	}
	if m.Len() != 1 {
		t.Errorf("Len after expiry = %d; want 1", m.Len())
	}
}
