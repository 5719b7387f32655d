// Package clock is the wall clock of the strategies' hot paths: time.Now
// reads the system's wall and monotonic clocks (two reads), Now reads the
// monotonic clock only and adds what elapsed to a wall time it re-reads
// every second.
//
// The times it returns follow time.Now's to the nanosecond while the
// system clock runs (the monotonic clock is slewed with it); when the
// system clock is stepped, they follow the step within a second, which is
// well inside the leeway any expiry check allows.
package clock

import (
	"sync/atomic"
	"time"
)

// rereadEvery is how long a wall reading serves before Now reads again.
const rereadEvery = time.Second

var base atomic.Pointer[time.Time]

// Now returns the current local time, as time.Now does, with a monotonic
// reading.
func Now() time.Time {
	if b := base.Load(); b != nil {
		if elapsed := time.Since(*b); 0 <= elapsed && elapsed < rereadEvery {
			return b.Add(elapsed)
		}
	}
	t := time.Now()
	base.Store(&t)
	return t
}
