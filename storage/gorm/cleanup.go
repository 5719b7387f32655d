package gorm

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultCleanupInterval is StartCleanup's interval when it is given 0.
const DefaultCleanupInterval = 10 * time.Minute

// Cleaner deletes the rows that are dead at now and reports how many.
// SessionStore and the refresh-token store implement it.
type Cleaner interface {
	Cleanup(ctx context.Context, now time.Time) (int64, error)
}

// StartCleanup runs every cleaner once at once and then every interval
// (DefaultCleanupInterval if interval ≤ 0), with the time from now (nil:
// time.Now), until ctx is done or stop is called. stop cancels the loop and
// waits for it to finish; it may be called more than once.
//
// Expiry never depends on this loop (stores ignore dead rows when reading);
// it only keeps tables from growing. Failures are logged through
// slog.Default() and retried at the next tick.
func StartCleanup(ctx context.Context, interval time.Duration, now func() time.Time, cleaners ...Cleaner) (stop func()) {
	if interval <= 0 {
		interval = DefaultCleanupInterval
	}
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			for _, c := range cleaners {
				if ctx.Err() != nil {
					return
				}
				if _, err := c.Cleanup(ctx, now().UTC()); err != nil && ctx.Err() == nil {
					slog.Default().WarnContext(ctx, "gobware: cleanup of expired rows failed", slog.String("error", err.Error()))
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(cancel)
		<-done
	}
}
