package coretest

import (
	"sync"
	"time"
)

// Epoch is where a zero Clock starts: a fixed instant in the future, so
// that no test depends on the real time.
var Epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// Clock is a manual clock: time stands still until the test moves it. Inject
// its Now method where code takes a `Now func() time.Time`. The zero Clock
// reads Epoch. A Clock is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	t   time.Time
	set bool
}

// NewClock returns a Clock that reads start.
func NewClock(start time.Time) *Clock { return &Clock{t: start, set: true} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.set {
		return Epoch
	}
	return c.t
}

// Advance moves the clock forward by d (backward if d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.set {
		c.t, c.set = Epoch, true
	}
	c.t = c.t.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t, c.set = t, true
}
