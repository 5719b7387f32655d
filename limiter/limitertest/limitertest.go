// Package limitertest checks that a limiter.Store behaves as the Limiter
// needs. Every Store implementation runs TestStore from its own tests.
package limitertest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
)

// TestStore runs the store conformance suite against s. Keys are random,
// so s may hold other data and several runs may share it.
//
// more are further stores over the same backend as s, the way other
// servers would open it (their own client or connection pool). The
// concurrency cases spread their Limiters over s and more, so that they
// check what several servers sharing one store get; without more, two
// Limiters share s.
func TestStore(t *testing.T, s limiter.Store, more ...limiter.Store) {
	ctx := context.Background()
	base := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)
	expires := base.Add(time.Hour)

	t.Run("an unknown key has no record", func(t *testing.T) {
		rec, err := s.Get(ctx, key())
		if err != nil || rec != (limiter.Record{}) {
			t.Fatalf("Get(unknown) = %+v, %v; want zero record, nil", rec, err)
		}
	})

	t.Run("a swap from no record creates it and Get sees it", func(t *testing.T) {
		k := key()
		want := limiter.Record{Failures: 3, Last: base, Version: 42}
		if ok, err := s.CompareAndSwap(ctx, k, limiter.Record{}, want, expires); !ok || err != nil {
			t.Fatalf("CompareAndSwap(no record → %+v) = %v, %v; want true, nil", want, ok, err)
		}
		if rec, err := s.Get(ctx, k); err != nil || !same(rec, want) {
			t.Fatalf("Get = %+v, %v; want %+v", rec, err, want)
		}
	})

	t.Run("a swap from a version that is no longer stored changes nothing", func(t *testing.T) {
		k := key()
		first := limiter.Record{Failures: 1, Last: base, Version: 7}
		s.CompareAndSwap(ctx, k, limiter.Record{}, first, expires)
		for _, stale := range []limiter.Record{
			{},                                    // "there is no record"
			{Failures: 1, Last: base, Version: 8}, // another version
		} {
			next := limiter.Record{Failures: 9, Last: base.Add(time.Minute), Version: 9}
			if ok, err := s.CompareAndSwap(ctx, k, stale, next, expires); ok || err != nil {
				t.Errorf("CompareAndSwap(from version %d while %d is stored) = %v, %v; want false, nil", stale.Version, first.Version, ok, err)
			}
		}
		if rec, err := s.Get(ctx, k); err != nil || !same(rec, first) {
			t.Fatalf("Get after refused swaps = %+v, %v; want %+v", rec, err, first)
		}
	})

	t.Run("a swap from the stored version replaces the record", func(t *testing.T) {
		k := key()
		first := limiter.Record{Failures: 1, Last: base, Version: 7}
		second := limiter.Record{Failures: 2, Last: base.Add(time.Second), Version: 8}
		s.CompareAndSwap(ctx, k, limiter.Record{}, first, expires)
		if ok, err := s.CompareAndSwap(ctx, k, first, second, expires); !ok || err != nil {
			t.Fatalf("CompareAndSwap(stored version) = %v, %v; want true, nil", ok, err)
		}
		if rec, err := s.Get(ctx, k); err != nil || !same(rec, second) {
			t.Fatalf("Get = %+v, %v; want %+v", rec, err, second)
		}
	})

	t.Run("a swap to no failures deletes the record", func(t *testing.T) {
		k := key()
		first := limiter.Record{Failures: 1, Last: base, Version: 7}
		s.CompareAndSwap(ctx, k, limiter.Record{}, first, expires)
		if ok, err := s.CompareAndSwap(ctx, k, first, limiter.Record{}, expires); !ok || err != nil {
			t.Fatalf("CompareAndSwap(→ no failures) = %v, %v; want true, nil", ok, err)
		}
		if rec, err := s.Get(ctx, k); err != nil || rec != (limiter.Record{}) {
			t.Fatalf("Get after the delete = %+v, %v; want zero record", rec, err)
		}
		// The key is free again: a swap from "no record" works.
		if ok, err := s.CompareAndSwap(ctx, k, limiter.Record{}, first, expires); !ok || err != nil {
			t.Fatalf("CompareAndSwap(no record) after the delete = %v, %v; want true, nil", ok, err)
		}
	})

	t.Run("reset forgets one key only", func(t *testing.T) {
		k, other := key(), key()
		r := limiter.Record{Failures: 1, Last: base, Version: 5}
		s.CompareAndSwap(ctx, k, limiter.Record{}, r, expires)
		s.CompareAndSwap(ctx, other, limiter.Record{}, r, expires)
		if err := s.Reset(ctx, k); err != nil {
			t.Fatalf("Reset = %v", err)
		}
		if rec, err := s.Get(ctx, k); err != nil || rec != (limiter.Record{}) {
			t.Fatalf("Get after Reset = %+v, %v; want zero record", rec, err)
		}
		if rec, err := s.Get(ctx, other); err != nil || !same(rec, r) {
			t.Fatalf("Get(other key) after Reset = %+v, %v; want %+v", rec, err, r)
		}
		if err := s.Reset(ctx, key()); err != nil {
			t.Fatalf("Reset(unknown) = %v; want nil", err)
		}
	})

	t.Run("concurrent swaps on one key each win once", func(t *testing.T) {
		k := key()
		const n = 20
		stores := append([]limiter.Store{s}, more...)
		errs := make(chan error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := stores[i%len(stores)]
				<-start
				for {
					rec, err := st.Get(ctx, k)
					if err != nil {
						errs <- err
						return
					}
					next := limiter.Record{Failures: rec.Failures + 1, Last: base, Version: int64(1000 + i*n + rec.Failures)}
					ok, err := st.CompareAndSwap(ctx, k, rec, next, expires)
					if err != nil {
						errs <- err
						return
					}
					if ok {
						return
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent swap = %v", err)
		}
		if rec, err := s.Get(ctx, k); err != nil || rec.Failures != n {
			t.Fatalf("Get after %d concurrent increments = %+v, %v; want %d failures", n, rec, err, n)
		}
	})

	testLimiters(t, append([]limiter.Store{s}, more...))
}

// testLimiters runs the Limiter over the stores as several servers would:
// the allowance holds under concurrency whatever the store.
func testLimiters(t *testing.T, stores []limiter.Store) {
	ctx := context.Background()
	if len(stores) == 1 {
		stores = append(stores, stores[0]) // two Limiters on one store
	}
	const free = 3
	var mu sync.Mutex
	now := time.Now().UTC().Truncate(time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	var servers []*limiter.Limiter
	for _, st := range stores {
		l, err := limiter.New(limiter.Options{Store: st, Free: free, IPFree: 1000, Now: clock, Events: func(context.Context, core.Event) {}})
		if err != nil {
			t.Fatal(err)
		}
		servers = append(servers, l)
	}

	// burst sends n attempts at once, spread over the servers, each with
	// the keys keys(i) returns, and settles every reserved one with settle;
	// it returns how many were reserved.
	burst := func(t *testing.T, n int, keys func(i int) []string, settle func(*limiter.Reservation)) int {
		t.Helper()
		var reserved atomic.Int32
		errs := make(chan error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res, err := servers[i%len(servers)].Reserve(ctx, keys(i)...)
				switch {
				case errors.Is(err, limiter.ErrLimited):
					return
				case err != nil:
					errs <- err
					return
				}
				reserved.Add(1)
				settle(res)
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("Reserve = %v", err)
		}
		return int(reserved.Load())
	}
	failed := func(res *limiter.Reservation) { res.Failed(ctx) }
	const n = 40

	t.Run("a burst of concurrent guesses on several servers gets only the free allowance", func(t *testing.T) {
		account := limiter.Account(key())
		keys := func(i int) []string { return []string{account, limiter.IP("192.0.2." + string(rune('0'+i%10)))} }
		if got := burst(t, n, keys, failed); got != free+1 {
			t.Fatalf("%d of %d concurrent guesses were let through; want %d (the %d free failures and the one that starts the wait)", got, n, free+1, free)
		}
		for step, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
			advance(wait - time.Microsecond)
			if got := burst(t, n, keys, failed); got != 0 {
				t.Fatalf("window %d: %d guesses let through a microsecond before the %v wait ends; want 0", step+1, got, wait)
			}
			advance(time.Microsecond)
			if got := burst(t, n, keys, failed); got != 1 {
				t.Fatalf("window %d: %d of %d concurrent guesses let through once the %v wait has passed; want exactly 1", step+1, got, n, wait)
			}
		}
	})

	t.Run("concurrent logins from one address all give their attempt back", func(t *testing.T) {
		ip := limiter.IP("198.51.100." + key()[:3])
		keys := func(i int) []string { return []string{limiter.Account(key()), ip} }
		succeeded := func(res *limiter.Reservation) {
			if err := res.Succeeded(ctx); err != nil {
				t.Errorf("Succeeded = %v", err)
			}
		}
		if got := burst(t, n, keys, succeeded); got != n {
			t.Fatalf("%d of %d logins to distinct accounts reserved; want all", got, n)
		}
		if rec, err := stores[0].Get(ctx, hashKey(ip)); err != nil || rec.Failures != 0 {
			t.Fatalf("the address's record after %d successful logins = %+v, %v; want no failures", n, rec, err)
		}
	})

	t.Run("an attempt refused for one key counts against none", func(t *testing.T) {
		account := limiter.Account(key())
		for range free + 1 {
			res, err := servers[0].Reserve(ctx, account)
			if err != nil {
				t.Fatal(err)
			}
			res.Failed(ctx)
		}
		ip := limiter.IP("203.0.113." + key()[:3])
		keys := func(int) []string { return []string{ip, account} } // the address first: it is free
		if got := burst(t, n, keys, failed); got != 0 {
			t.Fatalf("%d attempts on a waiting account let through; want 0", got)
		}
		if rec, err := stores[0].Get(ctx, hashKey(ip)); err != nil || rec.Failures != 0 {
			t.Fatalf("the address's record after refused attempts = %+v, %v; want no failures", rec, err)
		}
	})
}

// same reports whether two records are equal, times compared as instants.
func same(a, b limiter.Record) bool {
	return a.Failures == b.Failures && a.Last.Equal(b.Last) && a.Version == b.Version
}

// hashKey is what the Limiter hands a store for key.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// key returns a random key shaped like the Limiter's (hex SHA-256).
func key() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
