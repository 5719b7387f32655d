package cart_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/gobware/gobware/cart"
)

func TestConcurrentAddsAllCount(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		const n = 50
		errs := make(chan error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				_, err := svc.Add(ctx, "alice", "mug", 1)
				errs <- err
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent Add(mug, 1) = %v; want nil", err)
			}
		}
		if got := mugs(t, svc, "alice"); got != n {
			t.Errorf("mug line after %d concurrent Add(1) = %d; want %d", n, got, n)
		}
	})
}

func TestConcurrentAddsStopAtTheCap(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		if _, err := svc.Add(ctx, "alice", "mug", 80); err != nil {
			t.Fatal(err)
		}
		const n = 40 // 80 + 40 > 99: exactly 19 must succeed
		var (
			wg              sync.WaitGroup
			mu              sync.Mutex
			ok, refused     int
			start           = make(chan struct{})
			unexpectedError error
		)
		for range n {
			wg.Go(func() {
				<-start
				_, err := svc.Add(ctx, "alice", "mug", 1)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, cart.ErrLineLimit):
					refused++
				default:
					unexpectedError = err
				}
			})
		}
		close(start)
		wg.Wait()
		if unexpectedError != nil {
			t.Fatalf("concurrent Add(mug, 1) = %v; want nil or %v", unexpectedError, cart.ErrLineLimit)
		}
		if ok != cart.MaxQuantity-80 || refused != n-(cart.MaxQuantity-80) {
			t.Errorf("%d concurrent Add(1) on a line of 80: %d accepted, %d refused; want %d and %d",
				n, ok, refused, cart.MaxQuantity-80, n-(cart.MaxQuantity-80))
		}
		if got := mugs(t, svc, "alice"); got != cart.MaxQuantity {
			t.Errorf("mug line = %d; want %d", got, cart.MaxQuantity)
		}
	})
}

// TestConcurrentAddAndRemove races adds with removals of the same line: the
// line must end within the cap, and nothing may fail.
func TestConcurrentAddAndRemove(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 60)
		for i := range 60 {
			wg.Go(func() {
				var err error
				if i%3 == 0 {
					_, err = svc.Remove(ctx, "alice", "tee")
				} else {
					_, err = svc.Add(ctx, "alice", "tee", 2)
				}
				if err != nil && !errors.Is(err, cart.ErrLineLimit) {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent Add/Remove = %v; want nil", err)
		}
		c := mustGet(t, svc, "alice")
		if c.ItemCount < 0 || c.ItemCount > cart.MaxQuantity || c.ItemCount%2 != 0 {
			t.Errorf("tee line after the race = %d; want an even number from 0 to %d", c.ItemCount, cart.MaxQuantity)
		}
	})
}
