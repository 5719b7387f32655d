// Package limitertest checks that a limiter.Store behaves as the Limiter
// needs. Every Store implementation runs TestStore from its own tests.
package limitertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/limiter"
)

// TestStore runs the store conformance suite against s. Keys are random,
// so s may hold other data and several runs may share it.
func TestStore(t *testing.T, s limiter.Store) {
	ctx := context.Background()
	base := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)
	const forget = time.Hour

	t.Run("an unknown key has no failures", func(t *testing.T) {
		rec, err := s.Get(ctx, key())
		if err != nil || rec.Failures != 0 {
			t.Fatalf("Get(unknown) = %+v, %v; want zero record, nil", rec, err)
		}
	})

	t.Run("failures add up and Get sees them", func(t *testing.T) {
		k := key()
		for i := 1; i <= 3; i++ {
			at := base.Add(time.Duration(i) * time.Minute)
			rec, err := s.Fail(ctx, k, at, forget)
			if err != nil || rec.Failures != i || !rec.Last.Equal(at) {
				t.Fatalf("Fail #%d = %+v, %v; want %d failures at %v", i, rec, err, i, at)
			}
		}
		rec, err := s.Get(ctx, k)
		if err != nil || rec.Failures != 3 || !rec.Last.Equal(base.Add(3*time.Minute)) {
			t.Fatalf("Get = %+v, %v; want 3 failures at %v", rec, err, base.Add(3*time.Minute))
		}
	})

	t.Run("a failure after the forget period starts a new count", func(t *testing.T) {
		k := key()
		s.Fail(ctx, k, base, forget)
		s.Fail(ctx, k, base, forget)
		rec, err := s.Fail(ctx, k, base.Add(forget), forget)
		if err != nil || rec.Failures != 1 {
			t.Fatalf("Fail after forget = %+v, %v; want 1 failure", rec, err)
		}
		rec, err = s.Fail(ctx, k, base.Add(forget+time.Second), forget)
		if err != nil || rec.Failures != 2 {
			t.Fatalf("Fail right after = %+v, %v; want 2 failures", rec, err)
		}
	})

	t.Run("an earlier failure does not move Last back", func(t *testing.T) {
		k := key()
		s.Fail(ctx, k, base.Add(time.Minute), forget)
		rec, err := s.Fail(ctx, k, base, forget)
		if err != nil || rec.Failures != 2 || !rec.Last.Equal(base.Add(time.Minute)) {
			t.Fatalf("Fail(earlier) = %+v, %v; want 2 failures at %v", rec, err, base.Add(time.Minute))
		}
	})

	t.Run("reset forgets one key only", func(t *testing.T) {
		k, other := key(), key()
		s.Fail(ctx, k, base, forget)
		s.Fail(ctx, other, base, forget)
		if err := s.Reset(ctx, k); err != nil {
			t.Fatalf("Reset = %v", err)
		}
		if rec, err := s.Get(ctx, k); err != nil || rec.Failures != 0 {
			t.Fatalf("Get after Reset = %+v, %v; want zero record", rec, err)
		}
		if rec, err := s.Get(ctx, other); err != nil || rec.Failures != 1 {
			t.Fatalf("Get(other key) after Reset = %+v, %v; want 1 failure", rec, err)
		}
		if err := s.Reset(ctx, key()); err != nil {
			t.Fatalf("Reset(unknown) = %v; want nil", err)
		}
	})

	t.Run("concurrent failures are all counted", func(t *testing.T) {
		k := key()
		const n = 20
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Fail(ctx, k, base.Add(time.Duration(i)*time.Millisecond), forget); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("concurrent Fail = %v", err)
		}
		last := base.Add((n - 1) * time.Millisecond)
		if rec, err := s.Get(ctx, k); err != nil || rec.Failures != n || !rec.Last.Equal(last) {
			t.Fatalf("Get after %d concurrent failures = %+v, %v; want %d failures, the latest at %v", n, rec, err, n, last)
		}
	})
}

// key returns a random key shaped like the Limiter's (hex SHA-256).
func key() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
