package redis_test

import (
	"context"
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

// limiterRedis is newTestRedis (redis_test.go) as a client and options.
func limiterRedis(t *testing.T) (*goredis.Client, redisstore.Options) {
	t.Helper()
	r := newTestRedis(t)
	return r.client, r.opts
}

func newLimiterStore(t *testing.T, client goredis.UniversalClient, opts redisstore.Options) *redisstore.LimiterStore {
	t.Helper()
	s, err := redisstore.NewLimiterStore(client, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLimiterStoreConformance(t *testing.T) {
	client, opts := limiterRedis(t)
	limitertest.TestStore(t, newLimiterStore(t, client, opts))
}

func TestLimiterStoreIsSharedAndKeepsNoUsername(t *testing.T) {
	client, opts := limiterRedis(t)
	ctx := context.Background()
	now := time.Now()
	quiet := func(context.Context, core.Event) {}
	mk := func() *limiter.Limiter {
		l, err := limiter.New(limiter.Options{Store: newLimiterStore(t, client, opts), Free: 2, Now: func() time.Time { return now }, Events: quiet})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	one, two := mk(), mk()
	k := limiter.Account("alice-the-username")
	one.Failure(ctx, k)
	two.Failure(ctx, k)
	one.Failure(ctx, k)
	if err := two.Check(ctx, k); !errors.Is(err, limiter.ErrLimited) {
		t.Errorf("Check on the second server after 3 failures across both = %v; want ErrLimited", err)
	}
	keys, err := client.Keys(ctx, opts.Prefix+"*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys = %v, %v; want one counter", keys, err)
	}
	// Fail rounds the expiry up to Redis's millisecond so that a counter is
	// never dropped early: the TTL may exceed the period by that rounding.
	if ttl := client.PTTL(ctx, keys[0]).Val(); ttl <= 0 || ttl > limiter.DefaultForget+time.Millisecond {
		t.Errorf("counter TTL = %v; want within the forget period", ttl)
	}
	for _, k := range keys {
		if len(k) != len(opts.Prefix)+len("limit:")+64 {
			t.Errorf("key %q; want the prefix, limit: and a 64-character hash", k)
		}
	}
	if err := one.Success(ctx, k); err != nil {
		t.Fatal(err)
	}
	if err := two.Check(ctx, k); err != nil {
		t.Errorf("Check on the second server after Success on the first = %v; want nil", err)
	}
}

func TestLimiterStoreOutageIsUnavailable(t *testing.T) {
	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer client.Close()
	s := newLimiterStore(t, client, redisstore.Options{})
	ctx := context.Background()
	_, getErr := s.Get(ctx, "k")
	_, failErr := s.Fail(ctx, "k", time.Now(), time.Hour)
	for name, err := range map[string]error{"Get": getErr, "Fail": failErr, "Reset": s.Reset(ctx, "k")} {
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
