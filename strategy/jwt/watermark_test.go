package jwt_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/jwttest"
)

// countingWatermarks is a WatermarkStore that counts its reads and can be
// made to fail like an unreachable backend.
type countingWatermarks struct {
	*jwt.MemoryWatermarks
	reads atomic.Int64
	down  atomic.Bool
}

func (c *countingWatermarks) Raise(ctx context.Context, subject string, at, until time.Time) error {
	if c.down.Load() {
		return fmt.Errorf("test store: %w", core.ErrUnavailable)
	}
	return c.MemoryWatermarks.Raise(ctx, subject, at, until)
}

func (c *countingWatermarks) Watermarks(ctx context.Context, subjects []string) ([]time.Time, error) {
	c.reads.Add(1)
	if c.down.Load() {
		return nil, fmt.Errorf("test store: %w", core.ErrUnavailable)
	}
	return c.MemoryWatermarks.Watermarks(ctx, subjects)
}

// servers are two Strategies sharing a refresh store and a watermark store,
// as two processes behind a load balancer would, with one clock.
type servers struct {
	a, b  *jwt.Strategy
	wm    *countingWatermarks
	clock *coretest.Clock
}

const ttl = 10 * time.Second

func newServers(t *testing.T, opts jwt.Options) servers {
	t.Helper()
	sv := servers{wm: &countingWatermarks{MemoryWatermarks: jwt.NewMemoryWatermarks()}, clock: coretest.NewClock(epoch)}
	sv.wm.Now = sv.clock.Now
	store := jwt.NewMemoryStore()
	opts.Watermarks, opts.WatermarkTTL, opts.Now = sv.wm, ttl, sv.clock.Now
	opts.Events = (&coretest.Events{}).Record
	for _, s := range []**jwt.Strategy{&sv.a, &sv.b} {
		var err error
		if *s, err = jwt.New([][]byte{key1}, store, opts); err != nil {
			t.Fatal(err)
		}
	}
	return sv
}

func issue(t *testing.T, s *jwt.Strategy, user string) jwt.Pair {
	t.Helper()
	p, err := s.Issue(t.Context(), user)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func accepted(t *testing.T, s *jwt.Strategy, tok string) bool {
	t.Helper()
	_, err := s.Authenticate(bearer(tok))
	if err != nil && (!errors.Is(err, core.ErrInvalidCredential) || !errors.Is(err, jwt.ErrRevoked)) {
		t.Fatalf("Authenticate = %v; want nil or %v", err, jwt.ErrRevoked)
	}
	return err == nil
}

func TestAccessTokensNameTheirFamily(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	p := issue(t, s, "alice")
	c1, err := s.Verify(p.AccessToken)
	if err != nil || c1.Session == "" {
		t.Fatalf("Verify(issued) = %+v, %v; want a sid", c1, err)
	}
	p2, err := s.Refresh(t.Context(), p.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if c2, err := s.Verify(p2.AccessToken); err != nil || c2.Session != c1.Session {
		t.Errorf("Verify(refreshed) sid = %q, %v; want the family's %q", c2.Session, err, c1.Session)
	}
	if c3, err := s.Verify(issue(t, s, "alice").AccessToken); err != nil || c3.Session == c1.Session {
		t.Errorf("a second login has sid %q; want a new family", c3.Session)
	}
	if c, err := s.Verify(mustToken(t, s, "alice")); err != nil || c.Session != "" {
		t.Errorf("AccessToken outside a family has sid %q; want none", c.Session)
	}
	if _, err := s.Verify(minted{claims: with("sid", 7)}.token(t)); !errors.Is(err, jwt.ErrClaims) {
		t.Errorf("Verify(sid not a string) = %v; want %v", err, jwt.ErrClaims)
	}
	if c, err := s.Verify(minted{claims: with("sid", "fam")}.token(t)); err != nil || c.Session != "fam" {
		t.Errorf("Verify(token minted elsewhere with a sid) = %+v, %v", c, err)
	}
}

func TestWithoutWatermarksRevocationLeavesAccessTokensValid(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	p := issue(t, s, "alice")
	if err := s.RevokeUser(t.Context(), "alice"); err != nil {
		t.Fatal(err)
	}
	if !accepted(t, s, p.AccessToken) {
		t.Errorf("without Watermarks an access token was refused after RevokeUser; want today's behaviour (valid until exp)")
	}
}

func TestWatermarks(t *testing.T) {
	t.Run("log out everywhere ends the user's access tokens at once on the server that did it", func(t *testing.T) {
		sv := newServers(t, jwt.Options{})
		p, q := issue(t, sv.a, "alice"), issue(t, sv.a, "alice")
		plain, _, _ := sv.a.AccessToken("alice")
		bob := issue(t, sv.a, "bob")
		for _, tok := range []string{p.AccessToken, q.AccessToken, plain, bob.AccessToken} {
			if !accepted(t, sv.a, tok) {
				t.Fatalf("refused before any revocation")
			}
		}
		sv.clock.Advance(1500 * time.Millisecond)
		if err := sv.a.RevokeUser(t.Context(), "alice"); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{p.AccessToken, q.AccessToken, plain} {
			if accepted(t, sv.a, tok) {
				t.Errorf("an access token of alice was accepted after log out everywhere")
			}
		}
		if !accepted(t, sv.a, bob.AccessToken) {
			t.Errorf("bob's access token was refused after alice logged out everywhere")
		}
		if _, err := sv.a.Refresh(t.Context(), p.RefreshToken); !errors.Is(err, jwt.ErrRevoked) {
			t.Errorf("Refresh after log out everywhere = %v; want %v", err, jwt.ErrRevoked)
		}
	})
	t.Run("a second log out everywhere within a second ends the tokens minted since the first", func(t *testing.T) {
		// Tokens minted just after a watermark carry the next second as
		// their iat: a raise in the same second must reach them.
		sv := newServers(t, jwt.Options{})
		sv.clock.Advance(100 * time.Millisecond)
		if err := sv.a.RevokeUser(t.Context(), "bob"); err != nil {
			t.Fatal(err)
		}
		sv.clock.Advance(100 * time.Millisecond)
		p := issue(t, sv.a, "bob")
		if !accepted(t, sv.a, p.AccessToken) {
			t.Fatal("a token issued after log out everywhere was refused")
		}
		sv.clock.Advance(100 * time.Millisecond)
		if err := sv.a.RevokeUser(t.Context(), "bob"); err != nil {
			t.Fatal(err)
		}
		if accepted(t, sv.a, p.AccessToken) {
			t.Errorf("a token issued between two log outs everywhere in one second was accepted after the second")
		}
		if accepted(t, sv.b, p.AccessToken) {
			t.Errorf("the other server accepted it after the second log out everywhere")
		}
		sv.clock.Advance(100 * time.Millisecond)
		if q := issue(t, sv.a, "bob"); !accepted(t, sv.a, q.AccessToken) {
			t.Errorf("a token issued after the second log out everywhere was refused")
		}
	})
	t.Run("another server refuses the tokens within the TTL", func(t *testing.T) {
		sv := newServers(t, jwt.Options{})
		p := issue(t, sv.a, "alice")
		if !accepted(t, sv.b, p.AccessToken) { // b has read alice's (absent) watermark
			t.Fatal("refused before any revocation")
		}
		sv.clock.Advance(time.Second)
		if err := sv.a.RevokeUser(t.Context(), "alice"); err != nil {
			t.Fatal(err)
		}
		sv.clock.Advance(ttl)
		if accepted(t, sv.b, p.AccessToken) {
			t.Errorf("the other server accepted a revoked token after the TTL")
		}
	})
	t.Run("revoking one family ends that family's access tokens only", func(t *testing.T) {
		sv := newServers(t, jwt.Options{})
		p, other := issue(t, sv.a, "alice"), issue(t, sv.a, "alice")
		sv.clock.Advance(time.Second)
		if err := sv.a.Revoke(t.Context(), p.RefreshToken); err != nil {
			t.Fatal(err)
		}
		if accepted(t, sv.a, p.AccessToken) {
			t.Errorf("the revoked family's access token was accepted")
		}
		if !accepted(t, sv.a, other.AccessToken) {
			t.Errorf("another family's access token was refused")
		}
		c, _ := sv.a.Verify(other.AccessToken)
		if err := sv.a.RevokeSession(t.Context(), c.Session); err != nil {
			t.Fatal(err)
		}
		if accepted(t, sv.a, other.AccessToken) {
			t.Errorf("an access token was accepted after RevokeSession of its sid")
		}
	})
	t.Run("detected reuse ends the family's access tokens", func(t *testing.T) {
		sv := newServers(t, jwt.Options{})
		p := issue(t, sv.a, "alice")
		p2, err := sv.a.Refresh(t.Context(), p.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sv.a.Refresh(t.Context(), p.RefreshToken); !errors.Is(err, jwt.ErrReused) {
			t.Fatalf("reuse = %v", err)
		}
		if accepted(t, sv.a, p2.AccessToken) {
			t.Errorf("the newest access token of a family revoked for reuse was accepted")
		}
	})
	t.Run("a login right after log out everywhere works at once", func(t *testing.T) {
		sv := newServers(t, jwt.Options{})
		issue(t, sv.a, "alice")
		sv.clock.Advance(300 * time.Millisecond)
		if err := sv.a.RevokeUser(t.Context(), "alice"); err != nil {
			t.Fatal(err)
		}
		sv.clock.Advance(100 * time.Millisecond) // the same second
		p := issue(t, sv.a, "alice")
		if !accepted(t, sv.a, p.AccessToken) || !accepted(t, sv.b, p.AccessToken) {
			t.Errorf("a token issued after log out everywhere, in the same second, was refused")
		}
	})
	t.Run("the store is read once per TTL per user and family, not per request", func(t *testing.T) {
		sv := newServers(t, jwt.Options{})
		p := issue(t, sv.a, "alice")
		before := sv.wm.reads.Load()
		for range 1000 {
			if !accepted(t, sv.a, p.AccessToken) {
				t.Fatal("refused")
			}
		}
		if n := sv.wm.reads.Load() - before; n > 1 {
			t.Errorf("%d store reads for 1000 verifications within the TTL; want at most 1", n)
		}
		sv.clock.Advance(ttl)
		accepted(t, sv.a, p.AccessToken)
		if n := sv.wm.reads.Load() - before; n > 2 {
			t.Errorf("%d store reads after the TTL passed once; want at most 2", n)
		}
	})
	t.Run("an outage of the watermark store is unavailable, never an accepted token", func(t *testing.T) {
		for _, cacheSize := range []int{0, 100} {
			sv := newServers(t, jwt.Options{CacheSize: cacheSize})
			p := issue(t, sv.a, "alice")
			accepted(t, sv.a, p.AccessToken)
			sv.wm.down.Store(true)
			sv.clock.Advance(ttl)
			for _, s := range []*jwt.Strategy{sv.a, sv.b} {
				id, err := s.Authenticate(bearer(p.AccessToken))
				if !errors.Is(err, core.ErrUnavailable) || errors.Is(err, core.ErrInvalidCredential) || core.Status(err) != http.StatusServiceUnavailable || id.UserID != "" {
					t.Errorf("cache %d: Authenticate with the store down = %+v, %v; want %v (503)", cacheSize, id, err, core.ErrUnavailable)
				}
			}
			if err := sv.a.RevokeUser(t.Context(), "alice"); !errors.Is(err, core.ErrUnavailable) {
				t.Errorf("RevokeUser with the store down = %v; want %v", err, core.ErrUnavailable)
			}
		}
	})
	t.Run("the token cache does not bypass the watermark", func(t *testing.T) {
		sv := newServers(t, jwt.Options{CacheSize: 100})
		p := issue(t, sv.a, "alice")
		accepted(t, sv.a, p.AccessToken)
		accepted(t, sv.a, p.AccessToken) // now cached
		sv.clock.Advance(time.Second)
		if err := sv.a.RevokeUser(t.Context(), "alice"); err != nil {
			t.Fatal(err)
		}
		if accepted(t, sv.a, p.AccessToken) {
			t.Errorf("a cached access token was accepted after log out everywhere")
		}
	})
	t.Run("verification under concurrent revocation is race-free", func(t *testing.T) {
		sv := newServers(t, jwt.Options{CacheSize: 10})
		p := issue(t, sv.a, "alice")
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					if i == 0 {
						_ = sv.a.RevokeUser(context.Background(), "alice")
					}
					_, _ = sv.a.Verify(p.AccessToken)
				}
			}()
		}
		wg.Wait()
	})
}

func TestNewRefusesBadWatermarkAndGraceOptions(t *testing.T) {
	for name, opts := range map[string]jwt.Options{
		"a negative WatermarkTTL":    {WatermarkTTL: -time.Second},
		"a WatermarkTTL too long":    {WatermarkTTL: jwt.MaxWatermarkTTL + time.Second},
		"a negative ReuseGrace":      {ReuseGrace: -time.Second},
		"a ReuseGrace over a minute": {ReuseGrace: jwt.MaxReuseGrace + time.Second},
	} {
		if _, err := jwt.New([][]byte{key1}, jwt.NewMemoryStore(), opts); err == nil {
			t.Errorf("New with %s = nil error", name)
		}
	}
}

func TestMemoryWatermarks(t *testing.T) {
	jwttest.TestWatermarkStore(t, func(*testing.T) jwt.WatermarkStore { return jwt.NewMemoryWatermarks() })
}
