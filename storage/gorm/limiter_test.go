package gorm_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/testdb"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/limiter/limitertest"
	gormstore "github.com/gobware/gobware/storage/gorm"
)

var _ limiter.Store = (*gormstore.LimiterStore)(nil)
var _ gormstore.Cleaner = (*gormstore.LimiterStore)(nil)

// forEachLimiterDB runs f on a fresh limiter store in every database
// testdb.Each offers.
func forEachLimiterDB(t *testing.T, f func(t *testing.T, d testdb.DB, store *gormstore.LimiterStore)) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		store, err := gormstore.NewLimiterStore(d.DB)
		if err != nil {
			t.Fatalf("NewLimiterStore = %v", err)
		}
		f(t, d, store)
	})
}

// TestLimiterStoreConformance runs the suite with a second store on a
// connection pool of its own, as a second server has.
func TestLimiterStoreConformance(t *testing.T) {
	forEachLimiterDB(t, func(t *testing.T, d testdb.DB, store *gormstore.LimiterStore) {
		other, err := gormstore.NewLimiterStore(d.Reopen(t))
		if err != nil {
			t.Fatal(err)
		}
		limitertest.TestStore(t, store, other)
	})
}

// oldLimiterRow is the table as it was before versions.
type oldLimiterRow struct {
	Key       string    `gorm:"column:key_hash;primaryKey;size:64"`
	Failures  int       `gorm:"column:failures;not null"`
	LastAt    time.Time `gorm:"column:last_at;not null;precision:6"`
	ExpiresAt time.Time `gorm:"column:expires_at;not null;precision:6;index"`
}

func TestLimiterStoreUpgradesATableWithoutVersions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		table := d.Prefix + gormstore.LimiterTable
		if err := d.DB.Table(table).AutoMigrate(&oldLimiterRow{}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		account := limiter.Account("alice")
		// Alice's counter as the old store wrote it: six failures, waiting.
		old := oldLimiterRow{Key: hash(account), Failures: 6, LastAt: now, ExpiresAt: now.Add(limiter.DefaultForget)}
		if err := d.DB.Table(table).Create(&old).Error; err != nil {
			t.Fatal(err)
		}
		store, err := gormstore.NewLimiterStore(d.DB)
		if err != nil {
			t.Fatalf("NewLimiterStore on the old table = %v", err)
		}
		clock := now
		l, _ := limiter.New(limiter.Options{Store: store, Now: func() time.Time { return clock }, Events: func(context.Context, core.Event) {}})
		if _, err := l.Reserve(ctx, account); !errors.Is(err, limiter.ErrLimited) {
			t.Fatalf("Reserve on the upgraded counter = %v; want ErrLimited (it still waits)", err)
		}
		clock = now.Add(time.Second)
		res, err := l.Reserve(ctx, account)
		if err != nil {
			t.Fatalf("Reserve once the old wait has passed = %v; want a reservation", err)
		}
		res.Failed(ctx)
		if rec, _ := store.Get(ctx, hash(account)); rec.Failures != 7 || rec.Version == 0 {
			t.Fatalf("the upgraded counter after one more failure = %+v; want 7 failures and a version", rec)
		}
	})
}

func TestLimiterStoreCleanupDeletesForgottenCounters(t *testing.T) {
	forEachLimiterDB(t, func(t *testing.T, d testdb.DB, store *gormstore.LimiterStore) {
		ctx := context.Background()
		at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		store.CompareAndSwap(ctx, "old", limiter.Record{}, limiter.Record{Failures: 1, Last: at, Version: 1}, at.Add(time.Hour))
		store.CompareAndSwap(ctx, "new", limiter.Record{}, limiter.Record{Failures: 1, Last: at.Add(30 * time.Minute), Version: 1}, at.Add(90*time.Minute))
		n, err := store.Cleanup(ctx, at.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("Cleanup = %d, %v; want 1, nil", n, err)
		}
		if rec, _ := store.Get(ctx, "new"); rec.Failures != 1 {
			t.Errorf("Get(new) after Cleanup = %+v; want it kept", rec)
		}
		var count int64
		d.DB.Table(d.Prefix+gormstore.LimiterTable).Where("key_hash = ?", "old").Count(&count)
		if count != 0 {
			t.Errorf("%d rows for the forgotten key; want 0", count)
		}
	})
}

func TestLimiterStoreOutageIsUnavailable(t *testing.T) {
	db := testdb.Open(t, "sqlite").DB
	store, err := gormstore.NewLimiterStore(db)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.Close()
	ctx := context.Background()
	_, getErr := store.Get(ctx, "k")
	_, swapErr := store.CompareAndSwap(ctx, "k", limiter.Record{}, limiter.Record{Failures: 1, Last: time.Now(), Version: 1}, time.Now().Add(time.Hour))
	_, cleanupErr := store.Cleanup(ctx, time.Now())
	l, _ := limiter.New(limiter.Options{Store: store, Events: func(context.Context, core.Event) {}})
	_, reserveErr := l.Reserve(ctx, limiter.Account("alice"))
	for name, err := range map[string]error{
		"Get":            getErr,
		"CompareAndSwap": swapErr,
		"Reset":          store.Reset(ctx, "k"),
		"Cleanup":        cleanupErr,
		"Reserve":        reserveErr,
	} {
		if !errors.Is(err, core.ErrUnavailable) {
			t.Errorf("%s on a closed database = %v; want core.ErrUnavailable", name, err)
		}
	}
}

// hash is what the limiter hands a store for key.
func hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
