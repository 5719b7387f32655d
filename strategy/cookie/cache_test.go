package cookie_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/internal/testdb"
	"github.com/gobware/gobware/strategy/cookie"
)

// cachedEnv returns an env on the memory store and a Strategy on it with
// the cache on.
func cachedEnv(t *testing.T, opts cookie.Options) (*env, *cookie.Strategy) {
	t.Helper()
	e := newEnv(cookie.NewMemoryStore(), nil, "")
	if opts.CacheTTL == 0 {
		opts.CacheTTL = 5 * time.Second
	}
	return e, e.strategy(t, opts)
}

func TestCacheIsOffByDefault(t *testing.T) {
	e := newEnv(cookie.NewMemoryStore(), nil, "")
	s := e.strategy(t, cookie.Options{})
	v := login(t, s, "alice")
	e.store.reset()
	for i := 0; i < 3; i++ {
		if _, err := authenticate(s, v); err != nil {
			t.Fatalf("authenticate = %v; want nil", err)
		}
	}
	if got := e.store.find.Load(); got != 3 {
		t.Errorf("store.Find calls = %d; want 3 (one per request)", got)
	}
	if got := cookie.CacheLen(s); got != 0 {
		t.Errorf("CacheLen = %d; want 0", got)
	}
}

func TestCacheAnswersRepeatedRequestsWithoutTheStore(t *testing.T) {
	e, s := cachedEnv(t, cookie.Options{})
	v := login(t, s, "alice")
	e.store.reset()
	for i := 0; i < 5; i++ {
		id, err := authenticate(s, v)
		if err != nil || id.UserID != "alice" {
			t.Fatalf("authenticate = %q, %v; want alice, nil", id.UserID, err)
		}
	}
	if got := e.store.find.Load(); got != 1 {
		t.Errorf("store.Find calls = %d; want 1", got)
	}
}

func TestCacheNeverAcceptsWhatTheSignatureRefuses(t *testing.T) {
	_, s := cachedEnv(t, cookie.Options{})
	v := login(t, s, "alice")
	if _, err := authenticate(s, v); err != nil {
		t.Fatal(err)
	}
	tampered := v[:len(v)-1] + flipChar(v[len(v)-1])
	if _, err := authenticate(s, tampered); !errors.Is(err, cookie.ErrBadSignature) && !errors.Is(err, cookie.ErrMalformed) {
		t.Errorf("authenticate(tampered) = %v; want ErrBadSignature or ErrMalformed", err)
	}
}

func flipChar(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestCacheTakesEndingASessionHereIntoAccountAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(t *testing.T, s *cookie.Strategy, v string)
	}{
		{"logout ends the cached session", func(t *testing.T, s *cookie.Strategy, v string) {
			if err := s.Logout(newRequest().AddCookie(s.CookieName(), v), newRecorder()); err != nil {
				t.Fatal(err)
			}
		}},
		{"logging out everywhere ends the cached session", func(t *testing.T, s *cookie.Strategy, v string) {
			if n, err := s.LogoutEverywhere(context.Background(), "alice"); err != nil || n != 1 {
				t.Fatalf("LogoutEverywhere = %d, %v; want 1, nil", n, err)
			}
		}},
		{"ending the session by handle ends the cached session", func(t *testing.T, s *cookie.Strategy, v string) {
			h := s.CurrentHandle(newRequest().AddCookie(s.CookieName(), v))
			if err := s.End(context.Background(), "alice", h); err != nil {
				t.Fatal(err)
			}
		}},
		{"a new login on the same browser ends the cached session", func(t *testing.T, s *cookie.Strategy, v string) {
			if err := s.Login(newRequest().AddCookie(s.CookieName(), v), newRecorder(), "alice"); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, s := cachedEnv(t, cookie.Options{CacheTTL: time.Hour})
			v := login(t, s, "alice")
			if _, err := authenticate(s, v); err != nil {
				t.Fatal(err)
			}
			tc.end(t, s, v)
			if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
				t.Errorf("authenticate after ending = %v; want ErrUnknownSession", err)
			}
		})
	}
}

func TestCacheEnforcesExpiryOnTime(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    cookie.Options
		advance time.Duration
	}{
		{"the idle timeout ends a cached session", cookie.Options{IdleTimeout: 10 * time.Minute, TouchInterval: 5 * time.Minute}, 10 * time.Minute},
		{"the absolute lifetime ends a cached session", cookie.Options{IdleTimeout: 10 * time.Minute, Lifetime: 12 * time.Minute, TouchInterval: time.Minute}, 12 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.CacheTTL = time.Hour
			e, s := cachedEnv(t, tc.opts)
			v := login(t, s, "alice")
			// Keep the session in use until just before its end.
			for elapsed := time.Duration(0); elapsed+time.Minute < tc.advance; elapsed += time.Minute {
				if _, err := authenticate(s, v); err != nil {
					t.Fatalf("authenticate at +%v = %v; want nil", elapsed, err)
				}
				e.clock.Advance(time.Minute)
			}
			if tc.name == "the idle timeout ends a cached session" {
				e.clock.Advance(tc.advance) // idle for a whole timeout
			} else {
				e.clock.Advance(time.Minute)
			}
			if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
				t.Errorf("authenticate after expiry = %v; want ErrUnknownSession", err)
			}
		})
	}
}

func TestCachePushesTheIdleDeadlineBackThroughTheStore(t *testing.T) {
	e, s := cachedEnv(t, cookie.Options{CacheTTL: time.Hour, IdleTimeout: 10 * time.Minute, TouchInterval: 2 * time.Minute})
	v := login(t, s, "alice")
	e.store.reset()
	for i := 0; i < 30; i++ { // 30 minutes of use, three idle timeouts
		if _, err := authenticate(s, v); err != nil {
			t.Fatalf("authenticate at +%dm = %v; want nil", i, err)
		}
		e.clock.Advance(time.Minute)
	}
	if got := e.store.touch.Load(); got < 10 || got > 15 {
		t.Errorf("store.Touch calls over 30 minutes = %d; want about 15 (one per TouchInterval)", got)
	}
}

func TestCacheStalenessIsBoundedByTheTTL(t *testing.T) {
	// Another server ending the session is modelled by deleting it from the
	// shared store behind this Strategy's back.
	e, s := cachedEnv(t, cookie.Options{CacheTTL: 5 * time.Second})
	v := login(t, s, "alice")
	if _, err := authenticate(s, v); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.DeleteUser(context.Background(), "alice"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(4 * time.Second)
	if _, err := authenticate(s, v); err != nil {
		t.Errorf("authenticate within CacheTTL = %v; want nil (the documented staleness)", err)
	}
	e.clock.Advance(time.Second)
	if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
		t.Errorf("authenticate at CacheTTL = %v; want ErrUnknownSession", err)
	}
}

// pausingStore holds Find, once armed, until released, so that a logout
// can run while a request is between reading the store and caching.
type pausingStore struct {
	cookie.Store
	mu      sync.Mutex
	armed   bool
	reached chan struct{}
	release chan struct{}
}

func (p *pausingStore) Find(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	sess, err := p.Store.Find(ctx, h, now)
	p.mu.Lock()
	armed := p.armed
	p.armed = false
	p.mu.Unlock()
	if armed {
		close(p.reached)
		<-p.release
	}
	return sess, err
}

func TestCacheLogoutRacingARequestLeavesNothingCached(t *testing.T) {
	st := &pausingStore{Store: cookie.NewMemoryStore(), reached: make(chan struct{}), release: make(chan struct{})}
	e := newEnv(st, nil, "")
	s := e.strategy(t, cookie.Options{CacheTTL: time.Hour})
	v := login(t, s, "alice")
	st.mu.Lock()
	st.armed = true
	st.mu.Unlock()
	done := make(chan error)
	go func() {
		_, err := authenticate(s, v) // reads the live session, then pauses
		done <- err
	}()
	<-st.reached
	if err := s.Logout(newRequest().AddCookie(s.CookieName(), v), newRecorder()); err != nil {
		t.Fatal(err)
	}
	close(st.release)
	if err := <-done; err != nil {
		t.Fatalf("the racing request = %v; want nil (it began before the logout)", err)
	}
	if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
		t.Errorf("authenticate after logout = %v; want ErrUnknownSession", err)
	}
}

func TestCacheSizeBoundHoldsUnderConcurrency(t *testing.T) {
	e := dbEnv(t, testdb.Open(t, "sqlite"))
	const size = 8
	s := e.strategy(t, cookie.Options{CacheTTL: time.Hour, CacheSize: size})
	values := make([]string, 40)
	for i := range values {
		values[i] = login(t, s, fmt.Sprintf("user-%d", i))
	}
	// Eight goroutines authenticate all forty users while the last twenty
	// are logged out everywhere: users 0-19 must always get through, and
	// once the logouts are done, users 20-39 never again.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				j := (i*7 + g*13) % len(values)
				id, err := authenticate(s, values[j])
				if j < 20 && (err != nil || id.UserID != fmt.Sprintf("user-%d", j)) {
					errs <- fmt.Errorf("authenticate(values[%d]) = %q, %v; want user-%d", j, id.UserID, err, j)
					return
				}
				if n := cookie.CacheLen(s); n > size {
					errs <- fmt.Errorf("CacheLen = %d; want at most %d", n, size)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 20; i < 40; i++ {
			if _, err := s.LogoutEverywhere(context.Background(), fmt.Sprintf("user-%d", i)); err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for j := 20; j < 40; j++ {
		if _, err := authenticate(s, values[j]); !errors.Is(err, cookie.ErrUnknownSession) {
			t.Errorf("authenticate(values[%d]) after LogoutEverywhere = %v; want ErrUnknownSession", j, err)
		}
	}
	if n := cookie.CacheLen(s); n > size {
		t.Errorf("CacheLen = %d; want at most %d", n, size)
	}
}

func TestNewRefusesNegativeCacheOptions(t *testing.T) {
	for _, opts := range []cookie.Options{{CacheTTL: -1}, {CacheTTL: time.Second, CacheSize: -1}} {
		if _, err := cookie.New([][]byte{key1}, cookie.NewMemoryStore(), opts); !errors.Is(err, cookie.ErrBadOption) {
			t.Errorf("New(%+v) = %v; want ErrBadOption", opts, err)
		}
	}
}
