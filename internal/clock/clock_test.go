package clock

import (
	"testing"
	"time"
)

// Now stays within a millisecond of time.Now, on both clocks, across
// re-reads of the wall clock.
func TestNowFollowsTimeNow(t *testing.T) {
	deadline := time.Now().Add(rereadEvery + 200*time.Millisecond)
	for time.Now().Before(deadline) {
		before := time.Now()
		got := Now()
		after := time.Now()
		if got.Before(before.Add(-time.Millisecond)) || got.After(after.Add(time.Millisecond)) {
			t.Fatalf("Now() = %v; want between %v and %v", got, before, after)
		}
		// The monotonic reading is kept: a duration measured with it is
		// not affected by a step of the wall clock.
		if d := after.Sub(got); d < -time.Millisecond || d > time.Second {
			t.Fatalf("after.Sub(Now()) = %v; want a monotonic difference near zero", d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNowRereadsTheWallClockAfterASecond(t *testing.T) {
	stale := time.Now().Add(-2 * rereadEvery)
	base.Store(&stale)
	if got := Now(); got.Before(time.Now().Add(-time.Millisecond)) {
		t.Errorf("Now() = %v after a stale reading; want the current time", got)
	}
	if b := base.Load(); time.Since(*b) > time.Millisecond*100 {
		t.Errorf("the wall reading was not renewed: %v old", time.Since(*b))
	}
}

func BenchmarkNow(b *testing.B) {
	for b.Loop() {
		Now()
	}
}

func BenchmarkTimeNow(b *testing.B) {
	for b.Loop() {
		time.Now()
	}
}
