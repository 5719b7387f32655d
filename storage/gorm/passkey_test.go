package gorm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/testdb"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeytest"
	gormstore "github.com/gobware/gobware/storage/gorm"
)

var (
	_ passkey.Store          = (*gormstore.PasskeyStore)(nil)
	_ passkey.ChallengeStore = (*gormstore.ChallengeStore)(nil)
	_ gormstore.Cleaner      = (*gormstore.ChallengeStore)(nil)
)

// The passkey stores pass the conformance suites on SQLite, and on
// PostgreSQL and MySQL/MariaDB when their DSNs are set.
func TestPasskeyStoreConformance(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		st, err := gormstore.NewPasskeyStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		passkeytest.TestStore(t, func(*testing.T) passkey.Store { return st })
	})
}

func TestChallengeStoreConformance(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		st, err := gormstore.NewChallengeStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		passkeytest.TestChallengeStore(t, func(*testing.T) passkey.ChallengeStore { return st })
	})
}

// The whole ceremony runs on the database: a registration and a sign-in
// through a Service whose passkeys and challenges are in SQL.
func TestPasskeyCeremoniesOnTheDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		creds, err := gormstore.NewPasskeyStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		challenges, err := gormstore.NewChallengeStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := passkey.New("localhost", []string{"http://localhost:8080"}, creds, passkey.Options{Challenges: challenges, Events: func(context.Context, core.Event) {}})
		if err != nil {
			t.Fatal(err)
		}
		auth := passkeytest.NewAuthenticator("http://localhost:8080")
		opts, err := svc.BeginRegistration(ctx, passkey.User{ID: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := auth.Create(opts)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FinishRegistration(ctx, "alice", "", resp); err != nil {
			t.Fatalf("FinishRegistration: %v", err)
		}
		opts, err = svc.BeginLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		resp, err = auth.Get(opts)
		if err != nil {
			t.Fatal(err)
		}
		c, err := svc.FinishLogin(ctx, resp)
		if err != nil || c.UserID != "alice" {
			t.Fatalf("FinishLogin = %+v, %v; want alice", c, err)
		}
		if _, err := svc.FinishLogin(ctx, resp); !errors.Is(err, passkey.ErrChallenge) {
			t.Errorf("replayed sign-in = %v; want ErrChallenge", err)
		}
	})
}

func TestChallengeCleanupDeletesOnlyExpired(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		st, err := gormstore.NewChallengeStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
		old, live := passkey.Challenge{Hash: [32]byte{1}, Ceremony: passkey.Login, ExpiresAt: now}, passkey.Challenge{Hash: [32]byte{2}, Ceremony: passkey.Login, ExpiresAt: now.Add(time.Second)}
		for _, c := range []passkey.Challenge{old, live} {
			if err := st.Put(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := st.Cleanup(ctx, now); err != nil || n != 1 {
			t.Errorf("Cleanup = %d, %v; want 1", n, err)
		}
		if _, err := st.Take(ctx, live.Hash); err != nil {
			t.Errorf("the live challenge was cleaned up: %v", err)
		}
	})
}

// A database that cannot be reached is a store failure (5xx), never a
// refused passkey.
func TestPasskeyStoreOutageIsNotARefusal(t *testing.T) {
	d := testdb.Open(t, "sqlite")
	creds, err := gormstore.NewPasskeyStore(d.DB)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := passkey.New("localhost", []string{"http://localhost:8080"}, creds, passkey.Options{Events: func(context.Context, core.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	auth := passkeytest.NewAuthenticator("http://localhost:8080")
	opts, err := svc.BeginRegistration(context.Background(), passkey.User{ID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := auth.Create(opts)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := d.DB.DB()
	sqlDB.Close()
	_, err = svc.FinishRegistration(context.Background(), "alice", "", resp)
	if !errors.Is(err, passkey.ErrStore) || errors.Is(err, core.ErrInvalidCredential) || core.Status(err) < 500 {
		t.Errorf("FinishRegistration on a closed database = %v (status %d); want ErrStore, 5xx", err, core.Status(err))
	}
}
