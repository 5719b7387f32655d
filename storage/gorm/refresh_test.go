package gorm_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/testdb"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/jwttest"
)

var _ jwt.RefreshStore = (*gormstore.RefreshStore)(nil)
var _ gormstore.Cleaner = (*gormstore.RefreshStore)(nil)

// forEachRefreshDB runs f on a fresh refresh-token store in every database
// testdb.Each offers.
func forEachRefreshDB(t *testing.T, f func(t *testing.T, d testdb.DB, store *gormstore.RefreshStore)) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		f(t, d, newRefreshStore(t, d.DB))
	})
}

func newRefreshStore(t *testing.T, db *gorm.DB) *gormstore.RefreshStore {
	t.Helper()
	s, err := gormstore.NewRefreshStore(db)
	if err != nil {
		t.Fatalf("NewRefreshStore = %v", err)
	}
	return s
}

func TestRefreshStoreConformance(t *testing.T) {
	forEachRefreshDB(t, func(t *testing.T, _ testdb.DB, store *gormstore.RefreshStore) {
		jwttest.TestRefreshStore(t, func(*testing.T) jwt.RefreshStore { return store })
	})
}

func TestRefreshStoreMigrationIsRepeatable(t *testing.T) {
	forEachRefreshDB(t, func(t *testing.T, d testdb.DB, _ *gormstore.RefreshStore) {
		if _, err := gormstore.NewRefreshStore(d.DB); err != nil {
			t.Errorf("second NewRefreshStore = %v; want nil", err)
		}
		if table := d.Prefix + gormstore.RefreshTable; !d.DB.Migrator().HasTable(table) {
			t.Errorf("table %s missing after migration", table)
		}
	})
}

func TestRefreshStoreCleanupDeletesExpiredFamiliesOnly(t *testing.T) {
	forEachRefreshDB(t, func(t *testing.T, _ testdb.DB, store *gormstore.RefreshStore) {
		ctx := t.Context()
		now := time.Date(2032, 3, 4, 5, 6, 7, 0, time.UTC)
		plus5 := time.FixedZone("UTC+5", 5*3600)
		mk := func(name string, exp time.Time, used, revoked bool) jwt.Hash {
			h := jwt.HashToken(name + t.Name())
			tok := jwt.RefreshToken{Hash: h, Family: "f-" + name, UserID: "u", IssuedAt: now.Add(-time.Hour), ExpiresAt: exp, Revoked: revoked}
			if used {
				tok.UsedAt = now.Add(-time.Minute)
			}
			if err := store.Create(ctx, tok); err != nil {
				t.Fatalf("Create(%s) = %v", name, err)
			}
			return h
		}
		expired := mk("expired", now.Add(-time.Second), false, false)
		atNow := mk("at-now", now.In(plus5), true, false) // same instant, another zone
		live := mk("live", now.Add(time.Microsecond), true, true)
		n, err := store.Cleanup(ctx, now)
		if err != nil || n != 2 {
			t.Errorf("Cleanup = %d, %v; want 2, nil", n, err)
		}
		for _, h := range []jwt.Hash{expired, atNow} {
			if _, err := store.Find(ctx, h); !errors.Is(err, jwt.ErrNotFound) {
				t.Errorf("Find(cleaned up) = %v; want %v", err, jwt.ErrNotFound)
			}
		}
		got, err := store.Find(ctx, live)
		if err != nil || !got.Revoked || !got.Used() || !got.ExpiresAt.Equal(now.Add(time.Microsecond)) || got.ExpiresAt.Location() != time.UTC {
			t.Errorf("Find(live) = %+v, %v; want the revoked, used token expiring at %v UTC", got, err, now.Add(time.Microsecond))
		}
	})
}

func TestRefreshStoreMatchesUserIDsExactly(t *testing.T) {
	forEachRefreshDB(t, func(t *testing.T, _ testdb.DB, store *gormstore.RefreshStore) {
		ctx := t.Context()
		exp := time.Now().Add(time.Hour)
		users := []string{"alice", "alice ", "Alice", "ALICE"}
		for i, u := range users {
			tok := jwt.RefreshToken{Hash: jwt.HashToken(u + t.Name()), Family: "fam-" + string(rune('a'+i)), UserID: u, IssuedAt: time.Now(), ExpiresAt: exp}
			if err := store.Create(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.RevokeUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			got, err := store.Find(ctx, jwt.HashToken(u+t.Name()))
			if err != nil || got.Revoked != (u == "alice") || got.UserID != u {
				t.Errorf("after RevokeUser(alice): Find(%q) = %+v, %v; want revoked = %v", u, got, err, u == "alice")
			}
		}
	})
}

// A database that cannot be reached is core.ErrUnavailable (503), never an
// invalid credential (401), and never a silent success.
func TestRefreshStoreOutageIsUnavailable(t *testing.T) {
	db := testdb.Open(t, "sqlite").DB
	store := newRefreshStore(t, db)
	s, err := jwt.New([][]byte{make([]byte, 32)}, store, jwt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pair, err := s.Issue(t.Context(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()

	ctx := t.Context()
	h := jwt.HashToken(pair.RefreshToken)
	_, rotateErr := store.Rotate(ctx, h, jwt.HashToken("next"), time.Now())
	_, findErr := store.Find(ctx, h)
	_, cleanupErr := store.Cleanup(ctx, time.Now())
	_, refreshErr := s.Refresh(ctx, pair.RefreshToken)
	_, issueErr := s.Issue(ctx, "bob")
	for name, err := range map[string]error{
		"Rotate":       rotateErr,
		"Find":         findErr,
		"Create":       store.Create(ctx, jwt.RefreshToken{Hash: jwt.HashToken("x"), Family: "f", UserID: "u", ExpiresAt: time.Now()}),
		"RevokeFamily": store.RevokeFamily(ctx, "f"),
		"RevokeUser":   store.RevokeUser(ctx, "u"),
		"Cleanup":      cleanupErr,
		"Refresh":      refreshErr,
		"Revoke":       s.Revoke(ctx, pair.RefreshToken),
		"Issue":        issueErr,
	} {
		if !errors.Is(err, core.ErrUnavailable) || errors.Is(err, core.ErrInvalidCredential) || errors.Is(err, jwt.ErrNotFound) {
			t.Errorf("%s on a closed database = %v; want %v only", name, err, core.ErrUnavailable)
		}
	}
}
