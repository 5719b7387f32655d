// Package jwttest checks a jwt.RefreshStore implementation against the
// behaviour jwt.Strategy relies on: rotation, reuse detection of any earlier
// token that revokes the family, revocation, family expiry, constant storage
// per family, tokens hashed at rest, the reuse grace window, and exactly one
// winner among concurrent strict refreshes of one token, what a login
// records (method, auth time, attributes up to core.MaxAttributesSize)
// stored and carried by every access token of the family, and
// Options.RefreshAttributes; and a
// jwt.WatermarkStore implementation (TestWatermarkStore). Store implementations call TestRefreshStore from their
// tests; it drives the store through a real jwt.Strategy.
package jwttest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// TestRefreshStore runs the conformance tests. newStore is called once per
// subtest and must return an empty store, or one whose other contents cannot
// interfere (tests use random user IDs).
//
// backend shows what the store keeps: it returns every record the store
// holds for the families of the user IDs given (one string per row or key,
// with all its values as the backend stores them). It lets the kit check
// that refresh tokens are kept hashed, never as issued, and that a family's
// storage stays constant however often it rotates.
//
// A store that also implements Cleaner is checked to delete expired
// families and nothing else; one that does not (its backend expires
// entries by itself) skips that case. jwt.MemoryStore, and a store that
// implements InProcess, may ignore a cancelled context; any other must fail
// every call given one with an error wrapping core.ErrUnavailable.
func TestRefreshStore(t *testing.T, newStore func(t *testing.T) jwt.RefreshStore, backend Backend) {
	for _, tc := range []struct {
		name string
		f    func(t *testing.T, e *env)
	}{
		{"a refresh token rotates into a new pair and is spent", testRotation},
		{"rotation keeps the family, user and expiry", testRotationKeepsFamily},
		{"reusing a spent token revokes the whole family", testReuse},
		{"reuse of the first, a middle and the last-spent token of a long chain is detected", testReuseAnyEarlier},
		{"500 rotations in a row work and leave the storage of the family constant", testConstantStorage},
		{"refresh tokens are kept hashed, never as issued", testHashedAtRest},
		{"revoke ends the family", testRevoke},
		{"revoking with an old token of the family ends it too", testRevokeOld},
		{"revoking a user ends all their families and no one else's", testRevokeUser},
		{"a family expires at its lifetime however often it rotates", testFamilyExpiry},
		{"an unknown refresh token is refused", testUnknown},
		{"a forged refresh token is refused without revoking the family", testForged},
		{"an access token presented to Refresh is refused", testAccessToRefresh},
		{"malformed refresh tokens cost no store query", testMalformed},
		{"concurrent refreshes of one token have exactly one winner when strict", testConcurrentRefresh},
		{"within the grace window the token just spent yields the same refresh token and the family lives on", testGrace},
		{"after the grace window reuse revokes the family", testGraceOver},
		{"the grace window forgives only the token spent last", testGraceOnlyLast},
		{"concurrent refreshes within the grace window all succeed with one refresh token", testConcurrentRefreshGrace},
		{"a refresh racing a revocation never leaves a live token", testRefreshRacingRevoke},
		{"the store follows the rotation contract", testStoreContract},
		{"cleanup deletes expired families only", testCleanup},
		{"a cancelled context is unavailable, never a credential error", testCancelled},
		{"the login's method, auth time and attributes are stored and kept across rotations", testCarried},
		{"the largest attributes allowed round-trip through the store and the tokens", testLargestAttributes},
		{"RefreshAttributes re-derives the attributes at each refresh", testRefreshAttributes},
		{"a failing RefreshAttributes spends no refresh token", testRefreshAttributesFails},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, newStore(t), jwt.Options{})
			e.backend = backend
			tc.f(t, e)
		})
	}
}

// Backend returns every record a store keeps about the families of users
// (see TestRefreshStore).
type Backend func(t *testing.T, users ...string) []string

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
	s       *jwt.Strategy
	store   jwt.RefreshStore
	user    string
	key     []byte
	backend Backend

	mu     sync.Mutex
	now    time.Time
	events []core.Event
}

const lifetime = 24 * time.Hour

// grace is the ReuseGrace of the grace cases.
const grace = 10 * time.Second

func newEnv(t *testing.T, store jwt.RefreshStore, opts jwt.Options) *env {
	e := &env{store: store, user: "user-" + random(t), now: time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)}
	e.key = make([]byte, 32)
	if _, err := rand.Read(e.key); err != nil {
		t.Fatal(err)
	}
	e.s = e.strategy(t, opts)
	return e
}

// strategy returns another Strategy over e's store, key and clock.
func (e *env) strategy(t *testing.T, opts jwt.Options) *jwt.Strategy {
	opts.RefreshLifetime = lifetime
	opts.Now = func() time.Time {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.now
	}
	opts.Events = func(_ context.Context, ev core.Event) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.events = append(e.events, ev)
	}
	s, err := jwt.New([][]byte{e.key}, e.store, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withGrace switches e to a Strategy with a reuse grace window.
func (e *env) withGrace(t *testing.T) {
	e.s = e.strategy(t, jwt.Options{ReuseGrace: grace})
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

// family returns the stored family of pair p, found by its access token's
// sid claim.
func (e *env) family(t *testing.T, p jwt.Pair) jwt.Family {
	t.Helper()
	c, err := e.s.Verify(p.AccessToken)
	if err != nil {
		t.Fatalf("Verify(access token) = %v", err)
	}
	if c.Session == "" {
		t.Fatalf("access token has no sid claim")
	}
	f, err := e.store.Find(t.Context(), c.Session)
	if err != nil {
		t.Fatalf("Find(sid) = %v", err)
	}
	return f
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

// randomRefresh returns a well-formed refresh token of the earlier
// 43-character format that was never issued.
func randomRefresh(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func testRotation(t *testing.T, e *env) {
	p1 := e.issue(t)
	if len(p1.RefreshToken) != 76 || p1.ExpiresIn != jwt.DefaultLifetime {
		t.Errorf("Issue = refresh token of %d chars, ExpiresIn %v; want 76, %v", len(p1.RefreshToken), p1.ExpiresIn, jwt.DefaultLifetime)
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
	first := e.family(t, p1)
	if first.UserID != e.user || first.Revoked || first.Generation != 0 || first.Current != jwt.HashToken(p1.RefreshToken) ||
		!first.RotatedAt.IsZero() || first.Previous != (jwt.Hash{}) || !first.ExpiresAt.Equal(first.CreatedAt.Add(lifetime)) {
		t.Errorf("family after Issue = %+v; want generation 0, current = hash of the token, user %q, expiry = creation + %v", first, e.user, lifetime)
	}
	e.advance(time.Hour)
	p2 := e.refresh(t, p1.RefreshToken)
	next := e.family(t, p2)
	if next.ID != first.ID || next.UserID != e.user || !next.ExpiresAt.Equal(first.ExpiresAt) || !next.CreatedAt.Equal(first.CreatedAt) ||
		next.Generation != 1 || next.Current != jwt.HashToken(p2.RefreshToken) || next.Previous != jwt.HashToken(p1.RefreshToken) ||
		!next.RotatedAt.Equal(first.CreatedAt.Add(time.Hour)) || next.Revoked {
		t.Errorf("family after Refresh = %+v; want family %q, user %q, expiry %v, generation 1, current = the new token, previous = the spent one, rotated an hour after %v",
			next, first.ID, e.user, first.ExpiresAt, first.CreatedAt)
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

// chainLen is the length of the chains the reuse cases build.
const chainLen = 30

func testReuseAnyEarlier(t *testing.T, e *env) {
	for _, tc := range []struct {
		name string
		pick func(chain []jwt.Pair) string
	}{
		{"the first token", func(c []jwt.Pair) string { return c[0].RefreshToken }},
		{"a middle token", func(c []jwt.Pair) string { return c[len(c)/2].RefreshToken }},
		{"the last token spent", func(c []jwt.Pair) string { return c[len(c)-2].RefreshToken }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chain := []jwt.Pair{e.issue(t)}
			for range chainLen {
				e.advance(time.Second)
				chain = append(chain, e.refresh(t, chain[len(chain)-1].RefreshToken))
			}
			e.advance(time.Minute)
			e.refused(t, tc.pick(chain), jwt.ErrReused)
			newest := chain[len(chain)-1]
			e.refused(t, newest.RefreshToken, jwt.ErrRevoked)
			if f := e.family(t, newest); !f.Revoked {
				t.Errorf("family after reuse = %+v; want revoked", f)
			}
		})
	}
}

// Rotations is how many rotations testConstantStorage makes.
const Rotations = 500

func testConstantStorage(t *testing.T, e *env) {
	if e.backend == nil {
		t.Fatal("TestRefreshStore needs a Backend")
	}
	p := e.issue(t)
	e.advance(time.Second)
	p = e.refresh(t, p.RefreshToken)
	before := e.backend(t, e.user)
	if len(before) == 0 {
		t.Fatalf("the backend shows no record for a live family")
	}
	sizeBefore := 0
	for _, r := range before {
		sizeBefore += len(r)
	}
	for range Rotations {
		e.advance(time.Second)
		p = e.refresh(t, p.RefreshToken)
	}
	after := e.backend(t, e.user)
	sizeAfter := 0
	for _, r := range after {
		sizeAfter += len(r)
	}
	// Allow a few bytes for counters and timestamps growing a digit.
	if len(after) != len(before) || sizeAfter > sizeBefore+16 {
		t.Errorf("after %d more rotations the store keeps %d records (%d bytes); want %d records (%d bytes), as before",
			Rotations, len(after), sizeAfter, len(before), sizeBefore)
	}
	if f := e.family(t, p); f.Generation != Rotations+1 {
		t.Errorf("generation after %d rotations = %d", Rotations+1, f.Generation)
	}
}

func testHashedAtRest(t *testing.T, e *env) {
	if e.backend == nil {
		t.Fatal("TestRefreshStore needs a Backend")
	}
	p1 := e.issue(t)
	e.advance(time.Second)
	p2 := e.refresh(t, p1.RefreshToken)
	records := strings.Join(e.backend(t, e.user), "\n")
	lower := strings.ToLower(records)
	cur := jwt.HashToken(p2.RefreshToken)
	if !strings.Contains(lower, hex.EncodeToString(cur[:])) && !strings.Contains(records, string(cur[:])) {
		t.Errorf("the backend does not show the current token's SHA-256; the hook shows nothing useful, or the store keeps something else:\n%s", records)
	}
	for _, tok := range []string{p1.RefreshToken, p2.RefreshToken} {
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		secret := raw[1+16+8 : 1+16+8+16]
		for what, needle := range map[string]string{
			"the token":                    tok,
			"the token's first characters": tok[:24],
			"the token's characters (hex)": hex.EncodeToString([]byte(tok[:16])),
			"the token's bytes (hex)":      hex.EncodeToString(raw),
			"the token's secret (hex)":     hex.EncodeToString(secret),
			"the token's secret (base64)":  base64.RawURLEncoding.EncodeToString(secret)[:20],
			"the token's secret":           string(secret),
		} {
			if strings.Contains(records, needle) || strings.Contains(lower, strings.ToLower(needle)) {
				t.Errorf("the store keeps %s at rest:\n%s", what, records)
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
	// A genuine token of a family the store does not hold (a family
	// cleaned up, or another store): unknown too.
	other := newEnv(t, jwt.NewMemoryStore(), jwt.Options{})
	other.key = e.key
	other.s = other.strategy(t, jwt.Options{})
	e.refused(t, other.issue(t).RefreshToken, jwt.ErrNotFound)
}

func testForged(t *testing.T, e *env) {
	p1 := e.issue(t)
	p2 := e.refresh(t, p1.RefreshToken)
	// Another key, or a changed byte: the tag does not match.
	stranger := newEnv(t, e.store, jwt.Options{})
	for _, tok := range []string{
		stranger.issue(t).RefreshToken,
		flip(p1.RefreshToken, 10), // in the family ID
		flip(p1.RefreshToken, 30), // in the generation
		flip(p2.RefreshToken, 50), // in the secret
		flip(p2.RefreshToken, 70), // in the tag
	} {
		e.refused(t, tok, jwt.ErrNotFound)
	}
	if n := e.count(core.EventRefreshReuse); n != 0 {
		t.Errorf("%d reuse events for forged tokens; want 0", n)
	}
	e.refresh(t, p2.RefreshToken) // the family lives on
}

// flip changes the character at i of a base64url token to another one.
func flip(tok string, i int) string {
	c := byte('A')
	if tok[i] == 'A' {
		c = 'B'
	}
	return tok[:i] + string(c) + tok[i+1:]
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
		p.RefreshToken[:75],
		p.RefreshToken + "A",
		p.RefreshToken[:75] + "=",
		p.RefreshToken[:75] + "+",
		strings.Repeat("A", 75) + "B", // non-zero padding bits
		strings.Repeat("A", 75) + ".",
		"B" + p.RefreshToken[1:], // another version
		strings.Repeat("A", 42) + "B",
	} {
		e.refused(t, tok, jwt.ErrMalformed)
	}
	e.refresh(t, p.RefreshToken)
}

// Concurrency is how many goroutines race to refresh one token.
const Concurrency = 20

// race refreshes tok from Concurrency goroutines at once.
func (e *env) race(tok string) (winners []jwt.Pair, errs []error) {
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
	)
	for range Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			np, err := e.s.Refresh(context.Background(), tok)
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
	return winners, errs
}

func testConcurrentRefresh(t *testing.T, e *env) {
	p := e.issue(t)
	winners, errs := e.race(p.RefreshToken)
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

func testGrace(t *testing.T, e *env) {
	e.withGrace(t)
	p1 := e.issue(t)
	p2 := e.refresh(t, p1.RefreshToken)
	e.advance(grace - time.Second)
	again := e.refresh(t, p1.RefreshToken)
	if again.RefreshToken != p2.RefreshToken {
		t.Errorf("the token just spent, again within the grace window, gave another refresh token; want the same")
	}
	if c, err := e.s.Verify(again.AccessToken); err != nil || c.Subject != e.user {
		t.Errorf("Verify(access token of the grace pair) = %+v, %v", c, err)
	}
	if n := e.count(core.EventRefreshReuse); n != 0 {
		t.Errorf("%d reuse events within the grace window; want 0", n)
	}
	p3 := e.refresh(t, again.RefreshToken) // the family lives on
	e.refresh(t, p3.RefreshToken)
}

func testGraceOver(t *testing.T, e *env) {
	e.withGrace(t)
	p1 := e.issue(t)
	p2 := e.refresh(t, p1.RefreshToken)
	e.advance(grace)
	e.refused(t, p1.RefreshToken, jwt.ErrReused)
	e.refused(t, p2.RefreshToken, jwt.ErrRevoked)
}

func testGraceOnlyLast(t *testing.T, e *env) {
	e.withGrace(t)
	p1 := e.issue(t)
	p2 := e.refresh(t, p1.RefreshToken)
	p3 := e.refresh(t, p2.RefreshToken)
	e.refused(t, p1.RefreshToken, jwt.ErrReused) // spent two rotations ago, even within the window
	e.refused(t, p3.RefreshToken, jwt.ErrRevoked)
}

func testConcurrentRefreshGrace(t *testing.T, e *env) {
	e.withGrace(t)
	p := e.issue(t)
	winners, errs := e.race(p.RefreshToken)
	if len(errs) != 0 || len(winners) != Concurrency {
		t.Fatalf("%d of %d concurrent refreshes succeeded within the grace window (errors: %v); want all", len(winners), Concurrency, errs)
	}
	for _, w := range winners {
		if w.RefreshToken != winners[0].RefreshToken {
			t.Fatalf("concurrent refreshes within the grace window gave different refresh tokens")
		}
	}
	e.refresh(t, winners[0].RefreshToken) // whichever response the client kept works
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
	h := func() jwt.Hash { return jwt.HashToken(random(t)) }
	if _, err := e.store.Find(ctx, "no-such-family-"+random(t)); !errors.Is(err, refresh.ErrNotFound) {
		t.Errorf("Find(unknown) = %v; want %v", err, refresh.ErrNotFound)
	}
	if _, err := e.store.Rotate(ctx, "no-such-family-"+random(t), 0, h(), h(), e.now); !errors.Is(err, refresh.ErrNotFound) {
		t.Errorf("Rotate(unknown) = %v; want %v", err, refresh.ErrNotFound)
	}
	f := jwt.Family{ID: random(t), UserID: e.user, Current: h(), CreatedAt: e.now, ExpiresAt: e.now.Add(time.Hour)}
	if err := e.store.Create(ctx, f); err != nil {
		t.Fatalf("Create = %v", err)
	}
	if err := e.store.Create(ctx, f); err == nil {
		t.Errorf("Create(duplicate ID) = nil; want an error")
	}
	got, err := e.store.Find(ctx, f.ID)
	if err != nil || got.ID != f.ID || got.UserID != e.user || got.Current != f.Current || got.Generation != 0 ||
		!got.CreatedAt.Equal(f.CreatedAt) || !got.ExpiresAt.Equal(f.ExpiresAt) || got.Revoked || !got.RotatedAt.IsZero() {
		t.Errorf("Find = %+v, %v; want %+v", got, err, f)
	}
	wrong := h()
	if _, err := e.store.Rotate(ctx, f.ID, 0, wrong, h(), e.now); !errors.Is(err, refresh.ErrNotFound) {
		t.Errorf("Rotate(current generation, wrong hash) = %v; want %v", err, refresh.ErrNotFound)
	}
	if _, err := e.store.Rotate(ctx, f.ID, 1, f.Current, h(), e.now); !errors.Is(err, refresh.ErrNotFound) {
		t.Errorf("Rotate(future generation) = %v; want %v", err, refresh.ErrNotFound)
	}
	next := h()
	later := e.now.Add(time.Minute)
	r, err := e.store.Rotate(ctx, f.ID, 0, f.Current, next, later)
	if err != nil || r.Generation != 1 || r.Current != next || r.Previous != f.Current || !r.RotatedAt.Equal(later) ||
		r.UserID != e.user || !r.ExpiresAt.Equal(f.ExpiresAt) {
		t.Errorf("Rotate = %+v, %v; want generation 1, current %x, previous %x, rotated at %v", r, err, next[:4], f.Current[:4], later)
	}
	if r, err := e.store.Rotate(ctx, f.ID, 0, f.Current, h(), later); !errors.Is(err, refresh.ErrReused) || r.Generation != 1 || r.Previous != f.Current || r.Current != next {
		t.Errorf("Rotate(spent) = %+v, %v; want %v and the family as stored", r, err, refresh.ErrReused)
	}
	if r, err := e.store.Rotate(ctx, f.ID, 1, next, h(), f.ExpiresAt); !errors.Is(err, refresh.ErrExpired) || r.ID != f.ID {
		t.Errorf("Rotate(at expiry) = %+v, %v; want %v", r, err, refresh.ErrExpired)
	}
	if err := e.store.RevokeFamily(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if r, err := e.store.Rotate(ctx, f.ID, 1, next, h(), later); !errors.Is(err, refresh.ErrRevoked) || !r.Revoked {
		t.Errorf("Rotate(revoked) = %+v, %v; want %v", r, err, refresh.ErrRevoked)
	}
	if err := e.store.RevokeFamily(ctx, "no-such-family"); err != nil {
		t.Errorf("RevokeFamily(unknown) = %v; want nil", err)
	}
}

func testCleanup(t *testing.T, e *env) {
	c, ok := e.store.(Cleaner)
	if !ok {
		t.Skip("the store's backend expires families by itself")
	}
	ctx := t.Context()
	now := e.now.Add(1000 * lifetime) // later than anything other cases made
	mk := func(exp time.Time, revoked bool) string {
		f := jwt.Family{ID: random(t), UserID: e.user, Current: jwt.HashToken(random(t)), CreatedAt: exp.Add(-lifetime), ExpiresAt: exp, Revoked: revoked}
		if err := e.store.Create(ctx, f); err != nil {
			t.Fatalf("Create = %v", err)
		}
		return f.ID
	}
	expired := mk(now.Add(-time.Second), false)
	atNow := mk(now, false)
	live := mk(now.Add(time.Microsecond), true)
	n, err := c.Cleanup(ctx, now)
	if err != nil || n < 2 {
		t.Errorf("Cleanup = %d, %v; want at least 2, nil", n, err)
	}
	for _, id := range []string{expired, atNow} {
		if _, err := e.store.Find(ctx, id); !errors.Is(err, refresh.ErrNotFound) {
			t.Errorf("Find(cleaned up) = %v; want %v", err, refresh.ErrNotFound)
		}
	}
	got, err := e.store.Find(ctx, live)
	if err != nil || !got.Revoked || !got.ExpiresAt.Equal(now.Add(time.Microsecond)) {
		t.Errorf("Find(live) = %+v, %v; want the revoked family expiring at %v", got, err, now.Add(time.Microsecond))
	}
}

func testCancelled(t *testing.T, e *env) {
	p, other := e.issue(t), e.issue(t)
	of := e.family(t, other)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, inProcess := e.store.(*jwt.MemoryStore)
	if ip, ok := e.store.(InProcess); ok {
		inProcess = ip.InProcess()
	}
	calls := map[string]error{}
	_, calls["Find"] = e.store.Find(ctx, of.ID)
	_, calls["Rotate"] = e.store.Rotate(ctx, of.ID, 0, of.Current, jwt.HashToken(random(t)), e.now)
	calls["Create"] = e.store.Create(ctx, jwt.Family{ID: random(t), UserID: e.user, Current: jwt.HashToken(random(t)), CreatedAt: e.now, ExpiresAt: e.now.Add(time.Hour)})
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

// TestWatermarkStore checks a jwt.WatermarkStore. newStore is called once
// per subtest; tests use random subjects. jwt.MemoryWatermarks, and a store
// that implements InProcess, may ignore a cancelled context; any other must
// fail every call given one with an error wrapping core.ErrUnavailable.
func TestWatermarkStore(t *testing.T, newStore func(t *testing.T) jwt.WatermarkStore) {
	for _, tc := range []struct {
		name string
		f    func(t *testing.T, st jwt.WatermarkStore)
	}{
		{"a subject without a watermark reads as the zero time, in order", testWatermarkAbsent},
		{"a watermark is kept to the microsecond and never lowered", testWatermarkRaise},
		{"subjects match exactly", testWatermarkExact},
		{"concurrent raises keep the latest", testWatermarkConcurrent},
		{"a cancelled context is unavailable", testWatermarkCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, newStore(t)) })
	}
}

// wmNow is a time in the near future at microsecond precision: stores may
// expire entries by the real clock.
func wmNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond).Add(time.Minute) }

func testWatermarkAbsent(t *testing.T, st jwt.WatermarkStore) {
	a, b := "u:"+random(t), "f:"+random(t)
	at := wmNow()
	if err := st.Raise(t.Context(), b, at, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := st.Watermarks(t.Context(), []string{a, b, a})
	if err != nil || len(got) != 3 || !got[0].IsZero() || !got[1].Equal(at) || !got[2].IsZero() {
		t.Errorf("Watermarks = %v, %v; want [zero %v zero]", got, err, at)
	}
	if got, err := st.Watermarks(t.Context(), nil); err != nil || len(got) != 0 {
		t.Errorf("Watermarks(none) = %v, %v; want empty", got, err)
	}
}

func testWatermarkRaise(t *testing.T, st jwt.WatermarkStore) {
	s := "u:" + random(t)
	at := wmNow().Add(123456 * time.Microsecond)
	for _, w := range []time.Time{at, at.Add(-time.Second), at.Add(-time.Microsecond)} {
		if err := st.Raise(t.Context(), s, w, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.Watermarks(t.Context(), []string{s})
	if err != nil || len(got) != 1 || !got[0].Equal(at) {
		t.Errorf("after raising to %v then lower: %v, %v; want %v", at, got, err, at)
	}
	later := at.Add(time.Millisecond)
	if err := st.Raise(t.Context(), s, later, later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Watermarks(t.Context(), []string{s}); err != nil || !got[0].Equal(later) {
		t.Errorf("after raising to %v: %v, %v", later, got, err)
	}
}

func testWatermarkExact(t *testing.T, st jwt.WatermarkStore) {
	base := "u:alice-" + random(t)
	at := wmNow()
	if err := st.Raise(t.Context(), base, at, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	others := []string{base + " ", strings.ToUpper(base), "f:" + base[2:]}
	got, err := st.Watermarks(t.Context(), others)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range got {
		if !w.IsZero() {
			t.Errorf("Watermarks(%q) = %v; want none (only %q was raised)", others[i], w, base)
		}
	}
}

func testWatermarkConcurrent(t *testing.T, st jwt.WatermarkStore) {
	s := "f:" + random(t)
	at := wmNow()
	var wg sync.WaitGroup
	for i := range Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := at.Add(time.Duration(i) * time.Millisecond)
			if err := st.Raise(context.Background(), s, w, w.Add(time.Hour)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	want := at.Add(time.Duration(Concurrency-1) * time.Millisecond)
	if got, err := st.Watermarks(t.Context(), []string{s}); err != nil || !got[0].Equal(want) {
		t.Errorf("after %d concurrent raises: %v, %v; want the latest, %v", Concurrency, got, err, want)
	}
}

func testWatermarkCancelled(t *testing.T, st jwt.WatermarkStore) {
	_, inProcess := st.(*jwt.MemoryWatermarks)
	if ip, ok := st.(InProcess); ok {
		inProcess = ip.InProcess()
	}
	if inProcess {
		t.Skip("the store does no I/O")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	at := wmNow()
	_, rerr := st.Watermarks(ctx, []string{"u:" + random(t)})
	for op, err := range map[string]error{
		"Raise":      st.Raise(ctx, "u:"+random(t), at, at.Add(time.Hour)),
		"Watermarks": rerr,
	} {
		if !errors.Is(err, core.ErrUnavailable) {
			t.Errorf("%s(cancelled context) = %v; want %v", op, err, core.ErrUnavailable)
		}
	}
}

// sameAttributes compares attributes as their JSON does: a key without
// values may come back as an empty or a nil slice.
func sameAttributes(a, b core.Attributes) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || len(v) != len(w) {
			return false
		}
		for i := range v {
			if v[i] != w[i] {
				return false
			}
		}
	}
	return true
}

// identity authenticates a request bearing access token tok.
func (e *env) identity(t *testing.T, tok string) core.Identity {
	t.Helper()
	id, err := e.s.Authenticate(bearer(tok))
	if err != nil {
		t.Fatalf("Authenticate = %v", err)
	}
	return id
}

func testCarried(t *testing.T, e *env) {
	login := e.now
	attrs := core.Attributes{core.RoleAttribute: {"admin", "editor"}, "tenant": {"acme ✓"}, "empty": {}}
	p, err := e.s.IssueWith(t.Context(), e.user, jwt.IssueOptions{Method: core.MethodPasskey, Attributes: attrs})
	if err != nil {
		t.Fatalf("IssueWith = %v", err)
	}
	attrs[core.RoleAttribute][0] = "guest" // the family keeps its own copy
	f := e.family(t, p)
	if f.Method != core.MethodPasskey || !f.AuthTime.Equal(login) || f.AuthTime.Location() != time.UTC ||
		!f.Attributes.Has(core.RoleAttribute, "admin") || f.Attributes.Get("tenant") != "acme ✓" {
		t.Errorf("stored family = method %q, auth time %v, attributes %v; want passkey, %v, admin of acme ✓", f.Method, f.AuthTime, f.Attributes, login)
	}
	for i := range 3 {
		id := e.identity(t, p.AccessToken)
		if id.Method != core.MethodPasskey || !id.AuthTime.Equal(login) || !id.HasRole("admin") || id.HasRole("guest") ||
			id.Attributes.Get("tenant") != "acme ✓" || !id.Expires.Equal(e.now.Add(jwt.DefaultLifetime)) {
			t.Errorf("after %d refreshes: identity = %+v; want passkey, auth time %v, admin of acme ✓, expiring %v", i, id, login, e.now.Add(jwt.DefaultLifetime))
		}
		e.advance(time.Hour)
		p = e.refresh(t, p.RefreshToken)
	}
	if f := e.family(t, p); f.Method != core.MethodPasskey || !f.AuthTime.Equal(login) || !f.Attributes.Has(core.RoleAttribute, "admin") {
		t.Errorf("family after rotations = %+v; want what the login recorded", f)
	}
	// A family created without them carries none.
	plain := e.issue(t)
	if id := e.identity(t, plain.AccessToken); id.Method != "" || id.Attributes != nil || !id.AuthTime.Equal(e.now) {
		t.Errorf("identity of a plain Issue = %+v; want no method, no attributes, auth time %v", id, e.now)
	}
	if f := e.family(t, plain); f.Method != "" || f.Attributes != nil {
		t.Errorf("family of a plain Issue = %+v; want no method and no attributes", f)
	}
}

// largestAttributes returns attributes whose canonical JSON is exactly
// core.MaxAttributesSize bytes, with characters JSON escapes.
func largestAttributes(t *testing.T) core.Attributes {
	a := core.Attributes{"role": {"admin", "ünï \"q\" <&>"}, "tenant": {""}}
	a["tenant"][0] = strings.Repeat("x", core.MaxAttributesSize-a.Size())
	if a.Size() != core.MaxAttributesSize || a.Check() != nil {
		t.Fatalf("largestAttributes: size %d, check %v", a.Size(), a.Check())
	}
	return a
}

func testLargestAttributes(t *testing.T, e *env) {
	attrs := largestAttributes(t)
	p, err := e.s.IssueWith(t.Context(), e.user, jwt.IssueOptions{Method: strings.Repeat("m", core.MaxMethodLength), Attributes: attrs})
	if err != nil {
		t.Fatalf("IssueWith(largest attributes) = %v", err)
	}
	if len(p.AccessToken) > jwt.DefaultMaxTokenSize {
		t.Errorf("access token of %d bytes; want at most %d", len(p.AccessToken), jwt.DefaultMaxTokenSize)
	}
	if f := e.family(t, p); !sameAttributes(f.Attributes, attrs) {
		t.Errorf("stored attributes differ from the largest ones issued")
	}
	p = e.refresh(t, p.RefreshToken)
	if id := e.identity(t, p.AccessToken); !sameAttributes(id.Attributes, attrs) {
		t.Errorf("refreshed identity's attributes differ from the largest ones issued")
	}
	big := core.Attributes{"k": {strings.Repeat("x", core.MaxAttributesSize)}}
	if _, err := e.s.IssueWith(t.Context(), e.user, jwt.IssueOptions{Attributes: big}); !errors.Is(err, core.ErrAttributesTooLarge) {
		t.Errorf("IssueWith(attributes over the bound) = %v; want %v", err, core.ErrAttributesTooLarge)
	}
}

func testRefreshAttributes(t *testing.T, e *env) {
	var mu sync.Mutex
	roles := []string{"admin", "editor"}
	var got []core.Attributes
	e.s = e.strategy(t, jwt.Options{RefreshAttributes: func(_ context.Context, userID string, current core.Attributes) (core.Attributes, error) {
		mu.Lock()
		defer mu.Unlock()
		if userID != e.user {
			return nil, errors.New("wrong user")
		}
		got = append(got, current)
		return core.Attributes{core.RoleAttribute: append([]string(nil), roles...), "tenant": current["tenant"]}, nil
	}})
	p, err := e.s.IssueWith(t.Context(), e.user, jwt.IssueOptions{Attributes: core.Attributes{core.RoleAttribute: {"admin", "editor"}, "tenant": {"acme"}}})
	if err != nil {
		t.Fatal(err)
	}
	if id := e.identity(t, p.AccessToken); !id.HasRole("admin") {
		t.Fatalf("identity after login = %+v; want admin", id)
	}
	mu.Lock()
	roles = []string{"editor"} // the admin role is removed
	mu.Unlock()
	p = e.refresh(t, p.RefreshToken)
	id := e.identity(t, p.AccessToken)
	if id.HasRole("admin") || !id.HasRole("editor") || id.Attributes.Get("tenant") != "acme" {
		t.Errorf("identity after the refresh that follows removing the role = %+v; want editor of acme, not admin", id)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || !got[0].Has(core.RoleAttribute, "admin") {
		t.Errorf("RefreshAttributes saw %v; want one call with the login's attributes", got)
	}
}

func testRefreshAttributesFails(t *testing.T, e *env) {
	down := fmt.Errorf("users table: %w", core.ErrUnavailable)
	fail := true
	var mu sync.Mutex
	e.s = e.strategy(t, jwt.Options{RefreshAttributes: func(context.Context, string, core.Attributes) (core.Attributes, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return nil, down
		}
		return core.Attributes{"ok": {"1"}}, nil
	}})
	p := e.issue(t)
	if _, err := e.s.Refresh(t.Context(), p.RefreshToken); !errors.Is(err, core.ErrUnavailable) {
		t.Fatalf("Refresh with RefreshAttributes failing = %v; want its error", err)
	}
	mu.Lock()
	fail = false
	mu.Unlock()
	p = e.refresh(t, p.RefreshToken) // not spent by the failed try
	if id := e.identity(t, p.AccessToken); id.Attributes.Get("ok") != "1" {
		t.Errorf("identity = %+v; want the derived attributes", id)
	}
	if n := e.count(core.EventRefreshReuse); n != 0 {
		t.Errorf("%d reuse events; a failed derivation must not spend the token", n)
	}
}

// bearer is a request carrying tok as its bearer token.
func bearer(tok string) *coretest.Request {
	return &coretest.Request{Headers: http.Header{"Authorization": {"Bearer " + tok}}}
}
