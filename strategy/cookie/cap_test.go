package cookie_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// The store cases of the cap (oldest ended, dead sessions not counted,
// concurrent logins never above the cap) are in the conformance suite,
// cookietest, which every store runs; these are the Strategy's own.

func TestNewRefusesASessionCapTheStoreCannotEnforce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store cookie.Store
		max   int
		ok    bool
	}{
		{"a negative cap is refused", cookie.NewMemoryStore(), -1, false},
		{"a cap on a store without CreateCapped is refused", plainStore{cookie.NewMemoryStore()}, 2, false},
		{"no cap needs nothing of the store", plainStore{cookie.NewMemoryStore()}, 0, true},
		{"a cap on the memory store is accepted", cookie.NewMemoryStore(), 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cookie.New([][]byte{key1}, tc.store, cookie.Options{MaxSessionsPerUser: tc.max})
			if tc.ok && err != nil || !tc.ok && !errors.Is(err, cookie.ErrBadOption) {
				t.Errorf("New(MaxSessionsPerUser: %d) on %T = %v; want ok = %v (else %v)", tc.max, tc.store, err, tc.ok, cookie.ErrBadOption)
			}
		})
	}
}

func TestSessionCapIsOffByDefault(t *testing.T) {
	e := newEnv(cookie.NewMemoryStore(), nil, "")
	s := e.strategy(t, cookie.Options{})
	var values []string
	for range 10 {
		values = append(values, login(t, s, "alice"))
		e.clock.Advance(time.Second)
	}
	for i, v := range values {
		if _, err := authenticate(s, v); err != nil {
			t.Errorf("Authenticate(login %d of 10) without a cap = %v; want alice", i+1, err)
		}
	}
	if n := e.events.Count(core.EventSessionEnded); n != 0 {
		t.Errorf("session_ended events without a cap = %d; want 0", n)
	}
}

func TestSessionCapEndsEachSessionBeyondItWithOneEvent(t *testing.T) {
	e := newEnv(cookie.NewMemoryStore(), nil, "")
	uncapped := e.strategy(t, cookie.Options{})
	var old []string
	for range 3 {
		old = append(old, login(t, uncapped, "alice"))
		e.clock.Advance(time.Second)
	}
	bob := login(t, uncapped, "bob")
	capped := e.strategy(t, cookie.Options{MaxSessionsPerUser: 1})
	fresh := login(t, capped, "alice")
	for i, v := range old {
		if _, err := authenticate(capped, v); !errors.Is(err, cookie.ErrUnknownSession) {
			t.Errorf("Authenticate(old session %d) after a login under a cap of 1 = %v; want %v", i+1, err, cookie.ErrUnknownSession)
		}
	}
	for _, v := range []string{fresh, bob} {
		if _, err := authenticate(capped, v); err != nil {
			t.Errorf("Authenticate(the new session, or another user's) = %v; want a user", err)
		}
	}
	var ended []core.Event
	for _, ev := range e.events.All() {
		if ev.Type == core.EventSessionEnded {
			ended = append(ended, ev)
		}
	}
	refs := map[string]bool{}
	for _, ev := range ended {
		if ev.Reason != "session_cap" || ev.UserID != "alice" || ev.Strategy != cookie.StrategyName {
			t.Errorf("event %+v; want session_ended, reason session_cap, user alice", ev)
		}
		refs[ev.Ref] = true
	}
	if len(ended) != 3 || len(refs) != 3 {
		t.Errorf("session_ended events = %+v; want 3, one per ended session, each with its own ref", ended)
	}
}

func TestSessionCapEndsTheOldestAtOnceForTheCache(t *testing.T) {
	e := newEnv(cookie.NewMemoryStore(), nil, "")
	s := e.strategy(t, cookie.Options{MaxSessionsPerUser: 2, CacheTTL: time.Hour})
	first := login(t, s, "alice")
	if _, err := authenticate(s, first); err != nil { // now cached
		t.Fatalf("Authenticate(first) = %v", err)
	}
	e.clock.Advance(time.Second)
	login(t, s, "alice")
	e.clock.Advance(time.Second)
	login(t, s, "alice")
	if _, err := authenticate(s, first); !errors.Is(err, cookie.ErrUnknownSession) {
		t.Errorf("Authenticate(cached first session) after the cap ended it = %v; want %v", err, cookie.ErrUnknownSession)
	}
}

func TestSessionCapStoreFailureIsAStoreErrorAndSetsNoCookie(t *testing.T) {
	st := &failingCapper{Store: cookie.NewMemoryStore(), err: core.ErrUnavailable}
	s, err := cookie.New([][]byte{key1}, st, cookie.Options{MaxSessionsPerUser: 2, Events: func(context.Context, core.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	w := newRecorder()
	err = s.Login(newRequest(), w, "alice")
	if !errors.Is(err, cookie.ErrStore) || !errors.Is(err, core.ErrUnavailable) || errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Login with a failing CreateCapped = %v; want ErrStore wrapping core.ErrUnavailable", err)
	}
	if len(w.Cookies) != 0 {
		t.Errorf("Login with a failing CreateCapped set %d cookies; want none", len(w.Cookies))
	}
	if st.creates != 0 {
		t.Errorf("Login with a cap called Create %d times; want CreateCapped only", st.creates)
	}
}

// plainStore has only the methods of cookie.Store.
type plainStore struct{ cookie.Store }

// failingCapper is a store whose CreateCapped fails with err.
type failingCapper struct {
	cookie.Store
	err     error
	creates int
}

func (f *failingCapper) Create(ctx context.Context, s cookie.Session) error {
	f.creates++
	return f.Store.Create(ctx, s)
}

func (f *failingCapper) CreateCapped(context.Context, cookie.Session, int) ([]cookie.Hash, error) {
	return nil, f.err
}
