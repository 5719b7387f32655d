package cookietest_test

import (
	"context"
	"testing"
	"time"

	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/cookie/cookietest"
)

// A session store's own tests run the suite, once per backend, from a
// TestXxx function of its _test.go file. This is how package cookie runs it
// on its memory store; a SQL or Redis store also sets Dump, so that the
// check that session IDs are never stored reads what the backend holds.
func Example() {
	testMemoryStore := func(t *testing.T) { // func TestMemoryStore(t *testing.T)
		cookietest.TestStore(t, func(*testing.T) cookietest.Target {
			m := cookie.NewMemoryStore()
			return cookietest.Target{
				Store:     m,
				InProcess: true, // no I/O: a cancelled context may be ignored
				Cleanup: func(_ context.Context, now time.Time) (int64, error) {
					return int64(m.Cleanup(now)), nil
				},
			}
		})
	}
	_ = testMemoryStore
}
