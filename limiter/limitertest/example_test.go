package limitertest_test

import (
	"testing"

	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/limiter/limitertest"
)

// A limiter store's own tests run the suite from a TestXxx function of its
// _test.go file. A store shared by several servers passes further stores
// over the same backend (their own client or connection pool), so that the
// concurrency cases check what those servers get together.
func Example() {
	testMemoryStore := func(t *testing.T) { // func TestMemoryStore(t *testing.T)
		limitertest.TestStore(t, limiter.NewMemoryStore())
	}
	_ = testMemoryStore
}
