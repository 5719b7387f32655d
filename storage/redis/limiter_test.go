package redis_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/limiter/limitertest"
	redisstore "github.com/gobware/gobware/storage/redis"
)

var _ limiter.Store = (*redisstore.LimiterStore)(nil)

func newLimiterStore(t *testing.T, client goredis.UniversalClient, opts redisstore.Options) *redisstore.LimiterStore {
	t.Helper()
	s, err := redisstore.NewLimiterStore(client, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLimiterStoreConformance runs the suite with a second store on a
// client of its own, as a second server has.
func TestLimiterStoreConformance(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		limitertest.TestStore(t, newLimiterStore(t, r.client, r.opts), newLimiterStore(t, r.second(), r.opts))
	})
}

func TestLimiterStoreKeepsNoUsernameAndExpires(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		client, opts := r.client, r.opts
		ctx := context.Background()
		l, err := limiter.New(limiter.Options{Store: newLimiterStore(t, client, opts), Events: func(context.Context, core.Event) {}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := l.Reserve(ctx, limiter.Account("alice-the-username"))
		if err != nil {
			t.Fatal(err)
		}
		res.Failed(ctx)
		keys, err := r.keys(ctx)
		if err != nil || len(keys) != 1 {
			t.Fatalf("keys = %v, %v; want one counter", keys, err)
		}
		// The expiry is rounded up to Redis's millisecond so that a counter is
		// never dropped early: the TTL may exceed the period by that rounding.
		if ttl := client.PTTL(ctx, keys[0]).Val(); ttl <= 0 || ttl > limiter.DefaultForget+time.Millisecond {
			t.Errorf("counter TTL = %v; want within the forget period", ttl)
		}
		if len(keys[0]) != len(opts.Prefix)+len("limit:")+64 {
			t.Errorf("key %q; want the prefix, limit: and a 64-character hash", keys[0])
		}
	})
}

func TestLimiterStoreTakesOverCountersWithoutVersions(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		client, opts := r.client, r.opts
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		account := limiter.Account("alice")
		sum := sha256.Sum256([]byte(account))
		k := opts.Prefix + "limit:" + hex.EncodeToString(sum[:])
		// Alice's counter as the previous store wrote it: six failures, waiting.
		client.HSet(ctx, k, "f", 6, "last", now.UnixMicro())
		clock := now
		l, _ := limiter.New(limiter.Options{Store: newLimiterStore(t, client, opts), Now: func() time.Time { return clock }, Events: func(context.Context, core.Event) {}})
		if _, err := l.Reserve(ctx, account); !errors.Is(err, limiter.ErrLimited) {
			t.Fatalf("Reserve on the old counter = %v; want ErrLimited (it still waits)", err)
		}
		clock = now.Add(time.Second)
		res, err := l.Reserve(ctx, account)
		if err != nil {
			t.Fatalf("Reserve once the old wait has passed = %v; want a reservation", err)
		}
		res.Failed(ctx)
		if f := client.HGet(ctx, k, "f").Val(); f != "7" {
			t.Fatalf("the old counter after one more failure: f=%q; want 7", f)
		}
	})
}

func TestLimiterStoreOutageIsUnavailable(t *testing.T) {
	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer client.Close()
	s := newLimiterStore(t, client, redisstore.Options{})
	ctx := context.Background()
	_, getErr := s.Get(ctx, "k")
	_, swapErr := s.CompareAndSwap(ctx, "k", limiter.Record{}, limiter.Record{Failures: 1, Last: time.Now(), Version: 1}, time.Now().Add(time.Hour))
	for name, err := range map[string]error{"Get": getErr, "CompareAndSwap": swapErr, "Reset": s.Reset(ctx, "k")} {
		if !errors.Is(err, core.ErrUnavailable) {
			t.Errorf("%s on an unreachable Redis = %v; want core.ErrUnavailable", name, err)
		}
	}
}

func TestNewLimiterStoreRefusesANilClient(t *testing.T) {
	if _, err := redisstore.NewLimiterStore(nil, redisstore.Options{}); !errors.Is(err, redisstore.ErrNilClient) {
		t.Errorf("NewLimiterStore(nil) = %v; want ErrNilClient", err)
	}
}
