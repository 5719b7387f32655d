package limiter_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/limiter/limitertest"
)

func newLimiter(t *testing.T, opts limiter.Options) (*limiter.Limiter, *coretest.Clock, *coretest.Events) {
	t.Helper()
	c := coretest.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	rec := &coretest.Events{}
	opts.Now, opts.Events = c.Now, rec.Record
	l, err := limiter.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return l, c, rec
}

func wait(err error) time.Duration {
	var le *limiter.LimitedError
	if errors.As(err, &le) {
		return le.Wait
	}
	return 0
}

func TestMemoryStoreConformance(t *testing.T) {
	limitertest.TestStore(t, limiter.NewMemoryStore())
}

func TestBackoffDoublesAfterTheFreeFailuresUpToTheCap(t *testing.T) {
	l, _, _ := newLimiter(t, limiter.Options{})
	for _, tt := range []struct {
		name     string
		key      string
		failures int
		want     time.Duration
	}{
		{"no failure costs nothing", limiter.Account("a"), 0, 0},
		{"the fifth failure of an account is still free", limiter.Account("a"), 5, 0},
		{"the sixth failure of an account costs a second", limiter.Account("a"), 6, time.Second},
		{"each further failure doubles the wait", limiter.Account("a"), 9, 8 * time.Second},
		{"the wait stops at the cap", limiter.Account("a"), 40, 15 * time.Minute},
		{"a huge count does not overflow", limiter.Account("a"), 1 << 30, 15 * time.Minute},
		{"an address has twenty free failures", limiter.IP("192.0.2.1"), 20, 0},
		{"the twenty-first failure of an address costs a second", limiter.IP("192.0.2.1"), 21, time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Backoff(tt.key, tt.failures); got != tt.want {
				t.Errorf("Backoff(%q, %d) = %v; want %v", tt.key, tt.failures, got, tt.want)
			}
		})
	}
}

func TestCheckRefusesAfterTooManyFailuresUntilTheWaitHasPassed(t *testing.T) {
	ctx := context.Background()
	l, c, rec := newLimiter(t, limiter.Options{Free: 2, Backoff: 10 * time.Second})
	keys := []string{limiter.Account("alice"), limiter.IP("198.51.100.7")}
	for i := range 2 {
		if err := l.Check(ctx, keys...); err != nil {
			t.Fatalf("Check before failure %d = %v; want nil", i+1, err)
		}
		if w, err := l.Failure(ctx, keys...); err != nil || w != 0 {
			t.Fatalf("Failure #%d = %v, %v; want 0, nil (still free)", i+1, w, err)
		}
	}
	if w, err := l.Failure(ctx, keys...); err != nil || w != 10*time.Second {
		t.Fatalf("third Failure = %v, %v; want 10s, nil", w, err)
	}
	c.Advance(4 * time.Second)
	err := l.Check(ctx, keys...)
	if !errors.Is(err, limiter.ErrLimited) || wait(err) != 6*time.Second {
		t.Fatalf("Check 4s later = %v; want ErrLimited with 6s to wait", err)
	}
	if n := rec.Count(core.EventRateLimited); n != 1 {
		t.Errorf("%d rate_limited events; want 1", n)
	}
	c.Advance(6 * time.Second)
	if err := l.Check(ctx, keys...); err != nil {
		t.Fatalf("Check once the wait has passed = %v; want nil", err)
	}
	// The next failure doubles the wait.
	if w, _ := l.Failure(ctx, keys...); w != 20*time.Second {
		t.Fatalf("fourth Failure imposes %v; want 20s", w)
	}
}

func TestSuccessClearsTheAccountButNotTheAddress(t *testing.T) {
	ctx := context.Background()
	l, _, _ := newLimiter(t, limiter.Options{Free: 1, IPFree: 1})
	account, ip := limiter.Account("alice"), limiter.IP("203.0.113.9")
	l.Failure(ctx, account, ip)
	l.Failure(ctx, account, ip)
	if err := l.Success(ctx, account); err != nil {
		t.Fatal(err)
	}
	if err := l.Check(ctx, account); err != nil {
		t.Errorf("Check(account) after Success = %v; want nil", err)
	}
	if err := l.Check(ctx, ip); !errors.Is(err, limiter.ErrLimited) {
		t.Errorf("Check(address) after the account's Success = %v; want ErrLimited", err)
	}
	if err := l.Check(ctx, limiter.Account("bob"), ip); !errors.Is(err, limiter.ErrLimited) {
		t.Errorf("Check(another account, same address) = %v; want ErrLimited", err)
	}
}

func TestKeysAreIndependent(t *testing.T) {
	ctx := context.Background()
	l, _, _ := newLimiter(t, limiter.Options{Free: 1})
	l.Failure(ctx, limiter.Account("alice"))
	l.Failure(ctx, limiter.Account("alice"))
	if err := l.Check(ctx, limiter.Account("bob"), limiter.IP("192.0.2.1")); err != nil {
		t.Errorf("Check(bob) after alice's failures = %v; want nil", err)
	}
	if err := l.Check(ctx, limiter.Account("alicia")); err != nil {
		t.Errorf("Check(alicia) after alice's failures = %v; want nil (another name)", err)
	}
}

func TestFailuresAreForgottenAfterTheForgetPeriod(t *testing.T) {
	ctx := context.Background()
	l, c, _ := newLimiter(t, limiter.Options{Free: 1, Backoff: time.Minute, MaxBackoff: time.Minute, Forget: time.Hour})
	k := limiter.Account("alice")
	for range 5 {
		l.Failure(ctx, k)
	}
	c.Advance(time.Hour)
	if w, _ := l.Failure(ctx, k); w != 0 {
		t.Errorf("Failure an hour later imposes %v; want 0 (a fresh count)", w)
	}
}

func TestCheckAndFailureIgnoreEmptyKeys(t *testing.T) {
	ctx := context.Background()
	l, _, rec := newLimiter(t, limiter.Options{})
	if w, err := l.Failure(ctx, "", ""); w != 0 || err != nil {
		t.Errorf("Failure(empty keys) = %v, %v; want 0, nil", w, err)
	}
	if err := l.Check(ctx, ""); err != nil {
		t.Errorf("Check(empty key) = %v; want nil", err)
	}
	if err := l.Success(ctx, ""); err != nil {
		t.Errorf("Success(empty key) = %v; want nil", err)
	}
	if len(rec.All()) != 0 {
		t.Errorf("events %v for empty keys; want none", rec.All())
	}
}

// brokenStore fails every call, as an unreachable database does.
type brokenStore struct{}

var errDown = errors.New("store down")

func (brokenStore) Get(context.Context, string) (limiter.Record, error) {
	return limiter.Record{}, errDown
}
func (brokenStore) Fail(context.Context, string, time.Time, time.Duration) (limiter.Record, error) {
	return limiter.Record{}, errDown
}
func (brokenStore) Reset(context.Context, string) error { return errDown }

func TestABrokenStoreFailsClosed(t *testing.T) {
	ctx := context.Background()
	l, _, _ := newLimiter(t, limiter.Options{Store: brokenStore{}})
	k := limiter.Account("alice")
	if err := l.Check(ctx, k); !errors.Is(err, errDown) {
		t.Errorf("Check = %v; want the store's error", err)
	}
	if _, err := l.Failure(ctx, k); !errors.Is(err, errDown) {
		t.Errorf("Failure = %v; want the store's error", err)
	}
	if err := l.Success(ctx, k); !errors.Is(err, errDown) {
		t.Errorf("Success = %v; want the store's error", err)
	}
}

// spyStore records the keys it is given.
type spyStore struct {
	*limiter.MemoryStore
	mu   sync.Mutex
	keys []string
}

func (s *spyStore) Fail(ctx context.Context, key string, at time.Time, forget time.Duration) (limiter.Record, error) {
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.mu.Unlock()
	return s.MemoryStore.Fail(ctx, key, at, forget)
}

func TestNeitherStoreNorEventsSeeTheKey(t *testing.T) {
	ctx := context.Background()
	spy := &spyStore{MemoryStore: limiter.NewMemoryStore()}
	l, _, rec := newLimiter(t, limiter.Options{Store: spy, Free: 1})
	secret := "hunter2-typed-as-a-username"
	k := limiter.Account(secret)
	l.Failure(ctx, k)
	l.Failure(ctx, k)
	l.Check(ctx, k)
	for _, got := range spy.keys {
		if len(got) != 64 || got == k {
			t.Errorf("the store got key %q; want a 64-character hash", got)
		}
	}
	for _, e := range rec.All() {
		if e.Ref == "" || e.Ref == k || e.Ref == secret || e.Reason != "account" {
			t.Errorf("event %+v; want a hashed Ref and Reason \"account\"", e)
		}
	}
	if rec.Count(core.EventLoginFailed) != 2 || rec.Count(core.EventRateLimited) != 1 {
		t.Errorf("events %v; want 2 login_failed and 1 rate_limited", rec.All())
	}
}

func TestNewRefusesInconsistentOptions(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts limiter.Options
	}{
		{"a negative free count", limiter.Options{Free: -1}},
		{"a negative backoff", limiter.Options{Backoff: -time.Second}},
		{"a cap below the first wait", limiter.Options{Backoff: time.Minute, MaxBackoff: time.Second}},
		{"forgetting before the cap has passed", limiter.Options{MaxBackoff: time.Hour, Forget: time.Minute}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := limiter.New(tt.opts); !errors.Is(err, limiter.ErrBadOption) {
				t.Errorf("New(%+v) = %v; want ErrBadOption", tt.opts, err)
			}
		})
	}
}

func TestIPGroupsIPv6By64(t *testing.T) {
	for _, tt := range []struct{ name, addr, want string }{
		{"an IPv4 address is its own key", "192.0.2.1", "ip:192.0.2.1"},
		{"an IPv4-mapped IPv6 address is the IPv4 address", "::ffff:192.0.2.1", "ip:192.0.2.1"},
		{"an IPv6 address counts with its /64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "ip:2001:db8:1:2::/64"},
		{"a zone is dropped", "fe80::1%eth0", "ip:fe80::/64"},
		{"something else is kept as it is", "unix-socket", "ip:unix-socket"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := limiter.IP(tt.addr); got != tt.want {
				t.Errorf("IP(%q) = %q; want %q", tt.addr, got, tt.want)
			}
		})
	}
}

func TestMemoryStoreDropsForgottenKeys(t *testing.T) {
	ctx := context.Background()
	s := limiter.NewMemoryStore()
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Fail(ctx, "a", at, time.Minute)
	s.Fail(ctx, "b", at.Add(2*time.Minute), time.Minute)
	if n := s.Len(); n != 1 {
		t.Errorf("Len = %d after a's forget period; want 1", n)
	}
}
