// Package passkeytest helps test code that uses package passkey.
//
// Authenticator is a software authenticator and browser in one: it answers
// a passkey.Service's registration and sign-in options with real ES256
// credentials, "none" attestations and signatures, so ceremonies run end to
// end in a unit test, and its fields make it misbehave on purpose (another
// origin or RP ID, no user verification, a counter set back).
//
// TestStore and TestChallengeStore check a passkeystore.Store and a
// passkeystore.ChallengeStore implementation against the behaviour
// passkey.Service relies on. Store implementations call them from their
// tests, once per backend:
//
//	func TestPasskeyStore(t *testing.T) {
//		passkeytest.TestStore(t, func(t *testing.T) passkeystore.Store { return newStore(t) })
//	}
//
// The suites use random IDs, so a store shared by every subtest is fine.
package passkeytest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobware/gobware/passkey/passkeystore"
)

// Concurrency is how many goroutines the concurrent cases run.
const Concurrency = 16

func random(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// sample returns a credential with every field set, owned by userID.
func sample(t *testing.T, userID string, created time.Time) passkeystore.Credential {
	return passkeystore.Credential{
		ID:                random(t, 32),
		UserID:            userID,
		Name:              "Laptop ✓",
		PublicKey:         random(t, 77),
		SignCount:         7,
		AAGUID:            random(t, 16),
		Transports:        []string{"internal", "hybrid"},
		AttestationFormat: "none",
		BackupEligible:    true,
		BackupState:       true,
		CreatedAt:         created,
	}
}

func equal(a, b passkeystore.Credential) bool {
	return bytes.Equal(a.ID, b.ID) && a.UserID == b.UserID && a.Name == b.Name && bytes.Equal(a.PublicKey, b.PublicKey) &&
		a.SignCount == b.SignCount && bytes.Equal(a.AAGUID, b.AAGUID) && reflect.DeepEqual(a.Transports, b.Transports) &&
		a.AttestationFormat == b.AttestationFormat && a.BackupEligible == b.BackupEligible && a.BackupState == b.BackupState &&
		a.CreatedAt.Equal(b.CreatedAt) && a.LastUsedAt.Equal(b.LastUsedAt)
}

// base is a time in the future at microsecond precision, as stores keep it.
var base = time.Date(2031, 5, 6, 7, 8, 9, 123456000, time.UTC)

// TestStore runs the store conformance cases as subtests of t. newStore
// is called once per subtest.
func TestStore(t *testing.T, newStore func(t *testing.T) passkeystore.Store) {
	ctx := context.Background()
	user := func(t *testing.T) string {
		return "user-" + string(rune('a'+random(t, 1)[0]%26)) + "-" + time.Now().Format("150405.000000000")
	}

	t.Run("a created passkey is found exactly as it was given", func(t *testing.T) {
		s := newStore(t)
		c := sample(t, user(t), base)
		c.ID = random(t, 1023) // the longest ID WebAuthn allows
		if err := s.Create(ctx, c); err != nil {
			t.Fatalf("Create: %v", err)
		}
		got, err := s.Find(ctx, c.ID)
		if err != nil || !equal(got, c) {
			t.Errorf("Find = %+v, %v; want %+v", got, err, c)
		}
	})
	t.Run("an unknown ID is not found", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Find(ctx, random(t, 32)); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Find(unknown) = %v; want ErrNotFound", err)
		}
	})
	t.Run("a credential ID is registered once, for any user", func(t *testing.T) {
		s := newStore(t)
		c := sample(t, user(t), base)
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		other := c
		other.UserID, other.PublicKey = user(t)+"x", random(t, 77)
		if err := s.Create(ctx, other); !errors.Is(err, passkeystore.ErrExists) {
			t.Errorf("Create(same ID, another user) = %v; want ErrExists", err)
		}
		if got, _ := s.Find(ctx, c.ID); !equal(got, c) {
			t.Errorf("the first registration changed: %+v", got)
		}
	})
	t.Run("concurrent registrations of one ID store one", func(t *testing.T) {
		s := newStore(t)
		c := sample(t, user(t), base)
		var ok atomic.Int32
		var wg sync.WaitGroup
		for range Concurrency {
			wg.Go(func() {
				if err := s.Create(ctx, c); err == nil {
					ok.Add(1)
				} else if !errors.Is(err, passkeystore.ErrExists) {
					t.Errorf("Create = %v; want nil or ErrExists", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Errorf("%d concurrent Creates succeeded; want 1", ok.Load())
		}
	})
	t.Run("List gives the user's own passkeys oldest first", func(t *testing.T) {
		s := newStore(t)
		u := user(t)
		newer, older := sample(t, u, base.Add(time.Hour)), sample(t, u, base)
		upper := sample(t, u+"X", base) // user IDs are compared exactly
		for _, c := range []passkeystore.Credential{newer, older, upper} {
			if err := s.Create(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.List(ctx, u)
		if err != nil || len(got) != 2 || !equal(got[0], older) || !equal(got[1], newer) {
			t.Errorf("List = %+v, %v; want the older then the newer", got, err)
		}
		if got, err := s.List(ctx, u+"-nobody"); err != nil || len(got) != 0 {
			t.Errorf("List(no passkeys) = %+v, %v; want none", got, err)
		}
	})
	t.Run("Used records the counter, backup state and time", func(t *testing.T) {
		s := newStore(t)
		c := sample(t, user(t), base)
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		at := base.Add(time.Minute)
		for range 2 { // the same values twice are no error
			if err := s.Used(ctx, c.ID, 8, false, at); err != nil {
				t.Fatalf("Used: %v", err)
			}
		}
		c.SignCount, c.BackupState, c.LastUsedAt = 8, false, at
		if got, _ := s.Find(ctx, c.ID); !equal(got, c) {
			t.Errorf("after Used, Find = %+v; want %+v", got, c)
		}
		if err := s.Used(ctx, random(t, 32), 1, false, at); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Used(unknown) = %v; want ErrNotFound", err)
		}
	})
	t.Run("Rename and Delete touch only the owner's passkey", func(t *testing.T) {
		s := newStore(t)
		u := user(t)
		c := sample(t, u, base)
		if err := s.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := s.Rename(ctx, u+"-other", c.ID, "stolen"); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Rename by another user = %v; want ErrNotFound", err)
		}
		if err := s.Delete(ctx, u+"-other", c.ID); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Delete by another user = %v; want ErrNotFound", err)
		}
		for range 2 { // the same name twice is no error
			if err := s.Rename(ctx, u, c.ID, "Phone"); err != nil {
				t.Fatalf("Rename: %v", err)
			}
		}
		c.Name = "Phone"
		if got, _ := s.Find(ctx, c.ID); !equal(got, c) {
			t.Errorf("after Rename, Find = %+v; want %+v", got, c)
		}
		if err := s.Rename(ctx, u, random(t, 32), "x"); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Rename(unknown) = %v; want ErrNotFound", err)
		}
		if err := s.Delete(ctx, u, c.ID); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Find(ctx, c.ID); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Find after Delete = %v; want ErrNotFound", err)
		}
		if err := s.Delete(ctx, u, c.ID); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Delete twice = %v; want ErrNotFound", err)
		}
	})
}

// TestChallengeStore runs the challenge-store conformance cases as
// subtests of t. newStore is called once per subtest.
func TestChallengeStore(t *testing.T, newStore func(t *testing.T) passkeystore.ChallengeStore) {
	ctx := context.Background()
	challenge := func(t *testing.T, c passkeystore.Ceremony, user string) passkeystore.Challenge {
		var h [32]byte
		copy(h[:], random(t, 32))
		return passkeystore.Challenge{Hash: h, Ceremony: c, UserID: user, ExpiresAt: base}
	}
	t.Run("a challenge is taken exactly as it was put, once", func(t *testing.T) {
		s := newStore(t)
		for _, c := range []passkeystore.Challenge{challenge(t, passkeystore.Registration, "alice"), challenge(t, passkeystore.Login, "")} {
			if err := s.Put(ctx, c); err != nil {
				t.Fatal(err)
			}
			got, err := s.Take(ctx, c.Hash)
			if err != nil || got.Hash != c.Hash || got.Ceremony != c.Ceremony || got.UserID != c.UserID || !got.ExpiresAt.Equal(c.ExpiresAt) {
				t.Errorf("Take = %+v, %v; want %+v", got, err, c)
			}
			if _, err := s.Take(ctx, c.Hash); !errors.Is(err, passkeystore.ErrNotFound) {
				t.Errorf("second Take = %v; want ErrNotFound", err)
			}
		}
	})
	t.Run("an unknown challenge is not found", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Take(ctx, challenge(t, passkeystore.Login, "").Hash); !errors.Is(err, passkeystore.ErrNotFound) {
			t.Errorf("Take(unknown) = %v; want ErrNotFound", err)
		}
	})
	t.Run("of concurrent takes of one challenge exactly one wins", func(t *testing.T) {
		s := newStore(t)
		c := challenge(t, passkeystore.Login, "")
		if err := s.Put(ctx, c); err != nil {
			t.Fatal(err)
		}
		var won atomic.Int32
		var wg sync.WaitGroup
		for range Concurrency {
			wg.Go(func() {
				if _, err := s.Take(ctx, c.Hash); err == nil {
					won.Add(1)
				} else if !errors.Is(err, passkeystore.ErrNotFound) {
					t.Errorf("Take = %v; want nil or ErrNotFound", err)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Errorf("%d concurrent Takes succeeded; want 1", won.Load())
		}
	})
}
