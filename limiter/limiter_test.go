package limiter_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// fail makes one attempt on keys and settles it as wrong, failing t when
// the attempt is refused.
func fail(t *testing.T, l *limiter.Limiter, keys ...string) {
	t.Helper()
	res, err := l.Reserve(context.Background(), keys...)
	if err != nil {
		t.Fatalf("Reserve(%q) = %v; want a reservation", keys, err)
	}
	res.Failed(context.Background())
}

// record returns what store holds for key.
func record(t *testing.T, store limiter.Store, key string) limiter.Record {
	t.Helper()
	sum := sha256.Sum256([]byte(key))
	rec, err := store.Get(context.Background(), hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	return rec
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

func TestReserveRefusesAfterTooManyFailuresUntilTheWaitHasPassed(t *testing.T) {
	ctx := context.Background()
	l, c, rec := newLimiter(t, limiter.Options{Free: 2, Backoff: 10 * time.Second})
	keys := []string{limiter.Account("alice"), limiter.IP("198.51.100.7")}
	for range 3 { // two free failures and the one that starts the wait
		fail(t, l, keys...)
	}
	c.Advance(4 * time.Second)
	_, err := l.Reserve(ctx, keys...)
	if !errors.Is(err, limiter.ErrLimited) || wait(err) != 6*time.Second {
		t.Fatalf("Reserve 4s later = %v; want ErrLimited with 6s to wait", err)
	}
	if n := rec.Count(core.EventRateLimited); n != 1 {
		t.Errorf("%d rate_limited events; want 1", n)
	}
	c.Advance(6 * time.Second)
	fail(t, l, keys...) // the wait has passed
	// That failure doubled the wait.
	if _, err := l.Reserve(ctx, keys...); wait(err) != 20*time.Second {
		t.Fatalf("Reserve after the fourth failure = %v; want 20s to wait", err)
	}
}

// TestEachBackoffEndsExactlyOnTime steps the clock across the end of every
// wait, from the first one to the cap: a microsecond before the end the
// attempt is refused (with a microsecond to wait), at the end it is let
// through. It catches a limiter that rounds waits, or lets short ones pass.
func TestEachBackoffEndsExactlyOnTime(t *testing.T) {
	for _, tt := range []struct {
		name string
		key  string
		free int
	}{
		{"an account", limiter.Account("alice"), limiter.DefaultFree},
		{"an address", limiter.IP("192.0.2.1"), limiter.DefaultIPFree},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			l, c, _ := newLimiter(t, limiter.Options{})
			for i := range tt.free + 1 {
				if _, err := l.Reserve(ctx, tt.key); err != nil {
					t.Fatalf("attempt %d of the free allowance = %v; want it let through", i+1, err)
				}
			}
			failures := tt.free + 1
			for want := time.Second; ; want = min(2*want, limiter.DefaultMaxBackoff) {
				if got := l.Backoff(tt.key, failures); got != want {
					t.Fatalf("Backoff after %d failures = %v; want %v", failures, got, want)
				}
				c.Advance(want - time.Microsecond)
				if _, err := l.Reserve(ctx, tt.key); wait(err) != time.Microsecond {
					t.Fatalf("after %d failures, a microsecond before the %v wait ends: Reserve = %v; want ErrLimited with 1µs to wait", failures, want, err)
				}
				c.Advance(time.Microsecond)
				if _, err := l.Reserve(ctx, tt.key); err != nil {
					t.Fatalf("after %d failures, once the %v wait has passed: Reserve = %v; want it let through", failures, want, err)
				}
				failures++
				if want == limiter.DefaultMaxBackoff && l.Backoff(tt.key, failures-2) == want {
					return // the cap held for two windows in a row
				}
			}
		})
	}
}

func TestSucceededClearsTheAccountButGivesTheAddressOnlyItsAttempt(t *testing.T) {
	ctx := context.Background()
	store := limiter.NewMemoryStore()
	l, c, _ := newLimiter(t, limiter.Options{Store: store, Free: 1, IPFree: 1})
	account, ip := limiter.Account("alice"), limiter.IP("203.0.113.9")
	fail(t, l, account, ip)
	fail(t, l, account, ip)
	if _, err := l.Reserve(ctx, limiter.Account("bob"), ip); !errors.Is(err, limiter.ErrLimited) {
		t.Fatalf("Reserve(another account, same address) = %v; want ErrLimited", err)
	}
	c.Advance(time.Second) // both may try again
	res, err := l.Reserve(ctx, account, ip)
	if err != nil {
		t.Fatalf("Reserve once the wait has passed = %v", err)
	}
	if err := res.Succeeded(ctx); err != nil {
		t.Fatal(err)
	}
	if got := record(t, store, account); got.Failures != 0 {
		t.Errorf("the account after a success: %+v; want no record", got)
	}
	if got := record(t, store, ip); got.Failures != 2 {
		t.Errorf("the address after a success: %+v; want its 2 failures, no more and no fewer", got)
	}
}

// TestAGivenBackAttemptLeavesTheAddressAsItWas checks that a login from an
// address that must wait after each failure does not restart that wait:
// the next attempt from the address is let through at once.
func TestAGivenBackAttemptLeavesTheAddressAsItWas(t *testing.T) {
	ctx := context.Background()
	store := limiter.NewMemoryStore()
	l, c, _ := newLimiter(t, limiter.Options{Store: store, IPFree: 1})
	ip := limiter.IP("203.0.113.9")
	fail(t, l, limiter.Account("x"), ip)
	fail(t, l, limiter.Account("y"), ip)
	before := record(t, store, ip)
	c.Advance(time.Second) // the address may try again
	res, err := l.Reserve(ctx, limiter.Account("alice"), ip)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Succeeded(ctx); err != nil {
		t.Fatal(err)
	}
	if after := record(t, store, ip); after.Failures != before.Failures || !after.Last.Equal(before.Last) {
		t.Fatalf("the address after a given-back attempt: %+v; want %+v again", after, before)
	}
	if _, err := l.Reserve(ctx, limiter.Account("bob"), ip); err != nil {
		t.Fatalf("the next attempt from the address = %v; want it let through at once", err)
	}
}

// racingStore lets another writer in just before the first swap on one key,
// as a concurrent request on another server would.
type racingStore struct {
	*limiter.MemoryStore
	key  string
	race func()
	once sync.Once
}

func (s *racingStore) CompareAndSwap(ctx context.Context, key string, old, next limiter.Record, expires time.Time) (bool, error) {
	if key == s.key && s.race != nil {
		s.once.Do(s.race)
	}
	return s.MemoryStore.CompareAndSwap(ctx, key, old, next, expires)
}

func TestAnAttemptThatLosesARaceHalfWayGivesTheFirstKeysBack(t *testing.T) {
	ctx := context.Background()
	mem := limiter.NewMemoryStore()
	account, ip := limiter.Account("alice"), limiter.IP("192.0.2.1")
	sum := sha256.Sum256([]byte(account))
	store := &racingStore{MemoryStore: mem, key: hex.EncodeToString(sum[:])}
	l, _, rec := newLimiter(t, limiter.Options{Store: store, Free: 1})
	fail(t, l, account) // the account's last free attempt is left
	store.race = func() {
		// Another server takes it between our look and our swap.
		other, _, _ := newLimiter(t, limiter.Options{Store: mem, Free: 1})
		fail(t, other, account)
	}
	_, err := l.Reserve(ctx, ip, account)
	if !errors.Is(err, limiter.ErrLimited) || wait(err) != time.Second {
		t.Fatalf("Reserve that lost the race = %v; want ErrLimited with 1s to wait", err)
	}
	if got := record(t, mem, ip); got.Failures != 0 {
		t.Errorf("the address after the refused attempt: %+v; want its attempt given back", got)
	}
	if got := record(t, mem, account); got.Failures != 2 {
		t.Errorf("the account after the race: %+v; want the winner's 2 failures", got)
	}
	if rec.Count(core.EventRateLimited) != 1 {
		t.Errorf("events %v; want one rate_limited", rec.All())
	}
}

func TestAnUnsettledReservationCountsAsAFailure(t *testing.T) {
	ctx := context.Background()
	l, _, rec := newLimiter(t, limiter.Options{Free: 1})
	k := limiter.Account("alice")
	for range 2 {
		if _, err := l.Reserve(ctx, k); err != nil { // never settled: the client went away
			t.Fatal(err)
		}
	}
	if _, err := l.Reserve(ctx, k); !errors.Is(err, limiter.ErrLimited) {
		t.Fatalf("Reserve after two unsettled attempts = %v; want ErrLimited", err)
	}
	if n := rec.Count(core.EventLoginFailed); n != 0 {
		t.Errorf("%d login_failed events without Failed; want 0", n)
	}
}

func TestOnlyTheFirstSettlingCounts(t *testing.T) {
	ctx := context.Background()
	store := limiter.NewMemoryStore()
	l, _, rec := newLimiter(t, limiter.Options{Store: store, Free: 1})
	k := limiter.Account("alice")
	res, err := l.Reserve(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	res.Failed(ctx)
	if err := res.Succeeded(ctx); err != nil {
		t.Fatal(err)
	}
	res.Failed(ctx)
	if got := record(t, store, k); got.Failures != 1 {
		t.Errorf("record after Failed then Succeeded: %+v; want the failure kept", got)
	}
	if n := rec.Count(core.EventLoginFailed); n != 1 {
		t.Errorf("%d login_failed events; want 1", n)
	}
}

func TestKeysAreIndependent(t *testing.T) {
	ctx := context.Background()
	l, _, _ := newLimiter(t, limiter.Options{Free: 1})
	fail(t, l, limiter.Account("alice"))
	fail(t, l, limiter.Account("alice"))
	if _, err := l.Reserve(ctx, limiter.Account("bob"), limiter.IP("192.0.2.1")); err != nil {
		t.Errorf("Reserve(bob) after alice's failures = %v; want a reservation", err)
	}
	if _, err := l.Reserve(ctx, limiter.Account("alicia")); err != nil {
		t.Errorf("Reserve(alicia) after alice's failures = %v; want a reservation (another name)", err)
	}
}

func TestFailuresAreForgottenAfterTheForgetPeriod(t *testing.T) {
	ctx := context.Background()
	store := limiter.NewMemoryStore()
	l, c, _ := newLimiter(t, limiter.Options{Store: store, Free: 1, Backoff: time.Minute, MaxBackoff: time.Minute, Forget: time.Hour})
	k := limiter.Account("alice")
	fail(t, l, k)
	fail(t, l, k)
	c.Advance(time.Hour)
	fail(t, l, k)
	if got := record(t, store, k); got.Failures != 1 {
		t.Errorf("record after a failure an hour later: %+v; want a fresh count of 1", got)
	}
	if _, err := l.Reserve(ctx, k); err != nil {
		t.Errorf("Reserve = %v; want the free allowance again", err)
	}
}

func TestReserveIgnoresEmptyAndRepeatedKeys(t *testing.T) {
	ctx := context.Background()
	store := limiter.NewMemoryStore()
	l, _, rec := newLimiter(t, limiter.Options{Store: store})
	res, err := l.Reserve(ctx, "", "")
	if err != nil {
		t.Fatalf("Reserve(empty keys) = %v; want a reservation", err)
	}
	res.Failed(ctx)
	if err := res.Succeeded(ctx); err != nil {
		t.Errorf("Succeeded(empty keys) = %v", err)
	}
	if len(rec.All()) != 0 || store.Len() != 0 {
		t.Errorf("events %v and %d records for empty keys; want none", rec.All(), store.Len())
	}
	k := limiter.Account("alice")
	fail(t, l, k, k, "")
	if got := record(t, store, k); got.Failures != 1 {
		t.Errorf("record after one attempt naming the key twice: %+v; want 1 failure", got)
	}
}

// brokenStore fails every call, as an unreachable database does.
type brokenStore struct{}

var errDown = errors.New("store down")

func (brokenStore) Get(context.Context, string) (limiter.Record, error) {
	return limiter.Record{}, errDown
}
func (brokenStore) CompareAndSwap(context.Context, string, limiter.Record, limiter.Record, time.Time) (bool, error) {
	return false, errDown
}
func (brokenStore) Reset(context.Context, string) error { return errDown }

// writeFailsStore reads but cannot write.
type writeFailsStore struct{ *limiter.MemoryStore }

func (writeFailsStore) CompareAndSwap(context.Context, string, limiter.Record, limiter.Record, time.Time) (bool, error) {
	return false, errDown
}
func (writeFailsStore) Reset(context.Context, string) error { return errDown }

func TestABrokenStoreFailsClosed(t *testing.T) {
	ctx := context.Background()
	k := limiter.Account("alice")
	for _, tt := range []struct {
		name  string
		store limiter.Store
	}{
		{"a store that cannot be read", brokenStore{}},
		{"a store that cannot be written", writeFailsStore{limiter.NewMemoryStore()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, _, _ := newLimiter(t, limiter.Options{Store: tt.store})
			if res, err := l.Reserve(ctx, k); !errors.Is(err, errDown) || res != nil {
				t.Errorf("Reserve = %v, %v; want no reservation and the store's error", res, err)
			}
		})
	}
	store := &switchStore{MemoryStore: limiter.NewMemoryStore()}
	l, _, _ := newLimiter(t, limiter.Options{Store: store})
	res, err := l.Reserve(ctx, k, limiter.IP("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	store.down = true
	if err := res.Succeeded(ctx); !errors.Is(err, errDown) {
		t.Errorf("Succeeded on a store gone down = %v; want the store's error", err)
	}
}

// switchStore is a MemoryStore that goes down when told.
type switchStore struct {
	*limiter.MemoryStore
	down bool
}

func (s *switchStore) Get(ctx context.Context, key string) (limiter.Record, error) {
	if s.down {
		return limiter.Record{}, errDown
	}
	return s.MemoryStore.Get(ctx, key)
}
func (s *switchStore) Reset(ctx context.Context, key string) error {
	if s.down {
		return errDown
	}
	return s.MemoryStore.Reset(ctx, key)
}

// spyStore records the keys it is given.
type spyStore struct {
	*limiter.MemoryStore
	mu   sync.Mutex
	keys []string
}

func (s *spyStore) CompareAndSwap(ctx context.Context, key string, old, next limiter.Record, expires time.Time) (bool, error) {
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.mu.Unlock()
	return s.MemoryStore.CompareAndSwap(ctx, key, old, next, expires)
}

func TestNeitherStoreNorEventsSeeTheKey(t *testing.T) {
	ctx := context.Background()
	spy := &spyStore{MemoryStore: limiter.NewMemoryStore()}
	l, _, rec := newLimiter(t, limiter.Options{Store: spy, Free: 1})
	secret := "hunter2-typed-as-a-username"
	k := limiter.Account(secret)
	fail(t, l, k)
	fail(t, l, k)
	l.Reserve(ctx, k)
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
	s.CompareAndSwap(ctx, "a", limiter.Record{}, limiter.Record{Failures: 1, Last: at, Version: 1}, at.Add(time.Minute))
	s.CompareAndSwap(ctx, "b", limiter.Record{}, limiter.Record{Failures: 1, Last: at.Add(2 * time.Minute), Version: 1}, at.Add(3*time.Minute))
	if n := s.Len(); n != 1 {
		t.Errorf("Len = %d after a's forget period; want 1", n)
	}
}
