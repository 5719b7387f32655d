// Package jwttest checks a jwt.RefreshStore implementation against the
// behaviour jwt.Strategy relies on: rotation, reuse detection that revokes the
// family, revocation, family expiry, and exactly one winner among concurrent
// refreshes of one token. Store implementations call TestRefreshStore from their
// tests; it drives the store through a real jwt.Strategy.
package jwttest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt"
)

// Concurrency is how many goroutines race to refresh one token.
const Concurrency = 50

// TestRefreshStore runs the conformance tests. newStore is called once per
// subtest and must return an empty store, or one whose other contents cannot
// interfere (tests use random user IDs).
//
// A store that also implements Cleaner is checked to delete expired
// families and nothing else; one that does not (its backend expires
// entries by itself) skips that case. jwt.MemoryStore, and a store that
// implements InProcess, may ignore a cancelled context; any other must fail every call given one
// with an error wrapping core.ErrUnavailable.
func TestRefreshStore(t *testing.T, newStore func(t *testing.T) jwt.RefreshStore) {
	for _, tc := range []struct {
		name string
		f    func(t *testing.T, e *env)
	}{
		{"a refresh token rotates into a new pair and is spent", testRotation},
		{"rotation keeps the family, user and expiry", testRotationKeepsFamily},
		{"reusing a spent token revokes the whole family", testReuse},
		{"revoke ends the family", testRevoke},
		{"revoking with an old token of the family ends it too", testRevokeOld},
		{"revoking a user ends all their families and no one else's", testRevokeUser},
		{"a family expires at its lifetime however often it rotates", testFamilyExpiry},
		{"an unknown refresh token is refused", testUnknown},
		{"an access token presented to Refresh is refused", testAccessToRefresh},
		{"malformed refresh tokens cost no store query", testMalformed},
		{"concurrent refreshes of one token have exactly one winner", testConcurrentRefresh},
		{"a refresh racing a revocation never leaves a live token", testRefreshRacingRevoke},
		{"the store reports unknown hashes and refuses duplicates", testStoreContract},
		{"cleanup deletes expired families only", testCleanup},
		{"a cancelled context is unavailable, never a credential error", testCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f(t, newEnv(t, newStore(t)))
		})
	}
}

// Cleaner is implemented by stores that delete expired tokens on request,
// returning how many they deleted.
type Cleaner interface {
	Cleanup(ctx context.Context, now time.Time) (int64, error)
}

// InProcess is implemented by stores that do no I/O and may therefore
// ignore a cancelled context. jwt.MemoryStore is known to be one.
type InProcess interface {
	InProcess() bool
}

// env is a Strategy over the store under test, with a fake clock and
// recorded events.
type env struct {
	s     *jwt.Strategy
	store jwt.RefreshStore
	user  string

	mu     sync.Mutex
	now    time.Time
	events []core.Event
}

const lifetime = 24 * time.Hour

func newEnv(t *testing.T, store jwt.RefreshStore) *env {
	e := &env{store: store, user: "user-" + random(t), now: time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	s, err := jwt.New([][]byte{key}, store, jwt.Options{
		RefreshLifetime: lifetime,
		Now: func() time.Time {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.now
		},
		Events: func(_ context.Context, ev core.Event) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.events = append(e.events, ev)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.s = s
	return e
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *env) count(typ core.EventType) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, ev := range e.events {
		if ev.Type == typ {
			n++
		}
	}
	return n
}

func (e *env) issue(t *testing.T) jwt.Pair {
	t.Helper()
	p, err := e.s.Issue(t.Context(), e.user)
	if err != nil {
		t.Fatalf("Issue(%q) = %v", e.user, err)
	}
	return p
}

func (e *env) refresh(t *testing.T, tok string) jwt.Pair {
	t.Helper()
	p, err := e.s.Refresh(t.Context(), tok)
	if err != nil {
		t.Fatalf("Refresh = %v; want a new pair", err)
	}
	return p
}

// refused checks that Refresh(tok) fails with an invalid credential and want.
func (e *env) refused(t *testing.T, tok string, want error) {
	t.Helper()
	p, err := e.s.Refresh(t.Context(), tok)
	if !errors.Is(err, core.ErrInvalidCredential) || !errors.Is(err, want) || p != (jwt.Pair{}) {
		t.Errorf("Refresh = (pair issued: %v), %v; want %v and %v", p != (jwt.Pair{}), err, core.ErrInvalidCredential, want)
	}
}

func random(t *testing.T) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// randomRefresh returns a well-formed refresh token that was never issued.
func randomRefresh(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func testRotation(t *testing.T, e *env) {
	p1 := e.issue(t)
	if len(p1.RefreshToken) != 43 || p1.ExpiresIn != jwt.DefaultLifetime {
		t.Errorf("Issue = refresh token of %d chars, ExpiresIn %v; want 43, %v", len(p1.RefreshToken), p1.ExpiresIn, jwt.DefaultLifetime)
	}
	e.advance(time.Minute)
	p2 := e.refresh(t, p1.RefreshToken)
	if p2.RefreshToken == p1.RefreshToken || p2.AccessToken == p1.AccessToken {
		t.Errorf("Refresh returned the same tokens")
	}
	c, err := e.s.Verify(p2.AccessToken)
	if err != nil || c.Subject != e.user {
		t.Errorf("Verify(refreshed access token) = %+v, %v; want subject %q", c, err, e.user)
	}
	p3 := e.refresh(t, p2.RefreshToken)
	if p3.RefreshToken == p2.RefreshToken {
		t.Errorf("second Refresh returned the same refresh token")
	}
	if n := e.count(core.EventRefresh); n != 2 {
		t.Errorf("%d refresh events; want 2", n)
	}
}

func testRotationKeepsFamily(t *testing.T, e *env) {
	p1 := e.issue(t)
	first, err := e.store.Find(t.Context(), jwt.HashToken(p1.RefreshToken))
	if err != nil {
		t.Fatalf("Find(issued) = %v", err)
	}
	if first.UserID != e.user || first.Used() || first.Revoked || first.Family == "" ||
		!first.ExpiresAt.Equal(first.IssuedAt.Add(lifetime)) {
		t.Errorf("Find(issued) = %+v; want unused, unrevoked, user %q, family, expiry = issue + %v", first, e.user, lifetime)
	}
	e.advance(time.Hour)
	p2 := e.refresh(t, p1.RefreshToken)
	spent, err := e.store.Find(t.Context(), jwt.HashToken(p1.RefreshToken))
	if err != nil || !spent.Used() {
		t.Errorf("Find(spent) = %+v, %v; want used", spent, err)
	}
	next, err := e.store.Find(t.Context(), jwt.HashToken(p2.RefreshToken))
	if err != nil {
		t.Fatalf("Find(successor) = %v", err)
	}
	if next.Family != first.Family || next.UserID != e.user || !next.ExpiresAt.Equal(first.ExpiresAt) || next.Used() ||
		!next.IssuedAt.Equal(first.IssuedAt.Add(time.Hour)) {
		t.Errorf("successor = %+v; want family %q, user %q, expiry %v, issued an hour after %v, unused",
			next, first.Family, e.user, first.ExpiresAt, first.IssuedAt)
	}
}

func testReuse(t *testing.T, e *env) {
	p1 := e.issue(t)
	p2 := e.refresh(t, p1.RefreshToken)
	e.refused(t, p1.RefreshToken, jwt.ErrReused)
	if n := e.count(core.EventRefreshReuse); n != 1 {
		t.Errorf("%d reuse events; want 1", n)
	}
	// The newest token, whoever holds it, is dead too.
	e.refused(t, p2.RefreshToken, jwt.ErrRevoked)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.events {
		if ev.Type == core.EventRefreshReuse && (ev.UserID != e.user || ev.Ref == "" || ev.Strategy != "jwt") {
			t.Errorf("reuse event = %+v; want user %q, a Ref, strategy jwt", ev, e.user)
		}
		for _, f := range []string{ev.Ref, ev.Reason, ev.UserID} {
			if f == p1.RefreshToken || f == p2.RefreshToken {
				t.Errorf("event %+v carries a refresh token", ev)
			}
		}
	}
}

func testRevoke(t *testing.T, e *env) {
	p1 := e.issue(t)
	p2 := e.refresh(t, p1.RefreshToken)
	if err := e.s.Revoke(t.Context(), p2.RefreshToken); err != nil {
		t.Fatalf("Revoke = %v", err)
	}
	e.refused(t, p2.RefreshToken, jwt.ErrRevoked)
	if err := e.s.Revoke(t.Context(), p2.RefreshToken); err != nil {
		t.Errorf("Revoke(already revoked) = %v; want nil", err)
	}
	other := e.issue(t)
	e.refresh(t, other.RefreshToken) // another family of the same user lives on
}

func testRevokeOld(t *testing.T, e *env) {
	p1 := e.issue(t)
	p2 := e.refresh(t, p1.RefreshToken)
	if err := e.s.Revoke(t.Context(), p1.RefreshToken); err != nil {
		t.Fatalf("Revoke(spent token) = %v", err)
	}
	e.refused(t, p2.RefreshToken, jwt.ErrRevoked)
}

func testRevokeUser(t *testing.T, e *env) {
	a, b := e.issue(t), e.issue(t)
	bystander, err := e.s.Issue(t.Context(), e.user+"-other")
	if err != nil {
		t.Fatal(err)
	}
	a2 := e.refresh(t, a.RefreshToken)
	if err := e.s.RevokeUser(t.Context(), e.user); err != nil {
		t.Fatalf("RevokeUser = %v", err)
	}
	e.refused(t, a2.RefreshToken, jwt.ErrRevoked)
	e.refused(t, b.RefreshToken, jwt.ErrRevoked)
	e.refresh(t, bystander.RefreshToken)
}

func testFamilyExpiry(t *testing.T, e *env) {
	p := e.issue(t)
	for range 3 {
		e.advance(lifetime / 4)
		p = e.refresh(t, p.RefreshToken)
	}
	e.advance(lifetime/4 - time.Second)
	p = e.refresh(t, p.RefreshToken) // one second before the family's end
	e.advance(time.Second)
	e.refused(t, p.RefreshToken, jwt.ErrExpired)
}

func testUnknown(t *testing.T, e *env) {
	e.issue(t)
	e.refused(t, randomRefresh(t), jwt.ErrNotFound)
	if err := e.s.Revoke(t.Context(), randomRefresh(t)); !errors.Is(err, core.ErrInvalidCredential) || !errors.Is(err, jwt.ErrNotFound) {
		t.Errorf("Revoke(unknown) = %v; want %v", err, jwt.ErrNotFound)
	}
}

func testAccessToRefresh(t *testing.T, e *env) {
	p := e.issue(t)
	e.refused(t, p.AccessToken, jwt.ErrMalformed)
	if err := e.s.Revoke(t.Context(), p.AccessToken); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Revoke(access token) = %v; want %v", err, core.ErrInvalidCredential)
	}
	e.refresh(t, p.RefreshToken) // untouched by the attempts
}

func testMalformed(t *testing.T, e *env) {
	p := e.issue(t)
	for _, tok := range []string{
		"",
		p.RefreshToken[:42],
		p.RefreshToken + "A",
		p.RefreshToken[:42] + "=",
		p.RefreshToken[:42] + "+",
		strings.Repeat("A", 42) + "B", // non-zero padding bits
		strings.Repeat("A", 42) + ".",
	} {
		e.refused(t, tok, jwt.ErrMalformed)
	}
	e.refresh(t, p.RefreshToken)
}

func testConcurrentRefresh(t *testing.T, e *env) {
	p := e.issue(t)
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		mu      sync.Mutex
		winners []jwt.Pair
		errs    []error
	)
	for range Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			np, err := e.s.Refresh(context.Background(), p.RefreshToken)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				winners = append(winners, np)
			} else {
				errs = append(errs, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("%d of %d concurrent refreshes succeeded; want exactly 1", len(winners), Concurrency)
	}
	for _, err := range errs {
		if !errors.Is(err, jwt.ErrReused) && !errors.Is(err, jwt.ErrRevoked) || !errors.Is(err, core.ErrInvalidCredential) {
			t.Errorf("losing Refresh = %v; want %v (or %v once the family is revoked)", err, jwt.ErrReused, jwt.ErrRevoked)
		}
	}
	// The losers presented a spent token: the family, including the
	// winner's new token, is revoked.
	e.refused(t, winners[0].RefreshToken, jwt.ErrRevoked)
}

func testRefreshRacingRevoke(t *testing.T, e *env) {
	for range 10 {
		p := e.issue(t)
		var (
			wg     sync.WaitGroup
			np     jwt.Pair
			rerr   error
			revErr error
		)
		wg.Add(2)
		go func() { defer wg.Done(); np, rerr = e.s.Refresh(context.Background(), p.RefreshToken) }()
		go func() { defer wg.Done(); revErr = e.s.Revoke(context.Background(), p.RefreshToken) }()
		wg.Wait()
		if revErr != nil {
			t.Fatalf("Revoke = %v", revErr)
		}
		if rerr == nil {
			e.refused(t, np.RefreshToken, jwt.ErrRevoked)
		} else if !errors.Is(rerr, jwt.ErrRevoked) {
			t.Errorf("Refresh racing Revoke = %v; want success or %v", rerr, jwt.ErrRevoked)
		}
	}
}

func testStoreContract(t *testing.T, e *env) {
	ctx := t.Context()
	h := jwt.HashToken(random(t))
	if _, err := e.store.Find(ctx, h); !errors.Is(err, jwt.ErrNotFound) {
		t.Errorf("Find(unknown) = %v; want %v", err, jwt.ErrNotFound)
	}
	if _, err := e.store.Rotate(ctx, h, jwt.HashToken(random(t)), e.now); !errors.Is(err, jwt.ErrNotFound) {
		t.Errorf("Rotate(unknown) = %v; want %v", err, jwt.ErrNotFound)
	}
	tok := jwt.RefreshToken{Hash: h, Family: random(t), UserID: e.user, IssuedAt: e.now, ExpiresAt: e.now.Add(time.Hour)}
	if err := e.store.Create(ctx, tok); err != nil {
		t.Fatalf("Create = %v", err)
	}
	if err := e.store.Create(ctx, tok); err == nil {
		t.Errorf("Create(duplicate hash) = nil; want an error")
	}
	got, err := e.store.Find(ctx, h)
	if err != nil || got.Hash != h || got.Family != tok.Family || got.UserID != e.user ||
		!got.IssuedAt.Equal(tok.IssuedAt) || !got.ExpiresAt.Equal(tok.ExpiresAt) || got.Used() || got.Revoked {
		t.Errorf("Find = %+v, %v; want %+v", got, err, tok)
	}
	if err := e.store.RevokeFamily(ctx, "no-such-family"); err != nil {
		t.Errorf("RevokeFamily(unknown) = %v; want nil", err)
	}
}

func testCleanup(t *testing.T, e *env) {
	c, ok := e.store.(Cleaner)
	if !ok {
		t.Skip("the store's backend expires tokens by itself")
	}
	ctx := t.Context()
	now := e.now.Add(1000 * lifetime) // later than anything other cases made
	mk := func(exp time.Time, used, revoked bool) jwt.Hash {
		h := jwt.HashToken(random(t))
		tok := jwt.RefreshToken{Hash: h, Family: random(t), UserID: e.user, IssuedAt: exp.Add(-lifetime), ExpiresAt: exp, Revoked: revoked}
		if used {
			tok.UsedAt = tok.IssuedAt.Add(time.Minute)
		}
		if err := e.store.Create(ctx, tok); err != nil {
			t.Fatalf("Create = %v", err)
		}
		return h
	}
	expired := mk(now.Add(-time.Second), false, false)
	atNow := mk(now, true, false)
	live := mk(now.Add(time.Microsecond), true, true)
	n, err := c.Cleanup(ctx, now)
	if err != nil || n < 2 {
		t.Errorf("Cleanup = %d, %v; want at least 2, nil", n, err)
	}
	for _, h := range []jwt.Hash{expired, atNow} {
		if _, err := e.store.Find(ctx, h); !errors.Is(err, jwt.ErrNotFound) {
			t.Errorf("Find(cleaned up) = %v; want %v", err, jwt.ErrNotFound)
		}
	}
	got, err := e.store.Find(ctx, live)
	if err != nil || !got.Revoked || !got.Used() || !got.ExpiresAt.Equal(now.Add(time.Microsecond)) {
		t.Errorf("Find(live) = %+v, %v; want the used, revoked token expiring at %v", got, err, now.Add(time.Microsecond))
	}
}

func testCancelled(t *testing.T, e *env) {
	p, other := e.issue(t), e.issue(t)
	h := jwt.HashToken(other.RefreshToken)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, inProcess := e.store.(*jwt.MemoryStore)
	if ip, ok := e.store.(InProcess); ok {
		inProcess = ip.InProcess()
	}
	next := jwt.HashToken(random(t))
	calls := map[string]error{}
	_, calls["Find"] = e.store.Find(ctx, h)
	_, calls["Rotate"] = e.store.Rotate(ctx, h, next, e.now)
	calls["Create"] = e.store.Create(ctx, jwt.RefreshToken{Hash: jwt.HashToken(random(t)), Family: random(t), UserID: e.user, IssuedAt: e.now, ExpiresAt: e.now.Add(time.Hour)})
	calls["RevokeFamily"] = e.store.RevokeFamily(ctx, "f-"+random(t))
	calls["RevokeUser"] = e.store.RevokeUser(ctx, "nobody-"+random(t))
	_, calls["Refresh"] = e.s.Refresh(ctx, p.RefreshToken)
	for op, err := range calls {
		switch {
		case err == nil && inProcess:
		case errors.Is(err, core.ErrInvalidCredential) || errors.Is(err, jwt.ErrNotFound):
			t.Errorf("%s(cancelled context) = %v; a cancelled request must not look like a bad token", op, err)
		case !errors.Is(err, core.ErrUnavailable):
			t.Errorf("%s(cancelled context) = %v; want %v", op, err, core.ErrUnavailable)
		}
	}
	if !inProcess {
		// Nothing was spent: both tokens still rotate.
		e.refresh(t, p.RefreshToken)
		e.refresh(t, other.RefreshToken)
	}
}
