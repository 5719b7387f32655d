package jwt_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt"
)

func TestCacheIsOffByDefault(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	tok := mustToken(t, s, "alice")
	for i := 0; i < 3; i++ {
		if _, err := s.Authenticate(bearer(tok)); err != nil {
			t.Fatal(err)
		}
	}
	if n := jwt.CacheLen(s); n != 0 {
		t.Errorf("CacheLen = %d; want 0", n)
	}
}

func TestCacheRemembersOnlyVerifiedTokens(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{CacheSize: 10})
	tok := mustToken(t, s, "alice")
	tampered := tok[:len(tok)-2] + "AA"
	if tampered == tok {
		tampered = tok[:len(tok)-2] + "BA"
	}
	for _, bad := range []string{tampered, "not.a.token.at.all", tok + "x"} {
		if _, err := s.Authenticate(bearer(bad)); !errors.Is(err, core.ErrInvalidCredential) {
			t.Errorf("Authenticate(%q) = %v; want ErrInvalidCredential", bad, err)
		}
	}
	if n := jwt.CacheLen(s); n != 0 {
		t.Errorf("CacheLen after refusals = %d; want 0", n)
	}
	for i := 0; i < 3; i++ {
		id, err := s.Authenticate(bearer(tok))
		if err != nil || id.UserID != "alice" {
			t.Fatalf("Authenticate = %q, %v; want alice, nil", id.UserID, err)
		}
	}
	if n := jwt.CacheLen(s); n != 1 {
		t.Errorf("CacheLen after three uses of one token = %d; want 1", n)
	}
	if _, err := s.Authenticate(bearer(tampered)); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate(tampered) with the original cached = %v; want ErrInvalidCredential", err)
	}
}

func TestCacheHonoursExpiry(t *testing.T) {
	s, clk, _ := newStrategy(t, [][]byte{key1}, jwt.Options{CacheSize: 10})
	tok := mustToken(t, s, "alice")
	if _, err := s.Verify(tok); err != nil {
		t.Fatal(err)
	}
	clk.Advance(jwt.DefaultLifetime + jwt.DefaultLeeway - time.Second)
	if _, err := s.Verify(tok); err != nil {
		t.Errorf("Verify(cached) one second before exp+leeway = %v; want nil", err)
	}
	clk.Advance(time.Second)
	if _, err := s.Verify(tok); !errors.Is(err, jwt.ErrExpired) {
		t.Errorf("Verify(cached) at exp+leeway = %v; want %v", err, jwt.ErrExpired)
	}
}

func TestCacheHonoursNotBeforeWhenTheClockGoesBack(t *testing.T) {
	s, clk, _ := newStrategy(t, [][]byte{key1}, jwt.Options{CacheSize: 10})
	tok := mustToken(t, s, "alice")
	if _, err := s.Verify(tok); err != nil {
		t.Fatal(err)
	}
	clk.Advance(-jwt.DefaultLeeway - time.Second)
	if _, err := s.Verify(tok); !errors.Is(err, jwt.ErrNotYetValid) {
		t.Errorf("Verify(cached) before nbf-leeway = %v; want %v", err, jwt.ErrNotYetValid)
	}
}

func TestCacheHonoursRevocation(t *testing.T) {
	list := jwt.NewMemoryRevocationList()
	s, clk, _ := newStrategy(t, [][]byte{key1}, jwt.Options{Revocations: list, CacheSize: 10})
	list.Now = clk.Now
	tok := mustToken(t, s, "alice")
	c, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if n := jwt.CacheLen(s); n != 1 {
		t.Fatalf("CacheLen = %d; want 1", n)
	}
	if err := s.RevokeAccess(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(bearer(tok)); !errors.Is(err, jwt.ErrRevoked) {
		t.Errorf("Authenticate(cached, revoked) = %v; want %v", err, jwt.ErrRevoked)
	}
}

// failingList is a RevocationList that cannot be reached.
type failingList struct{}

func (failingList) Revoke(context.Context, string, time.Time) error { return core.ErrUnavailable }
func (failingList) Revoked(context.Context, string) (bool, error)   { return false, core.ErrUnavailable }

// switchList fails once broken is set.
type switchList struct {
	jwt.RevocationList
	mu     sync.Mutex
	broken bool
}

func (l *switchList) Revoked(ctx context.Context, jti string) (bool, error) {
	l.mu.Lock()
	broken := l.broken
	l.mu.Unlock()
	if broken {
		return failingList{}.Revoked(ctx, jti)
	}
	return l.RevocationList.Revoked(ctx, jti)
}

func TestCacheHitStillReportsAFailingRevocationList(t *testing.T) {
	list := &switchList{RevocationList: jwt.NewMemoryRevocationList()}
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{Revocations: list, CacheSize: 10})
	tok := mustToken(t, s, "alice")
	if _, err := s.Verify(tok); err != nil {
		t.Fatal(err)
	}
	list.mu.Lock()
	list.broken = true
	list.mu.Unlock()
	_, err := s.Authenticate(bearer(tok))
	if !errors.Is(err, core.ErrUnavailable) || errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate(cached) with the list down = %v; want ErrUnavailable, not invalid", err)
	}
}

func TestCachedClaimsCannotBeChangedByTheCaller(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{CacheSize: 10})
	tok := mustToken(t, s, "alice")
	c, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	c.Audience[0] = "changed"
	again, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if again.Audience[0] != jwt.DefaultAudience {
		t.Errorf("Verify(cached).Audience = %q; want %q", again.Audience, jwt.DefaultAudience)
	}
}

func TestCacheSizeBoundHoldsUnderConcurrency(t *testing.T) {
	for _, size := range []int{1, 2, 7, 8} {
		t.Run(fmt.Sprintf("a cache of %d tokens never holds more", size), func(t *testing.T) {
			s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{CacheSize: size})
			tokens := make([]string, 40)
			for i := range tokens {
				tokens[i] = mustToken(t, s, fmt.Sprintf("user-%d", i))
			}
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for g := 0; g < 8; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 300; i++ {
						j := (i*7 + g*13) % len(tokens)
						if i%3 == 0 {
							j %= 4 // a few hot tokens
						}
						id, err := s.Authenticate(bearer(tokens[j]))
						if err != nil || id.UserID != fmt.Sprintf("user-%d", j) {
							errs <- fmt.Errorf("Authenticate(tokens[%d]) = %q, %v; want user-%d", j, id.UserID, err, j)
							return
						}
						if n := jwt.CacheLen(s); n > size {
							errs <- fmt.Errorf("CacheLen = %d; want at most %d", n, size)
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

func TestNewRefusesANegativeCacheSize(t *testing.T) {
	if _, err := jwt.New([][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{CacheSize: -1}); err == nil {
		t.Error("New(CacheSize: -1) = nil error; want an error")
	}
}
