package gorm_test

import (
	"context"
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

func TestLimiterStoreConformance(t *testing.T) {
	forEachLimiterDB(t, func(t *testing.T, _ testdb.DB, store *gormstore.LimiterStore) {
		limitertest.TestStore(t, store)
	})
}

func TestLimiterStoreIsShared(t *testing.T) {
	forEachLimiterDB(t, func(t *testing.T, d testdb.DB, store *gormstore.LimiterStore) {
		ctx := context.Background()
		now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		quiet := func(context.Context, core.Event) {}
		opts := limiter.Options{Store: store, Free: 2, Now: func() time.Time { return now }, Events: quiet}
		one, _ := limiter.New(opts)
		other, err := gormstore.NewLimiterStore(d.DB) // a second server
		if err != nil {
			t.Fatal(err)
		}
		opts.Store = other
		two, _ := limiter.New(opts)
		k := limiter.Account("alice")
		one.Failure(ctx, k)
		two.Failure(ctx, k)
		one.Failure(ctx, k)
		if err := two.Check(ctx, k); !errors.Is(err, limiter.ErrLimited) {
			t.Errorf("Check on the second server after 3 failures across both = %v; want ErrLimited", err)
		}
		if err := one.Success(ctx, k); err != nil {
			t.Fatal(err)
		}
		if err := two.Check(ctx, k); err != nil {
			t.Errorf("Check on the second server after Success on the first = %v; want nil", err)
		}
	})
}

func TestLimiterStoreCleanupDeletesForgottenCounters(t *testing.T) {
	forEachLimiterDB(t, func(t *testing.T, d testdb.DB, store *gormstore.LimiterStore) {
		ctx := context.Background()
		at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		store.Fail(ctx, "old", at, time.Hour)
		store.Fail(ctx, "new", at.Add(30*time.Minute), time.Hour)
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
	_, failErr := store.Fail(ctx, "k", time.Now(), time.Hour)
	_, cleanupErr := store.Cleanup(ctx, time.Now())
	l, _ := limiter.New(limiter.Options{Store: store, Events: func(context.Context, core.Event) {}})
	for name, err := range map[string]error{
		"Get":     getErr,
		"Fail":    failErr,
		"Reset":   store.Reset(ctx, "k"),
		"Cleanup": cleanupErr,
		"Check":   l.Check(ctx, limiter.Account("alice")),
	} {
		if !errors.Is(err, core.ErrUnavailable) {
			t.Errorf("%s on a closed database = %v; want core.ErrUnavailable", name, err)
		}
	}
}
