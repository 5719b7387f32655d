package gorm_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/internal/testdb"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/jwt"
)

// key32 is the access-token key of the conversion test.
var key32 = make([]byte, 32)

// oldRefreshRow is the one-row-per-token table of earlier versions, as
// they created it.
type oldRefreshRow struct {
	Hash      string     `gorm:"column:hash;primaryKey;size:64"`
	Family    string     `gorm:"column:family;size:64;not null;index"`
	UserID    string     `gorm:"column:user_id;size:255;not null;index"`
	IssuedAt  time.Time  `gorm:"column:issued_at;not null;precision:6"`
	ExpiresAt time.Time  `gorm:"column:expires_at;not null;precision:6;index"`
	UsedAt    *time.Time `gorm:"column:used_at;precision:6"`
	Revoked   bool       `gorm:"column:revoked;not null;default:false"`
}

func randomB64(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// oldChain is one family as the earlier version left it: tokens in issue
// order, every one but the last spent.
type oldChain struct {
	family string
	tokens []string
}

// seedOldTable creates the earlier table and fills it as the earlier
// version would have: a chain of n rotations per family.
func seedOldTable(t *testing.T, d testdb.DB, now time.Time, user string, n int, revoked bool, exp time.Time) oldChain {
	t.Helper()
	table := d.Prefix + gormstore.LegacyRefreshTable
	if err := d.DB.Table(table).AutoMigrate(&oldRefreshRow{}); err != nil {
		t.Fatal(err)
	}
	c := oldChain{family: randomB64(t, 16)}
	for i := range n + 1 {
		tok := randomB64(t, 32)
		c.tokens = append(c.tokens, tok)
		h := jwt.HashToken(tok)
		row := oldRefreshRow{Hash: hex.EncodeToString(h[:]), Family: c.family, UserID: user,
			IssuedAt: now.Add(time.Duration(i-n-1) * time.Minute), ExpiresAt: exp, Revoked: revoked}
		if i < n {
			used := now.Add(time.Duration(i-n) * time.Minute)
			row.UsedAt = &used
		}
		if err := d.DB.Table(table).Create(&row).Error; err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestRefreshStoreConvertsTheEarlierTable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := t.Context()
		now := time.Now().UTC().Truncate(time.Second)
		exp := now.Add(24 * time.Hour)
		live := seedOldTable(t, d, now, "alice", 5, false, exp)
		second := seedOldTable(t, d, now, "alice", 3, false, exp)
		revoked := seedOldTable(t, d, now, "bob", 2, true, exp)
		expired := seedOldTable(t, d, now, "carol", 2, false, now.Add(-time.Second))
		var before int64
		d.DB.Table(d.Prefix + gormstore.LegacyRefreshTable).Count(&before)

		store, err := gormstore.NewRefreshStore(d.DB)
		if err != nil {
			t.Fatalf("NewRefreshStore over the earlier table = %v", err)
		}
		if d.DB.Migrator().HasTable(d.Prefix + gormstore.LegacyRefreshTable) {
			t.Errorf("the earlier table is still there under its old name")
		}
		var families, legacy int64
		d.DB.Table(d.Prefix + gormstore.RefreshTable).Count(&families)
		d.DB.Table(d.Prefix + gormstore.LegacyRefreshIndex).Count(&legacy)
		if families != 3 || legacy != before {
			t.Errorf("after conversion: %d families, %d earlier rows kept; want 3 (the expired one left out), %d", families, legacy, before)
		}
		if _, err := gormstore.NewRefreshStore(d.DB); err != nil {
			t.Errorf("NewRefreshStore after the conversion = %v", err)
		}
		clock := coretest.NewClock(now)
		s, err := jwt.New([][]byte{key32}, store, jwt.Options{Now: clock.Now, Events: (&coretest.Events{}).Record, ReuseGrace: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("the unspent token of a converted family rotates into the current format", func(t *testing.T) {
			p, err := s.Refresh(ctx, live.tokens[len(live.tokens)-1])
			if err != nil || len(p.RefreshToken) != 76 {
				t.Fatalf("Refresh(unspent earlier token) = %d chars, %v; want a 76-character token", len(p.RefreshToken), err)
			}
			for range 3 {
				clock.Advance(time.Second)
				if p, err = s.Refresh(ctx, p.RefreshToken); err != nil {
					t.Fatalf("Refresh(chain) = %v", err)
				}
			}
			var n int64
			d.DB.Table(d.Prefix + gormstore.RefreshTable).Count(&n)
			if n != 3 {
				t.Errorf("%d family rows after rotations; want 3", n)
			}
			clock.Advance(time.Minute)
			if _, err := s.Refresh(ctx, live.tokens[len(live.tokens)-1]); !errors.Is(err, jwt.ErrReused) {
				t.Errorf("Refresh(the earlier token, spent since) = %v; want %v", err, jwt.ErrReused)
			}
			if _, err := s.Refresh(ctx, p.RefreshToken); !errors.Is(err, jwt.ErrRevoked) {
				t.Errorf("Refresh(newest) after reuse = %v; want %v", err, jwt.ErrRevoked)
			}
		})
		t.Run("a token spent before the conversion is reuse and revokes its family", func(t *testing.T) {
			if _, err := s.Refresh(ctx, second.tokens[1]); !errors.Is(err, jwt.ErrReused) {
				t.Errorf("Refresh(spent earlier token) = %v; want %v", err, jwt.ErrReused)
			}
			if _, err := s.Refresh(ctx, second.tokens[len(second.tokens)-1]); !errors.Is(err, jwt.ErrRevoked) {
				t.Errorf("Refresh(its unspent sibling) = %v; want %v", err, jwt.ErrRevoked)
			}
		})
		t.Run("a revoked family stays revoked", func(t *testing.T) {
			if _, err := s.Refresh(ctx, revoked.tokens[len(revoked.tokens)-1]); !errors.Is(err, jwt.ErrRevoked) {
				t.Errorf("Refresh(revoked family) = %v; want %v", err, jwt.ErrRevoked)
			}
		})
		t.Run("an expired family is gone", func(t *testing.T) {
			if _, err := s.Refresh(ctx, expired.tokens[len(expired.tokens)-1]); !errors.Is(err, jwt.ErrNotFound) {
				t.Errorf("Refresh(expired family) = %v; want %v", err, jwt.ErrNotFound)
			}
		})
		t.Run("cleanup empties the earlier rows as their families expire", func(t *testing.T) {
			if _, err := store.Cleanup(ctx, exp); err != nil {
				t.Fatal(err)
			}
			var legacy int64
			d.DB.Table(d.Prefix + gormstore.LegacyRefreshIndex).Count(&legacy)
			if legacy != 0 {
				t.Errorf("%d earlier rows after every family expired; want 0", legacy)
			}
		})
	})
}
