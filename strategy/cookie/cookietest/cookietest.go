// Package cookietest checks a cookie.Store implementation against the
// behaviour cookie.Strategy relies on: exact round trips, expiry enforced in
// the lookup itself, touch without revival, log out everywhere, listing,
// hashing at rest, concurrent use, cleanup, context cancellation, what a
// session carries for the application (login method, auth time,
// attributes up to core.MaxAttributesSize, remember-me) returned by Find
// and by Lookup alike and kept by Touch, for a store that implements
// cookie.Rotator the atomic update (rotation) of a session, also under
// concurrent updates and readers, and, for a store that implements
// cookie.Capper, the per-user session cap (also under concurrent logins).
// Store
// implementations call TestStore from their tests, once per backend:
//
//	func TestSessionStore(t *testing.T) {
//		cookietest.TestStore(t, func(t *testing.T) cookietest.Target {
//			return cookietest.Target{Store: newStore(t)}
//		})
//	}
//
// The suite uses random user IDs and session hashes, so a store shared by
// every subtest (or by tests running in parallel on one database) is fine.
// Its clock is fixed in 2031, so stores whose backend expires entries by
// wall-clock TTL keep the suite's entries for the whole run.
package cookietest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// Concurrency is how many goroutines the concurrent cases run.
const Concurrency = 32

// CapLogins is how many logins of one user the concurrent cap case runs at
// once, and CapLimit the cap it sets.
const (
	CapLogins = 20
	CapLimit  = 3
)

// Target is one store under test and the optional ways into its backend.
type Target struct {
	// Store is the store under test.
	Store cookie.Store
	// Cleanup deletes the sessions dead at now and returns how many. Nil
	// skips the cleanup case (for stores whose backend expires entries by
	// itself).
	Cleanup func(ctx context.Context, now time.Time) (int64, error)
	// Dump returns, as text, everything the backend holds for the store
	// (every column of every row, every key and value), for the check that
	// session IDs are never stored. Nil skips that case.
	Dump func(ctx context.Context) ([]string, error)
	// InProcess says the store does no I/O, so it may ignore a cancelled
	// context. Otherwise every method given a cancelled context must fail
	// with an error wrapping core.ErrUnavailable.
	InProcess bool
}

// TestStore runs the conformance tests. open is called once per subtest.
func TestStore(t *testing.T, open func(t *testing.T) Target) {
	for _, tc := range []struct {
		name string
		f    func(t *testing.T, e *env)
	}{
		{"a created session is found with every field intact", testRoundTrip},
		{"a duplicate hash is refused and the first session kept", testDuplicate},
		{"an unknown hash is not found and costs no error", testUnknown},
		{"the idle deadline is enforced in the lookup itself", testIdleExpiry},
		{"the absolute deadline is enforced in the lookup itself", testAbsoluteExpiry},
		{"touch moves the idle deadline and never revives a dead session", testTouch},
		{"delete ends one session and deleting twice is fine", testDelete},
		{"log out everywhere ends every session of the user and no one else's", testDeleteUser},
		{"listing returns the user's live sessions newest first", testList},
		{"the backend holds the hash of a session ID, never the ID", testHashedAtRest},
		{"concurrent touches keep one consistent live session", testConcurrentTouch},
		{"a touch racing a delete never revives the session", testTouchRacingDelete},
		{"concurrent logins of one user are all listed and all logged out", testConcurrentCreate},
		{"cleanup deletes dead sessions only", testCleanup},
		{"a cancelled context is unavailable, never not found", testCancelled},
		{"a strategy over the store logs in, authenticates and logs out", testStrategy},
		{"method, auth time, attributes and remember-me round-trip through Find and Lookup", testCarried},
		{"the largest attributes allowed round-trip exactly", testLargestAttributes},
		{"touch keeps the auth time, method and attributes", testTouchKeepsCarried},
		{"a rotation ends the old session and starts the new one with its fields", testRotate},
		{"a rotation of a missing, dead or other user's session writes nothing", testRotateRefused},
		{"of concurrent rotations of one session exactly one wins", testRotateConcurrent},
		{"a reader never finds both or neither of a rotating session's hashes live", testRotateReaders},
		{"log out everywhere racing rotations leaves no session of the user live", testRotateRacingDeleteUser},
		{"a strategy's login options and updates reach the identity through the store", testStrategyCarries},
		{"a rotated session counts once against the session cap", testRotateCap},
		{"capped logins racing rotations never leave more live sessions than the cap", testRotateCapConcurrent},
		{"a capped create ends the user's oldest live sessions beyond the cap", testCapOldest},
		{"a capped create neither counts nor ends dead sessions or other users' sessions", testCapCountsLiveOnly},
		{"a capped create keeps the new session even when others are newer", testCapKeepsNew},
		{"a capped create of a duplicate hash is refused and ends nothing", testCapDuplicate},
		{"a capped create with a cancelled context is unavailable and ends nothing", testCapCancelled},
		{"concurrent capped logins of one user never leave more live sessions than the cap", testCapConcurrent},
		{"a strategy with a session cap ends the oldest session at the login beyond it", testCapStrategy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f(t, &env{Target: open(t), user: "user-" + random(t)})
		})
	}
}

type env struct {
	Target
	user string
}

// t0 is the suite's "now": in the future, with microsecond precision (what
// every SQL dialect keeps).
var t0 = time.Date(2031, 7, 8, 9, 10, 11, 123456000, time.UTC)

func random(t *testing.T) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// newID returns a session ID shaped like the ones cookie.Strategy makes.
func newID(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// session returns a session of user created at created, idle for idle and
// living for life, with a random hash.
func session(t *testing.T, user string, created time.Time, idle, life time.Duration) cookie.Session {
	return cookie.Session{
		Hash:       cookie.HashID(newID(t)),
		UserID:     user,
		CreatedAt:  created,
		LastSeenAt: created,
		IdleUntil:  created.Add(idle),
		ExpiresAt:  created.Add(life),
		UserAgent:  "Mozilla/5.0 (ünïcode ✓)",
		IP:         "2001:db8::1",
		Method:     "passkey",
		AuthTime:   created.Add(-time.Second),
		Attributes: core.Attributes{core.RoleAttribute: {"admin", "editor"}, "tenant": {"acme ✓ \"q\" <x>"}, "empty": {}},
		Persistent: true,
	}
}

func (e *env) create(t *testing.T, s cookie.Session) cookie.Session {
	t.Helper()
	if err := e.Store.Create(t.Context(), s); err != nil {
		t.Fatalf("Create(%s) = %v", s.Hash.Handle(), err)
	}
	return s
}

// found fails t unless Find(h, now) returns a session equal to want.
func (e *env) found(t *testing.T, h cookie.Hash, now time.Time, want cookie.Session) {
	t.Helper()
	got, err := e.Store.Find(t.Context(), h, now)
	if err != nil {
		t.Fatalf("Find(%s, %v) = %v; want the session", h.Handle(), now, err)
	}
	if !same(got, want) {
		t.Errorf("Find(%s, %v) = %+v; want %+v", h.Handle(), now, got, want)
	}
}

// gone fails t unless Find(h, now) reports cookie.ErrNotFound.
func (e *env) gone(t *testing.T, h cookie.Hash, now time.Time) {
	t.Helper()
	if got, err := e.Store.Find(t.Context(), h, now); !errors.Is(err, cookie.ErrNotFound) {
		t.Errorf("Find(%s, %v) = %+v, %v; want %v", h.Handle(), now, got, err, cookie.ErrNotFound)
	}
}

func (e *env) list(t *testing.T, user string, now time.Time) []cookie.Session {
	t.Helper()
	got, err := e.Store.List(t.Context(), user, now)
	if err != nil {
		t.Fatalf("List(%q, %v) = %v", user, now, err)
	}
	return got
}

// same compares sessions field by field, times as instants that a must
// hold in UTC (the Strategy always gives UTC; a store must give it back).
func same(a, b cookie.Session) bool {
	return a.Hash == b.Hash && a.UserID == b.UserID && a.UserAgent == b.UserAgent && a.IP == b.IP &&
		utc(a.CreatedAt, b.CreatedAt) && utc(a.LastSeenAt, b.LastSeenAt) &&
		utc(a.IdleUntil, b.IdleUntil) && utc(a.ExpiresAt, b.ExpiresAt) && sameCarried(a, b)
}

// utc reports whether x is the instant y and in UTC; the zero time must
// stay zero.
func utc(x, y time.Time) bool {
	if y.IsZero() {
		return x.IsZero()
	}
	return x.Equal(y) && x.Location() == time.UTC
}

// sameCarried compares what a session carries for the application.
func sameCarried(a, b cookie.Session) bool {
	return a.Method == b.Method && utc(a.AuthTime, b.AuthTime) && a.Persistent == b.Persistent &&
		sameAttributes(a.Attributes, b.Attributes)
}

// sameAttributes compares attributes as their JSON does: a key without
// values may come back as an empty or a nil slice.
func sameAttributes(a, b core.Attributes) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !slices.Equal(v, w) {
			return false
		}
	}
	return true
}

func handles(ss []cookie.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Hash.Handle()
	}
	return out
}

func testRoundTrip(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	e.found(t, s.Hash, t0, s)
	// Empty optional fields stay empty.
	bare := session(t, e.user, t0, time.Hour, 24*time.Hour)
	bare.UserAgent, bare.IP = "", ""
	bare.Method, bare.AuthTime, bare.Attributes, bare.Persistent = "", time.Time{}, nil, false
	e.create(t, bare)
	e.found(t, bare.Hash, t0, bare)
}

func testDuplicate(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	dup := s
	dup.UserID = e.user + "-attacker"
	if err := e.Store.Create(t.Context(), dup); err == nil || errors.Is(err, cookie.ErrNotFound) {
		t.Errorf("Create(duplicate hash) = %v; want an error other than %v", err, cookie.ErrNotFound)
	}
	e.found(t, s.Hash, t0, s)
	if got := e.list(t, dup.UserID, t0); len(got) != 0 {
		t.Errorf("List(%q) = %v after a refused duplicate; want none", dup.UserID, handles(got))
	}
}

func testUnknown(t *testing.T, e *env) {
	e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	e.gone(t, cookie.HashID(newID(t)), t0)
	if got := e.list(t, "nobody-"+random(t), t0); len(got) != 0 {
		t.Errorf("List(unknown user) = %v; want none", handles(got))
	}
	if n, err := e.Store.DeleteUser(t.Context(), "nobody-"+random(t)); n != 0 || err != nil {
		t.Errorf("DeleteUser(unknown user) = %d, %v; want 0, nil", n, err)
	}
}

func testIdleExpiry(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	last := s.IdleUntil.Add(-time.Microsecond)
	e.found(t, s.Hash, last, s)
	if got := e.list(t, e.user, last); len(got) != 1 {
		t.Errorf("List a microsecond before the idle deadline = %d sessions; want 1", len(got))
	}
	for _, now := range []time.Time{s.IdleUntil, s.IdleUntil.Add(time.Hour)} {
		e.gone(t, s.Hash, now)
		if got := e.list(t, e.user, now); len(got) != 0 {
			t.Errorf("List(%v) after the idle deadline = %v; want none", now, handles(got))
		}
	}
}

func testAbsoluteExpiry(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, 48*time.Hour, 2*time.Hour))
	e.found(t, s.Hash, s.ExpiresAt.Add(-time.Microsecond), s)
	// Touching up to the end keeps the idle deadline far away; the
	// absolute deadline still ends the session.
	seen := s.ExpiresAt.Add(-time.Minute)
	if err := e.Store.Touch(t.Context(), s.Hash, seen, seen.Add(48*time.Hour)); err != nil {
		t.Fatalf("Touch = %v", err)
	}
	e.gone(t, s.Hash, s.ExpiresAt)
	if got := e.list(t, e.user, s.ExpiresAt); len(got) != 0 {
		t.Errorf("List at the absolute deadline = %v; want none", handles(got))
	}
}

func testTouch(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	seen := t0.Add(50 * time.Minute)
	if err := e.Store.Touch(t.Context(), s.Hash, seen, seen.Add(time.Hour)); err != nil {
		t.Fatalf("Touch = %v", err)
	}
	want := s
	want.LastSeenAt, want.IdleUntil = seen, seen.Add(time.Hour)
	e.found(t, s.Hash, t0.Add(90*time.Minute), want) // past the old idle deadline
	if got := e.list(t, e.user, t0.Add(90*time.Minute)); len(got) != 1 || !same(got[0], want) {
		t.Errorf("List after Touch = %+v; want [%+v]", got, want)
	}

	// A touch arriving after the session died must not bring it back.
	late := want.IdleUntil.Add(time.Minute)
	if err := e.Store.Touch(t.Context(), s.Hash, late, late.Add(time.Hour)); err != nil {
		t.Fatalf("Touch(dead session) = %v; want nil", err)
	}
	e.gone(t, s.Hash, late)
	if err := e.Store.Touch(t.Context(), cookie.HashID(newID(t)), t0, t0.Add(time.Hour)); err != nil {
		t.Errorf("Touch(missing session) = %v; want nil", err)
	}
}

func testDelete(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	other := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	for range 2 {
		if err := e.Store.Delete(t.Context(), s.Hash); err != nil {
			t.Fatalf("Delete = %v", err)
		}
	}
	e.gone(t, s.Hash, t0)
	e.found(t, other.Hash, t0, other)
	if got := e.list(t, e.user, t0); len(got) != 1 || got[0].Hash != other.Hash {
		t.Errorf("List after Delete = %v; want [%s]", handles(got), other.Hash.Handle())
	}
	// Touching a deleted session does not recreate it.
	if err := e.Store.Touch(t.Context(), s.Hash, t0, t0.Add(time.Hour)); err != nil {
		t.Fatalf("Touch(deleted) = %v", err)
	}
	e.gone(t, s.Hash, t0)
}

func testDeleteUser(t *testing.T, e *env) {
	var mine []cookie.Session
	for i := range 3 {
		mine = append(mine, e.create(t, session(t, e.user, t0.Add(time.Duration(i)*time.Second), time.Hour, 24*time.Hour)))
	}
	// User IDs that differ only in case or trailing space are other users.
	bystanders := []string{strings.ToUpper(e.user), e.user + " ", e.user + "x", "x" + e.user}
	var theirs []cookie.Session
	for _, u := range bystanders {
		theirs = append(theirs, e.create(t, session(t, u, t0, time.Hour, 24*time.Hour)))
	}
	n, err := e.Store.DeleteUser(t.Context(), e.user)
	if err != nil || n != len(mine) {
		t.Fatalf("DeleteUser(%q) = %d, %v; want %d, nil", e.user, n, err, len(mine))
	}
	for _, s := range mine {
		e.gone(t, s.Hash, t0)
	}
	if got := e.list(t, e.user, t0); len(got) != 0 {
		t.Errorf("List after DeleteUser = %v; want none", handles(got))
	}
	for _, s := range theirs {
		e.found(t, s.Hash, t0, s)
		if got := e.list(t, s.UserID, t0); len(got) != 1 {
			t.Errorf("List(%q) after DeleteUser(%q) = %v; want its one session", s.UserID, e.user, handles(got))
		}
	}
	if n, err := e.Store.DeleteUser(t.Context(), e.user); n != 0 || err != nil {
		t.Errorf("second DeleteUser = %d, %v; want 0, nil", n, err)
	}
	// The user can log in again afterwards.
	again := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	if got := e.list(t, e.user, t0); len(got) != 1 || got[0].Hash != again.Hash {
		t.Errorf("List after a new login = %v; want [%s]", handles(got), again.Hash.Handle())
	}
}

func testList(t *testing.T, e *env) {
	old := e.create(t, session(t, e.user, t0.Add(-2*time.Hour), 3*time.Hour, 24*time.Hour))
	newest := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	middle := e.create(t, session(t, e.user, t0.Add(-time.Hour), 3*time.Hour, 24*time.Hour))
	idle := e.create(t, session(t, e.user, t0.Add(-3*time.Hour), time.Hour, 24*time.Hour)) // idle since t0-2h
	over := e.create(t, session(t, e.user, t0.Add(-25*time.Hour), 48*time.Hour, 24*time.Hour))
	e.create(t, session(t, e.user+"-other", t0, time.Hour, 24*time.Hour))

	got := e.list(t, e.user, t0)
	want := []cookie.Session{newest, middle, old}
	if len(got) != len(want) {
		t.Fatalf("List = %v; want %v (not the idle %s nor the expired %s)",
			handles(got), handles(want), idle.Hash.Handle(), over.Hash.Handle())
	}
	for i := range want {
		if !same(got[i], want[i]) {
			t.Errorf("List[%d] = %+v; want %+v", i, got[i], want[i])
		}
	}
}

func testHashedAtRest(t *testing.T, e *env) {
	if e.Dump == nil {
		t.Skip("the store under test offers no view of its backend")
	}
	id := newID(t)
	raw, _ := base64.RawURLEncoding.DecodeString(id)
	s := session(t, e.user, t0, time.Hour, 24*time.Hour)
	s.Hash = cookie.HashID(id)
	e.create(t, s)
	dump, err := e.Dump(t.Context())
	if err != nil {
		t.Fatalf("Dump = %v", err)
	}
	all := strings.Join(dump, "\n")
	if !strings.Contains(all, e.user) {
		t.Fatalf("Dump holds no trace of user %q; the dump does not show the session", e.user)
	}
	for _, f := range []string{id, fmt.Sprintf("%x", raw), string(raw), base64.StdEncoding.EncodeToString(raw)} {
		if strings.Contains(all, f) {
			t.Errorf("the backend holds the session ID (as %q)", f)
		}
	}
}

func testConcurrentTouch(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	var wg sync.WaitGroup
	errs := make(chan error, 2*Concurrency)
	for i := range Concurrency {
		wg.Add(2)
		seen := t0.Add(time.Duration(i+1) * time.Second)
		go func() {
			defer wg.Done()
			errs <- e.Store.Touch(context.Background(), s.Hash, seen, seen.Add(time.Hour))
		}()
		go func() {
			defer wg.Done()
			if _, err := e.Store.Find(context.Background(), s.Hash, seen); err != nil {
				errs <- fmt.Errorf("find during touches: %w", err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Touch/Find = %v", err)
		}
	}
	got, err := e.Store.Find(t.Context(), s.Hash, t0)
	if err != nil {
		t.Fatalf("Find after concurrent touches = %v", err)
	}
	d := got.LastSeenAt.Sub(t0)
	if d < time.Second || d > Concurrency*time.Second || d%time.Second != 0 || !got.IdleUntil.Equal(got.LastSeenAt.Add(time.Hour)) {
		t.Errorf("after concurrent touches: LastSeenAt %v, IdleUntil %v; want one touch's pair (seen, seen+1h)", got.LastSeenAt, got.IdleUntil)
	}
	if got.CreatedAt != s.CreatedAt || got.ExpiresAt != s.ExpiresAt || got.UserID != s.UserID {
		t.Errorf("concurrent touches changed %+v into %+v", s, got)
	}
}

func testTouchRacingDelete(t *testing.T, e *env) {
	for range 10 {
		s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
		var wg sync.WaitGroup
		var delErr error
		touchErrs := make([]error, 8)
		start := make(chan struct{})
		for i := range touchErrs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				seen := t0.Add(time.Duration(i) * time.Second)
				touchErrs[i] = e.Store.Touch(context.Background(), s.Hash, seen, seen.Add(time.Hour))
			}()
		}
		wg.Add(1)
		go func() { defer wg.Done(); <-start; delErr = e.Store.Delete(context.Background(), s.Hash) }()
		close(start)
		wg.Wait()
		if err := errors.Join(append(touchErrs, delErr)...); err != nil {
			t.Fatalf("Touch/Delete = %v", err)
		}
		e.gone(t, s.Hash, t0)
	}
	if got := e.list(t, e.user, t0); len(got) != 0 {
		t.Errorf("List after deleting every session = %v; want none", handles(got))
	}
}

func testConcurrentCreate(t *testing.T, e *env) {
	var wg sync.WaitGroup
	errs := make([]error, Concurrency)
	for i := range Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.Store.Create(context.Background(), session(t, e.user, t0.Add(time.Duration(i)*time.Millisecond), time.Hour, 24*time.Hour))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Create = %v", err)
	}
	if got := e.list(t, e.user, t0); len(got) != Concurrency {
		t.Errorf("List after %d concurrent logins = %d sessions", Concurrency, len(got))
	}
	if n, err := e.Store.DeleteUser(t.Context(), e.user); n != Concurrency || err != nil {
		t.Errorf("DeleteUser = %d, %v; want %d, nil", n, err, Concurrency)
	}
	if got := e.list(t, e.user, t0); len(got) != 0 {
		t.Errorf("List after DeleteUser = %d sessions; want none", len(got))
	}
}

func testCleanup(t *testing.T, e *env) {
	if e.Cleanup == nil {
		t.Skip("the store's backend expires sessions by itself")
	}
	now := t0.Add(1000 * time.Hour) // later than anything the other cases made
	idle := e.create(t, session(t, e.user, now.Add(-2*time.Hour), time.Hour, 24*time.Hour))
	atIdle := e.create(t, session(t, e.user, now.Add(-time.Hour), time.Hour, 24*time.Hour))
	over := e.create(t, session(t, e.user, now.Add(-24*time.Hour), 48*time.Hour, 24*time.Hour))
	live := e.create(t, session(t, e.user, now.Add(-time.Hour), time.Hour+time.Microsecond, 24*time.Hour))
	n, err := e.Cleanup(t.Context(), now)
	if err != nil || n < 3 {
		t.Errorf("Cleanup = %d, %v; want at least 3 (the idle, the one at its idle deadline, the expired)", n, err)
	}
	for _, s := range []cookie.Session{idle, atIdle, over} {
		e.gone(t, s.Hash, s.CreatedAt) // gone even when asked at a time it was live
	}
	e.found(t, live.Hash, now, live)
	if n, err := e.Store.DeleteUser(t.Context(), e.user); n != 1 || err != nil {
		t.Errorf("DeleteUser after Cleanup = %d, %v; want 1 (the live one), nil", n, err)
	}
}

func testCancelled(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fresh := session(t, e.user, t0, time.Hour, 24*time.Hour)
	calls := map[string]error{}
	var found cookie.Session
	found, calls["Find"] = e.Store.Find(ctx, s.Hash, t0)
	_, calls["List"] = e.Store.List(ctx, e.user, t0)
	calls["Touch"] = e.Store.Touch(ctx, s.Hash, t0.Add(time.Minute), t0.Add(2*time.Hour))
	calls["Create"] = e.Store.Create(ctx, fresh)
	for op, err := range calls {
		switch {
		case err == nil && e.InProcess:
		case errors.Is(err, cookie.ErrNotFound):
			t.Errorf("%s(cancelled context) = %v; a cancelled request must not look like a missing session", op, err)
		case !errors.Is(err, core.ErrUnavailable):
			t.Errorf("%s(cancelled context) = %v; want %v", op, err, core.ErrUnavailable)
		}
	}
	if calls["Find"] == nil && !same(found, s) {
		t.Errorf("Find(cancelled context) = %+v, nil; want the session or an error", found)
	}
	if calls["Create"] != nil {
		e.gone(t, fresh.Hash, t0) // a failed Create wrote nothing
	}
	// The destructive calls fail without deleting, or (in process) succeed.
	delErr := e.Store.Delete(ctx, s.Hash)
	_, userErr := e.Store.DeleteUser(ctx, e.user)
	for op, err := range map[string]error{"Delete": delErr, "DeleteUser": userErr} {
		if err == nil && !e.InProcess || err != nil && !errors.Is(err, core.ErrUnavailable) {
			t.Errorf("%s(cancelled context) = %v; want %v", op, err, core.ErrUnavailable)
		}
	}
	if delErr != nil && userErr != nil {
		e.found(t, s.Hash, t0, s)
	}
}

// testStrategy drives the store through a real cookie.Strategy: what the
// store must do for sign-in, requests, logout and log out everywhere.
func testStrategy(t *testing.T, e *env) {
	now := t0
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s, err := cookie.New([][]byte{[]byte("cookietest key of at least 32 bytes")}, e.Store, cookie.Options{
		Now: clock, Events: func(context.Context, core.Event) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	login := func() string {
		w := &response{}
		if err := s.Login(&request{}, w, e.user); err != nil || w.cookie == nil {
			t.Fatalf("Login(%q) = %v", e.user, err)
		}
		return w.cookie.Value
	}
	a, b := login(), login()
	for _, v := range []string{a, b} {
		id, err := s.Authenticate(&request{name: s.CookieName(), value: v})
		if err != nil || id.UserID != e.user {
			t.Fatalf("Authenticate(fresh cookie) = %+v, %v; want user %q", id, err, e.user)
		}
	}
	if err := s.Logout(&request{name: s.CookieName(), value: a}, &response{}); err != nil {
		t.Fatalf("Logout = %v", err)
	}
	if _, err := s.Authenticate(&request{name: s.CookieName(), value: a}); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate(logged-out cookie) = %v; want %v", err, core.ErrInvalidCredential)
	}
	if _, err := s.Authenticate(&request{name: s.CookieName(), value: b}); err != nil {
		t.Errorf("Authenticate(other session) = %v; want the user", err)
	}
	if n, err := e.Store.DeleteUser(t.Context(), e.user); n != 1 || err != nil {
		t.Errorf("DeleteUser = %d, %v; want 1, nil", n, err)
	}
	if _, err := s.Authenticate(&request{name: s.CookieName(), value: b}); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate after log out everywhere = %v; want %v", err, core.ErrInvalidCredential)
	}
}

// request is a minimal core.Request carrying at most one cookie.
type request struct{ name, value string }

func (*request) Context() context.Context { return context.Background() }
func (*request) Method() string           { return http.MethodGet }
func (*request) Host() string             { return "shop.example" }
func (*request) Header(string) []string   { return nil }
func (*request) RemoteIP() string         { return "192.0.2.7" }
func (r *request) Cookies(name string) []string {
	if r.name != "" && name == r.name {
		return []string{r.value}
	}
	return nil
}

// response records the last cookie set.
type response struct{ cookie *http.Cookie }

func (w *response) SetCookie(c *http.Cookie) { w.cookie = c }
func (*response) SetHeader(string, string)   {}

// capper returns the store as a cookie.Capper, or skips t.
func (e *env) capper(t *testing.T) cookie.Capper {
	t.Helper()
	c, ok := e.Store.(cookie.Capper)
	if !ok {
		t.Skipf("%T does not implement cookie.Capper, so cookie.Options.MaxSessionsPerUser cannot be used with it", e.Store)
	}
	return c
}

// createCapped runs CreateCapped and returns the handles it ended.
func (e *env) createCapped(t *testing.T, s cookie.Session, max int) []string {
	t.Helper()
	ended, err := e.capper(t).CreateCapped(t.Context(), s, max)
	if err != nil {
		t.Fatalf("CreateCapped(%s, %d) = %v", s.Hash.Handle(), max, err)
	}
	return hashHandles(ended)
}

func hashHandles(hs []cookie.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Handle()
	}
	return out
}

func equalStrings(a, b []string) bool {
	return slices.Equal(a, b) || len(a) == 0 && len(b) == 0
}

func testCapOldest(t *testing.T, e *env) {
	e.capper(t)
	bystander := e.create(t, session(t, e.user+"-other", t0.Add(-time.Hour), 3*time.Hour, 24*time.Hour))
	var ss []cookie.Session
	for i := range 5 {
		s := session(t, e.user, t0.Add(time.Duration(i)*time.Second), time.Hour, 24*time.Hour)
		ss = append(ss, s)
		var want []string
		if i >= 3 {
			want = []string{ss[i-3].Hash.Handle()}
		}
		if got := e.createCapped(t, s, 3); !equalStrings(got, want) {
			t.Errorf("login %d with a cap of 3: CreateCapped ended %v; want %v", i+1, got, want)
		}
	}
	now := t0.Add(5 * time.Second)
	if got, want := handles(e.list(t, e.user, now)), handles([]cookie.Session{ss[4], ss[3], ss[2]}); !slices.Equal(got, want) {
		t.Errorf("List after 5 logins with a cap of 3 = %v; want the 3 newest %v", got, want)
	}
	for _, s := range ss[:2] {
		e.gone(t, s.Hash, now)
	}
	// Lowering the cap ends every session beyond it, oldest first.
	last := session(t, e.user, t0.Add(10*time.Second), time.Hour, 24*time.Hour)
	if got, want := e.createCapped(t, last, 1), handles([]cookie.Session{ss[2], ss[3], ss[4]}); !slices.Equal(got, want) {
		t.Errorf("CreateCapped with a cap of 1 ended %v; want %v, oldest first", got, want)
	}
	if got := handles(e.list(t, e.user, last.CreatedAt)); !slices.Equal(got, []string{last.Hash.Handle()}) {
		t.Errorf("List with a cap of 1 = %v; want only the new session %s", got, last.Hash.Handle())
	}
	e.found(t, bystander.Hash, now, bystander)
}

func testCapCountsLiveOnly(t *testing.T, e *env) {
	e.capper(t)
	live := e.create(t, session(t, e.user, t0.Add(-time.Minute), time.Hour, 24*time.Hour))
	idle := e.create(t, session(t, e.user, t0.Add(-2*time.Hour), time.Hour, 24*time.Hour))
	over := e.create(t, session(t, e.user, t0.Add(-25*time.Hour), 48*time.Hour, 24*time.Hour))
	// User IDs that differ only in case or trailing space are other users.
	var theirs []cookie.Session
	for _, u := range []string{strings.ToUpper(e.user), e.user + " ", e.user + "x"} {
		theirs = append(theirs, e.create(t, session(t, u, t0, time.Hour, 24*time.Hour)))
	}
	s := session(t, e.user, t0, time.Hour, 24*time.Hour)
	if got := e.createCapped(t, s, 2); len(got) != 0 {
		t.Errorf("CreateCapped with one live and two dead sessions, cap 2, ended %v; want nothing (idle %s, expired %s)",
			got, idle.Hash.Handle(), over.Hash.Handle())
	}
	for _, x := range append([]cookie.Session{live, s}, theirs...) {
		e.found(t, x.Hash, t0, x)
	}
	// A cap of 1 ends the live one and reports only it.
	next := session(t, e.user, t0.Add(time.Second), time.Hour, 24*time.Hour)
	if got, want := e.createCapped(t, next, 1), handles([]cookie.Session{live, s}); !slices.Equal(got, want) {
		t.Errorf("CreateCapped with a cap of 1 ended %v; want the live ones %v and no dead one", got, want)
	}
	for _, x := range theirs {
		e.found(t, x.Hash, t0, x)
	}
}

func testCapKeepsNew(t *testing.T, e *env) {
	e.capper(t)
	later := e.create(t, session(t, e.user, t0.Add(time.Hour), 2*time.Hour, 24*time.Hour))
	s := session(t, e.user, t0, time.Hour, 24*time.Hour)
	if got, want := e.createCapped(t, s, 1), []string{later.Hash.Handle()}; !slices.Equal(got, want) {
		t.Errorf("CreateCapped(cap 1) beside a session created later ended %v; want %v, never the new one", got, want)
	}
	e.found(t, s.Hash, t0, s)
	// Equal creation times: the larger hash is the older, as in List.
	for range 3 {
		e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	}
	sortedByList := e.list(t, e.user, t0) // s and the three, newest first
	next := session(t, e.user, t0, time.Hour, 24*time.Hour)
	want := []string{sortedByList[3].Hash.Handle(), sortedByList[2].Hash.Handle()}
	if got := e.createCapped(t, next, 3); !slices.Equal(got, want) {
		t.Errorf("CreateCapped(cap 3) among equal creation times ended %v; want the last two of List's order %v", got, want)
	}
	if got := e.list(t, e.user, t0); len(got) != 3 {
		t.Errorf("List after the capped create = %v; want 3 sessions", handles(got))
	}
}

func testCapDuplicate(t *testing.T, e *env) {
	c := e.capper(t)
	old := e.create(t, session(t, e.user, t0.Add(-time.Minute), time.Hour, 24*time.Hour))
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	dup := s
	dup.CreatedAt = t0.Add(time.Minute)
	ended, err := c.CreateCapped(t.Context(), dup, 1)
	if err == nil || errors.Is(err, cookie.ErrNotFound) {
		t.Errorf("CreateCapped(duplicate hash) = %v, %v; want an error other than %v", hashHandles(ended), err, cookie.ErrNotFound)
	}
	e.found(t, old.Hash, t0, old)
	e.found(t, s.Hash, t0, s)
}

func testCapCancelled(t *testing.T, e *env) {
	c := e.capper(t)
	old := e.create(t, session(t, e.user, t0.Add(-time.Minute), time.Hour, 24*time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := session(t, e.user, t0, time.Hour, 24*time.Hour)
	ended, err := c.CreateCapped(ctx, s, 1)
	switch {
	case err == nil && e.InProcess:
		return
	case errors.Is(err, cookie.ErrNotFound) || !errors.Is(err, core.ErrUnavailable):
		t.Errorf("CreateCapped(cancelled context) = %v, %v; want %v", hashHandles(ended), err, core.ErrUnavailable)
	}
	e.gone(t, s.Hash, t0)
	e.found(t, old.Hash, t0, old)
}

func testCapConcurrent(t *testing.T, e *env) {
	c := e.capper(t)
	all := make([]cookie.Session, CapLogins)
	for i := range all {
		all[i] = session(t, e.user, t0.Add(time.Duration(i)*time.Millisecond), time.Hour, 24*time.Hour)
	}
	// A reader lists the user's sessions for as long as the logins run,
	// and each login lists them right after its own create, while others
	// are still running.
	var mu sync.Mutex
	var most, lists int
	observe := func() error {
		got, err := e.Store.List(context.Background(), e.user, t0)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		most, lists = max(most, len(got)), lists+1
		return nil
	}
	done := make(chan struct{})
	var listErr error
	var reader sync.WaitGroup
	reader.Go(func() {
		for {
			if listErr = observe(); listErr != nil {
				return
			}
			select {
			case <-done:
				return
			default:
			}
		}
	})
	ended := make([][]cookie.Hash, CapLogins)
	errs := make([]error, CapLogins)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range CapLogins {
		wg.Go(func() {
			<-start
			if ended[i], errs[i] = c.CreateCapped(context.Background(), all[i], CapLimit); errs[i] == nil {
				errs[i] = observe()
			}
		})
	}
	close(start)
	wg.Wait()
	close(done)
	reader.Wait()
	if err := errors.Join(append(errs, listErr)...); err != nil {
		t.Fatalf("concurrent CreateCapped/List = %v", err)
	}
	if most > CapLimit {
		t.Errorf("List during %d concurrent logins saw %d live sessions; want at most the cap %d", CapLogins, most, CapLimit)
	}
	t.Logf("%d lists during the logins; the most sessions seen at once: %d", lists, most)

	final := e.list(t, e.user, t0)
	if len(final) != CapLimit {
		t.Fatalf("List after %d concurrent logins = %d sessions; want the cap %d", CapLogins, len(final), CapLimit)
	}
	// Every session is either still live or was reported ended exactly once.
	seen := map[cookie.Hash]int{}
	for _, hs := range ended {
		for _, h := range hs {
			seen[h]++
		}
	}
	for _, s := range final {
		seen[s.Hash]++
	}
	for i, s := range all {
		if seen[s.Hash] != 1 {
			t.Errorf("session %d was reported ended or found live %d times; want once", i, seen[s.Hash])
		}
	}
	// The oldest are the ones ended: the survivors are the login that
	// came last plus the CapLimit-1 newest of the others.
	if !newestBesideOne(final, all, CapLimit-1) {
		t.Errorf("survivors %v are not the last login plus the %d newest of the others (created in order: %v)",
			handles(final), CapLimit-1, handles(all))
	}
}

// newestBesideOne reports whether, for some session L of final, the rest of
// final is exactly the n newest sessions of all other than L.
func newestBesideOne(final, all []cookie.Session, n int) bool {
	newestFirst := slices.Clone(all)
	slices.Reverse(newestFirst) // all is in creation order, distinct times
	for _, l := range final {
		var want []cookie.Hash
		for _, s := range newestFirst {
			if s.Hash != l.Hash && len(want) < n {
				want = append(want, s.Hash)
			}
		}
		var rest []cookie.Hash
		for _, s := range final {
			if s.Hash != l.Hash {
				rest = append(rest, s.Hash)
			}
		}
		if slices.Equal(want, rest) {
			return true
		}
	}
	return false
}

// testCapStrategy drives the cap through a real cookie.Strategy: the third
// login of a user under a cap of 2 ends the first session and says so.
func testCapStrategy(t *testing.T, e *env) {
	e.capper(t)
	now := t0
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(time.Second); return now }
	var events []core.Event
	s, err := cookie.New([][]byte{[]byte("cookietest key of at least 32 bytes")}, e.Store, cookie.Options{
		Now: clock, MaxSessionsPerUser: 2,
		Events: func(_ context.Context, ev core.Event) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, ev)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	login := func() string {
		w := &response{}
		if err := s.Login(&request{}, w, e.user); err != nil || w.cookie == nil {
			t.Fatalf("Login(%q) = %v", e.user, err)
		}
		return w.cookie.Value
	}
	first, second, third := login(), login(), login()
	if _, err := s.Authenticate(&request{name: s.CookieName(), value: first}); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate(first session) after a third login with a cap of 2 = %v; want %v", err, core.ErrInvalidCredential)
	}
	for _, v := range []string{second, third} {
		if id, err := s.Authenticate(&request{name: s.CookieName(), value: v}); err != nil || id.UserID != e.user {
			t.Errorf("Authenticate(newer session) = %+v, %v; want user %q", id, err, e.user)
		}
	}
	var capped []core.Event
	for _, ev := range events {
		if ev.Type == core.EventSessionEnded {
			capped = append(capped, ev)
		}
	}
	if len(capped) != 1 || capped[0].Reason != "session_cap" || capped[0].UserID != e.user || capped[0].Ref == "" {
		t.Errorf("session_ended events = %+v; want one with reason session_cap, user %q and a ref", capped, e.user)
	}
}

// lookup reads h as Authenticate does: through cookie.Looker when the
// store has it, else Find.
func (e *env) lookup(t *testing.T, h cookie.Hash, now time.Time) (cookie.Session, error) {
	t.Helper()
	if l, ok := e.Store.(cookie.Looker); ok {
		return l.Lookup(t.Context(), h, now)
	}
	return e.Store.Find(t.Context(), h, now)
}

func testCarried(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	bare := session(t, e.user, t0, time.Hour, 24*time.Hour)
	bare.Method, bare.AuthTime, bare.Attributes, bare.Persistent = "", time.Time{}, nil, false
	e.create(t, bare)
	for _, want := range []cookie.Session{s, bare} {
		got, err := e.lookup(t, want.Hash, t0)
		got.Persistent = want.Persistent // Lookup need not read it
		if err != nil || !sameCarried(got, want) || got.UserID != want.UserID || !utc(got.IdleUntil, want.IdleUntil) || !utc(got.ExpiresAt, want.ExpiresAt) {
			t.Errorf("Lookup(%s) = %+v, %v; want method %q, auth time %v, attributes %v, persistent %v",
				want.Hash.Handle(), got, err, want.Method, want.AuthTime, want.Attributes, want.Persistent)
		}
		e.found(t, want.Hash, t0, want)
	}
	listed := e.list(t, e.user, t0)
	if len(listed) != 2 || !sameCarried(listed[0], s) && !sameCarried(listed[1], s) {
		t.Errorf("List = %+v; want both sessions with what they carry", listed)
	}
}

// largestAttributes returns attributes whose canonical JSON is exactly
// core.MaxAttributesSize bytes, with characters JSON escapes and
// multi-byte ones.
func largestAttributes(t *testing.T) core.Attributes {
	a := core.Attributes{"role": {"admin", "ünï \"q\" <&>"}, "tenant": {""}}
	pad := core.MaxAttributesSize - a.Size()
	a["tenant"][0] = strings.Repeat("x", pad)
	if a.Size() != core.MaxAttributesSize || a.Check() != nil {
		t.Fatalf("largestAttributes: size %d, check %v", a.Size(), a.Check())
	}
	return a
}

func testLargestAttributes(t *testing.T, e *env) {
	s := session(t, e.user, t0, time.Hour, 24*time.Hour)
	s.Attributes = largestAttributes(t)
	s.Method = strings.Repeat("m", core.MaxMethodLength)
	e.create(t, s)
	e.found(t, s.Hash, t0, s)
	if got, err := e.lookup(t, s.Hash, t0); err != nil || !sameAttributes(got.Attributes, s.Attributes) || got.Method != s.Method {
		t.Errorf("Lookup(largest attributes) = %+v, %v; want them intact", got.Attributes, err)
	}
}

func testTouchKeepsCarried(t *testing.T, e *env) {
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	seen := t0.Add(30 * time.Minute)
	if err := e.Store.Touch(t.Context(), s.Hash, seen, seen.Add(time.Hour)); err != nil {
		t.Fatalf("Touch = %v", err)
	}
	got, err := e.lookup(t, s.Hash, seen)
	got.Persistent = s.Persistent // Lookup need not read it
	if err != nil || !sameCarried(got, s) || !utc(got.LastSeenAt, seen) {
		t.Errorf("Lookup after Touch = %+v, %v; want seen %v with auth time %v, method, attributes unchanged", got, err, seen, s.AuthTime)
	}
}

// rotator returns the store as a cookie.Rotator, or skips t.
func (e *env) rotator(t *testing.T) cookie.Rotator {
	t.Helper()
	r, ok := e.Store.(cookie.Rotator)
	if !ok {
		t.Skipf("%T does not implement cookie.Rotator, so cookie.Strategy.Update cannot be used with it", e.Store)
	}
	return r
}

// successor returns s with a new hash the store can rotate s into, new
// attributes and a later auth time, as Strategy.Update makes it.
func (e *env) successor(t *testing.T, s cookie.Session, now time.Time) cookie.Session {
	next := s
	for {
		next.Hash = cookie.HashID(newID(t))
		if c, ok := e.Store.(cookie.Colocator); !ok || c.Colocated(s.Hash, next.Hash) {
			break
		}
	}
	next.Attributes = core.Attributes{core.RoleAttribute: {"admin"}, "mfa": {"totp"}}
	next.Method = "password+totp"
	next.AuthTime = now
	next.LastSeenAt = now
	next.IdleUntil = now.Add(time.Hour)
	return next
}

func testRotate(t *testing.T, e *env) {
	r := e.rotator(t)
	s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	other := e.create(t, session(t, e.user, t0.Add(time.Second), time.Hour, 24*time.Hour))
	now := t0.Add(10 * time.Minute)
	next := e.successor(t, s, now)
	if err := r.Rotate(t.Context(), s.Hash, next, now); err != nil {
		t.Fatalf("Rotate = %v", err)
	}
	e.gone(t, s.Hash, now)
	e.found(t, next.Hash, now, next)
	if got, err := e.lookup(t, next.Hash, now); err != nil || !sameAttributes(got.Attributes, next.Attributes) || !utc(got.AuthTime, next.AuthTime) {
		t.Errorf("Lookup(rotated) = %+v, %v; want the new attributes and auth time", got, err)
	}
	got := e.list(t, e.user, now)
	if want := []string{other.Hash.Handle(), next.Hash.Handle()}; !equalStrings(handles(got), want) {
		t.Errorf("List after Rotate = %v; want %v (the rotated session keeps its place)", handles(got), want)
	}
	// The rotated session is an ordinary session: touched, ended as usual.
	if err := e.Store.Touch(t.Context(), next.Hash, now, now.Add(time.Hour)); err != nil {
		t.Errorf("Touch(rotated) = %v", err)
	}
	if n, err := e.Store.DeleteUser(t.Context(), e.user); n != 2 || err != nil {
		t.Errorf("DeleteUser after Rotate = %d, %v; want 2, nil", n, err)
	}
	e.gone(t, next.Hash, now)
}

func testRotateRefused(t *testing.T, e *env) {
	r := e.rotator(t)
	live := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	dead := e.create(t, session(t, e.user, t0, time.Minute, 24*time.Hour))
	now := t0.Add(10 * time.Minute)
	stranger := e.successor(t, live, now)
	stranger.UserID = e.user + "-other"
	missing := session(t, e.user, t0, time.Hour, 24*time.Hour) // never created
	for _, tc := range []struct {
		name string
		old  cookie.Hash
		next cookie.Session
	}{
		{"a missing session", missing.Hash, e.successor(t, missing, now)},
		{"a session past its idle deadline", dead.Hash, e.successor(t, dead, now)},
		{"a session of another user", live.Hash, stranger},
	} {
		err := r.Rotate(t.Context(), tc.old, tc.next, now)
		if !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Rotate(%s) = %v; want %v", tc.name, err, cookie.ErrNotFound)
		}
		e.gone(t, tc.next.Hash, now)
	}
	e.found(t, live.Hash, now, live)
	if got := e.list(t, stranger.UserID, now); len(got) != 0 {
		t.Errorf("List(other user) after a refused Rotate = %v; want none", handles(got))
	}
}

func testRotateConcurrent(t *testing.T, e *env) {
	r := e.rotator(t)
	for range 5 {
		s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
		now := t0.Add(time.Minute)
		nexts := make([]cookie.Session, Concurrency/4)
		errs := make([]error, len(nexts))
		for i := range nexts {
			nexts[i] = e.successor(t, s, now)
			nexts[i].Attributes = core.Attributes{"n": {fmt.Sprint(i)}}
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range nexts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = r.Rotate(context.Background(), s.Hash, nexts[i], now)
			}()
		}
		close(start)
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won >= 0:
				t.Fatalf("rotations %d and %d of one session both won", won, i)
			case err == nil:
				won = i
			case !errors.Is(err, cookie.ErrNotFound):
				t.Fatalf("a losing Rotate = %v; want %v", err, cookie.ErrNotFound)
			}
		}
		if won < 0 {
			t.Fatal("no rotation won")
		}
		e.gone(t, s.Hash, now)
		for i, n := range nexts {
			if i == won {
				e.found(t, n.Hash, now, n)
			} else {
				e.gone(t, n.Hash, now)
			}
		}
		if got := e.list(t, e.user, now); len(got) != 1 || got[0].Hash != nexts[won].Hash {
			t.Errorf("List after concurrent rotations = %v; want the winner only", handles(got))
		}
		if _, err := e.Store.DeleteUser(t.Context(), e.user); err != nil {
			t.Fatal(err)
		}
	}
}

func testRotateReaders(t *testing.T, e *env) {
	r := e.rotator(t)
	for range 20 {
		s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
		now := t0.Add(time.Minute)
		next := e.successor(t, s, now)
		live := func(h cookie.Hash) bool {
			_, err := e.Store.Find(context.Background(), h, now)
			if err != nil && !errors.Is(err, cookie.ErrNotFound) {
				t.Errorf("Find during a rotation = %v", err)
			}
			return err == nil
		}
		done := make(chan struct{})
		var wg sync.WaitGroup
		var both, neither int
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				// The new hash live before the old is read dead, and
				// the old read dead before the new is read live.
				if live(next.Hash) && live(s.Hash) {
					both++
				}
				if !live(s.Hash) && !live(next.Hash) {
					neither++
				}
			}
		}()
		err := r.Rotate(t.Context(), s.Hash, next, now)
		close(done)
		wg.Wait()
		if err != nil {
			t.Fatalf("Rotate = %v", err)
		}
		if both > 0 || neither > 0 {
			t.Fatalf("readers found both hashes live %d times and neither %d times during one rotation", both, neither)
		}
		e.gone(t, s.Hash, now)
		e.found(t, next.Hash, now, next)
	}
}

func testRotateRacingDeleteUser(t *testing.T, e *env) {
	r := e.rotator(t)
	for range 10 {
		var sessions, nexts []cookie.Session
		for range 4 {
			s := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
			sessions = append(sessions, s)
			nexts = append(nexts, e.successor(t, s, t0.Add(time.Minute)))
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, len(sessions))
		for i := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = r.Rotate(context.Background(), sessions[i].Hash, nexts[i], t0.Add(time.Minute))
			}()
		}
		var delErr error
		wg.Add(1)
		go func() { defer wg.Done(); <-start; _, delErr = e.Store.DeleteUser(context.Background(), e.user) }()
		close(start)
		wg.Wait()
		if delErr != nil {
			t.Fatalf("DeleteUser = %v", delErr)
		}
		for i, err := range errs {
			if err != nil && !errors.Is(err, cookie.ErrNotFound) {
				t.Fatalf("Rotate racing DeleteUser = %v", err)
			}
			e.gone(t, sessions[i].Hash, t0.Add(time.Minute))
			// A rotation that finished before the logout began must not
			// outlive it; one that lost is not there. Either way, after
			// a second logout nothing is left, and the first logout must
			// not have left a rotated session that it did not see and
			// that was made from a session it ended.
		}
		left := e.list(t, e.user, t0.Add(time.Minute))
		for _, l := range left {
			i := slices.IndexFunc(nexts, func(n cookie.Session) bool { return n.Hash == l.Hash })
			if i < 0 {
				t.Fatalf("List after DeleteUser racing rotations holds an unknown session %s", l.Hash.Handle())
			}
		}
		// Every session left is a rotation that completed after the
		// logout read the user's sessions: the logout must have ended the
		// session it came from first... which is impossible, since
		// rotating needs the old session live. So nothing is left.
		if len(left) != 0 {
			t.Fatalf("log out everywhere racing %d rotations left %d sessions live: %v", len(sessions), len(left), handles(left))
		}
	}
}

// testStrategyCarries drives LoginWith, Authenticate and Update of a real
// cookie.Strategy over the store.
func testStrategyCarries(t *testing.T, e *env) {
	now := t0
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	s, err := cookie.New([][]byte{[]byte("cookietest key of at least 32 bytes")}, e.Store, cookie.Options{
		Now: clock, Events: func(context.Context, core.Event) {}, TouchInterval: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &response{}
	attrs := core.Attributes{core.RoleAttribute: {"editor"}}
	if err := s.LoginWith(&request{}, w, e.user, core.LoginOptions{Method: core.MethodPassword, Attributes: attrs}); err != nil {
		t.Fatalf("LoginWith = %v", err)
	}
	attrs[core.RoleAttribute][0] = "admin" // the session keeps its own copy
	login := t0
	advance(5 * time.Minute)
	id, err := s.Authenticate(&request{name: s.CookieName(), value: w.cookie.Value})
	if err != nil || id.Method != core.MethodPassword || !id.AuthTime.Equal(login) || !id.HasRole("editor") || id.HasRole("admin") ||
		!id.Expires.Equal(now.Add(cookie.DefaultIdleTimeout)) {
		t.Fatalf("Authenticate = %+v, %v; want method password, auth time %v, role editor, expiring %v", id, err, login, now.Add(cookie.DefaultIdleTimeout))
	}
	advance(5 * time.Minute) // past TouchInterval: this request touches
	id, err = s.Authenticate(&request{name: s.CookieName(), value: w.cookie.Value})
	if err != nil || !id.AuthTime.Equal(login) || !id.Expires.Equal(now.Add(cookie.DefaultIdleTimeout)) {
		t.Fatalf("Authenticate after a touch = %+v, %v; want auth time %v kept and expiry %v", id, err, login, now.Add(cookie.DefaultIdleTimeout))
	}
	if _, ok := e.Store.(cookie.Rotator); !ok {
		return
	}
	old := w.cookie.Value
	w2 := &response{}
	up, err := s.Update(&request{name: s.CookieName(), value: old}, w2, core.SessionUpdate{
		Attributes: core.Attributes{core.RoleAttribute: {"editor", "admin"}}, Reauthenticated: true, Method: "password+totp",
	})
	if err != nil || w2.cookie == nil || w2.cookie.Value == old || !up.HasRole("admin") || !up.AuthTime.Equal(now) {
		t.Fatalf("Update = %+v, %v (cookie %v); want a new cookie and the admin role, auth time now", up, err, w2.cookie)
	}
	if _, err := s.Authenticate(&request{name: s.CookieName(), value: old}); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate(cookie from before Update) = %v; want %v", err, core.ErrInvalidCredential)
	}
	id, err = s.Authenticate(&request{name: s.CookieName(), value: w2.cookie.Value})
	if err != nil || !id.HasRole("admin") || id.Method != "password+totp" || !id.AuthTime.Equal(now) {
		t.Errorf("Authenticate(updated cookie) = %+v, %v; want role admin, method password+totp, auth time %v", id, err, now)
	}
	if _, err := s.Update(&request{name: s.CookieName(), value: old}, &response{}, core.SessionUpdate{}); !errors.Is(err, cookie.ErrUnknownSession) {
		t.Errorf("Update(cookie from before Update) = %v; want %v", err, cookie.ErrUnknownSession)
	}
	if n, err := e.Store.DeleteUser(t.Context(), e.user); n != 1 || err != nil {
		t.Errorf("DeleteUser after Update = %d, %v; want 1, nil (one session, under its new ID)", n, err)
	}
}

func testRotateCap(t *testing.T, e *env) {
	r, c := e.rotator(t), e.capper(t)
	a := e.create(t, session(t, e.user, t0, time.Hour, 24*time.Hour))
	b := e.create(t, session(t, e.user, t0.Add(time.Second), time.Hour, 24*time.Hour))
	now := t0.Add(time.Minute)
	a2 := e.successor(t, a, now)
	if err := r.Rotate(t.Context(), a.Hash, a2, now); err != nil {
		t.Fatalf("Rotate = %v", err)
	}
	n := session(t, e.user, now, time.Hour, 24*time.Hour)
	ended, err := c.CreateCapped(t.Context(), n, 2)
	if err != nil {
		t.Fatalf("CreateCapped = %v", err)
	}
	// The rotated session keeps a's creation time: it is the oldest.
	if got, want := hashHandles(ended), []string{a2.Hash.Handle()}; !equalStrings(got, want) {
		t.Errorf("CreateCapped ended %v; want %v (the rotated session, once)", got, want)
	}
	if got, want := handles(e.list(t, e.user, now)), []string{n.Hash.Handle(), b.Hash.Handle()}; !equalStrings(got, want) {
		t.Errorf("List = %v; want %v", got, want)
	}
}

func testRotateCapConcurrent(t *testing.T, e *env) {
	r, c := e.rotator(t), e.capper(t)
	const max = 2
	for range 5 {
		var sessions, nexts []cookie.Session
		for i := range 3 {
			s := session(t, e.user, t0.Add(time.Duration(i)*time.Second), time.Hour, 24*time.Hour)
			if _, err := c.CreateCapped(t.Context(), s, 3); err != nil {
				t.Fatal(err)
			}
			sessions = append(sessions, s)
			nexts = append(nexts, e.successor(t, s, t0.Add(time.Minute)))
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 2*len(sessions))
		for i := range sessions {
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = r.Rotate(context.Background(), sessions[i].Hash, nexts[i], t0.Add(time.Minute))
			}()
			go func() {
				defer wg.Done()
				<-start
				_, errs[len(sessions)+i] = c.CreateCapped(context.Background(), session(t, e.user, t0.Add(time.Minute), time.Hour, 24*time.Hour), max)
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil && !errors.Is(err, cookie.ErrNotFound) {
				t.Fatalf("Rotate/CreateCapped = %v", err)
			}
		}
		if got := e.list(t, e.user, t0.Add(time.Minute)); len(got) > max {
			t.Fatalf("%d live sessions after capped logins racing rotations; want at most %d", len(got), max)
		}
		if _, err := e.Store.DeleteUser(t.Context(), e.user); err != nil {
			t.Fatal(err)
		}
	}
}
