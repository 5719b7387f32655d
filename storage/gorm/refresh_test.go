package gorm_test

import (
	"errors"
	"fmt"
	"strings"
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
	forEachRefreshDB(t, func(t *testing.T, d testdb.DB, store *gormstore.RefreshStore) {
		jwttest.TestRefreshStore(t, func(*testing.T) jwt.RefreshStore { return store }, rowsOf(d, gormstore.RefreshTable))
	})
}

// rowsOf is the store kit's Backend for a table: every row of the users'
// families, with every column as the database returns it.
func rowsOf(d testdb.DB, table string) jwttest.Backend {
	return func(t *testing.T, users ...string) []string {
		var rows []map[string]any
		if err := d.DB.Table(d.Prefix+table).Where("user_id IN ?", users).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := make([]string, 0, len(rows))
		for _, r := range rows {
			var b strings.Builder
			for k, v := range r {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				fmt.Fprintf(&b, "%s=%v ", k, v)
			}
			out = append(out, b.String())
		}
		return out
	}
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
		mk := func(name string, exp time.Time, revoked bool) string {
			f := jwt.Family{ID: "f-" + name, UserID: "u", Current: jwt.HashToken(name), CreatedAt: now.Add(-time.Hour), ExpiresAt: exp, Revoked: revoked}
			if err := store.Create(ctx, f); err != nil {
				t.Fatalf("Create(%s) = %v", name, err)
			}
			return f.ID
		}
		expired := mk("expired", now.Add(-time.Second), false)
		atNow := mk("at-now", now.In(plus5), false) // same instant, another zone
		live := mk("live", now.Add(time.Microsecond), true)
		n, err := store.Cleanup(ctx, now)
		if err != nil || n != 2 {
			t.Errorf("Cleanup = %d, %v; want 2, nil", n, err)
		}
		for _, id := range []string{expired, atNow} {
			if _, err := store.Find(ctx, id); !errors.Is(err, jwt.ErrNotFound) {
				t.Errorf("Find(cleaned up) = %v; want %v", err, jwt.ErrNotFound)
			}
		}
		got, err := store.Find(ctx, live)
		if err != nil || !got.Revoked || !got.ExpiresAt.Equal(now.Add(time.Microsecond)) || got.ExpiresAt.Location() != time.UTC {
			t.Errorf("Find(live) = %+v, %v; want the revoked family expiring at %v UTC", got, err, now.Add(time.Microsecond))
		}
	})
}

func TestRefreshStoreMatchesUserIDsExactly(t *testing.T) {
	forEachRefreshDB(t, func(t *testing.T, _ testdb.DB, store *gormstore.RefreshStore) {
		ctx := t.Context()
		exp := time.Now().Add(time.Hour)
		users := []string{"alice", "alice ", "Alice", "ALICE"}
		for i, u := range users {
			f := jwt.Family{ID: "fam-" + string(rune('a'+i)), UserID: u, Current: jwt.HashToken(u), CreatedAt: time.Now(), ExpiresAt: exp}
			if err := store.Create(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		if err := store.RevokeUser(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		for i, u := range users {
			got, err := store.Find(ctx, "fam-"+string(rune('a'+i)))
			if err != nil || got.Revoked != (u == "alice") || got.UserID != u {
				t.Errorf("after RevokeUser(alice): family of %q = %+v, %v; want revoked = %v", u, got, err, u == "alice")
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
	_, rotateErr := store.Rotate(ctx, "f", 0, h, jwt.HashToken("next"), time.Now())
	_, findErr := store.Find(ctx, "f")
	_, cleanupErr := store.Cleanup(ctx, time.Now())
	_, refreshErr := s.Refresh(ctx, pair.RefreshToken)
	_, issueErr := s.Issue(ctx, "bob")
	for name, err := range map[string]error{
		"Rotate":       rotateErr,
		"Find":         findErr,
		"Create":       store.Create(ctx, jwt.Family{ID: "f", UserID: "u", Current: jwt.HashToken("x"), ExpiresAt: time.Now()}),
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

func TestWatermarkStoreConformance(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		store, err := gormstore.NewWatermarkStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		jwttest.TestWatermarkStore(t, func(*testing.T) jwt.WatermarkStore { return store })
	})
}

func TestWatermarkStoreCleanupDeletesLapsedEntriesOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		store, err := gormstore.NewWatermarkStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		now := time.Date(2032, 3, 4, 5, 6, 7, 0, time.UTC)
		for s, until := range map[string]time.Time{"u:old": now, "u:live": now.Add(time.Microsecond)} {
			if err := store.Raise(ctx, s, now.Add(-time.Hour), until); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := store.Cleanup(ctx, now); n != 1 || err != nil {
			t.Errorf("Cleanup = %d, %v; want 1, nil", n, err)
		}
		got, err := store.Watermarks(ctx, []string{"u:old", "u:live"})
		if err != nil || !got[0].IsZero() || !got[1].Equal(now.Add(-time.Hour)) {
			t.Errorf("after Cleanup: %v, %v; want [zero, %v]", got, err, now.Add(-time.Hour))
		}
	})
}
