package gorm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/internal/testdb"
	gormstore "github.com/gobware/gobware/storage/gorm"
)

// recordingCleaner reports each call on a channel.
type recordingCleaner struct {
	calls chan time.Time
	err   error
}

func (c *recordingCleaner) Cleanup(_ context.Context, now time.Time) (int64, error) {
	c.calls <- now
	return 0, c.err
}

func TestStartCleanupRunsAtOnceThenEveryIntervalUntilStopped(t *testing.T) {
	a := &recordingCleaner{calls: make(chan time.Time, 100)}
	b := &recordingCleaner{calls: make(chan time.Time, 100), err: errors.New("temporary failure")}
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.FixedZone("X", 3600))
	stop := gormstore.StartCleanup(context.Background(), time.Millisecond, func() time.Time { return at }, a, b)
	for i := 0; i < 3; i++ { // the first at once, then on ticks; a failure does not stop the loop
		for _, c := range []*recordingCleaner{a, b} {
			select {
			case got := <-c.calls:
				if !got.Equal(at) || got.Location() != time.UTC {
					t.Errorf("Cleanup(now) got %v; want %v in UTC", got, at)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("cleaner call %d did not happen", i+1)
			}
		}
	}
	stop()
	stop() // a second stop is harmless
	for len(a.calls) > 0 {
		<-a.calls
	}
	select {
	case <-a.calls:
		t.Error("Cleanup ran after stop returned")
	case <-time.After(20 * time.Millisecond):
	}
}

func TestStartCleanupStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &recordingCleaner{calls: make(chan time.Time, 100)}
	stop := gormstore.StartCleanup(ctx, time.Hour, nil, c)
	<-c.calls
	cancel()
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("stop did not return after the context was cancelled")
	}
}

func TestStartCleanupDeletesExpiredSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		st := newSessionStore(t, d)
		ctx := context.Background()
		dead, live := session("a", time.Minute, time.Hour), session("b", time.Hour, time.Hour)
		if err := st.Create(ctx, dead); err != nil {
			t.Fatal(err)
		}
		if err := st.Create(ctx, live); err != nil {
			t.Fatal(err)
		}
		ran := make(chan struct{}, 10)
		watch := &watchedCleaner{Cleaner: st, after: func() { ran <- struct{}{} }}
		stop := gormstore.StartCleanup(ctx, time.Hour, func() time.Time { return t0.Add(30 * time.Minute) }, watch)
		<-ran
		stop()
		var rows int64
		d.DB.Table(sessionTable(d)).Count(&rows)
		if rows != 1 {
			t.Errorf("rows after the first cleanup = %d; want 1", rows)
		}
	})
}

type watchedCleaner struct {
	gormstore.Cleaner
	after func()
}

func (w *watchedCleaner) Cleanup(ctx context.Context, now time.Time) (int64, error) {
	n, err := w.Cleaner.Cleanup(ctx, now)
	w.after()
	return n, err
}
