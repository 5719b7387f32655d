package cookie_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/strategy/cookie"
)

// TestLookupAgreesWithFind checks the Looker fast path of every store that
// offers one against Find, and that Authenticate on the unwrapped store
// (which uses it) still enforces expiry and logout.
func TestLookupAgreesWithFind(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		looker, ok := e.store.Store.(cookie.Looker)
		if !ok {
			t.Skip("this store has no Lookup")
		}
		ctx := context.Background()
		now := e.clock.Now()
		sess := cookie.Session{
			Hash: cookie.HashID("lookup-agrees"), UserID: "alice",
			CreatedAt: now, LastSeenAt: now, IdleUntil: now.Add(time.Minute), ExpiresAt: now.Add(time.Hour),
			UserAgent: "ua", IP: "192.0.2.1",
		}
		if err := e.store.Store.Create(ctx, sess); err != nil {
			t.Fatal(err)
		}
		found, err := e.store.Store.Find(ctx, sess.Hash, now)
		if err != nil {
			t.Fatalf("Find = %v; want nil", err)
		}
		got, err := looker.Lookup(ctx, sess.Hash, now)
		if err != nil {
			t.Fatalf("Lookup = %v; want nil", err)
		}
		if got.UserID != found.UserID || !got.LastSeenAt.Equal(found.LastSeenAt) ||
			!got.IdleUntil.Equal(found.IdleUntil) || !got.ExpiresAt.Equal(found.ExpiresAt) {
			t.Errorf("Lookup = %+v; want the fields of Find %+v", got, found)
		}
		for _, tc := range []struct {
			name string
			h    cookie.Hash
			at   time.Time
		}{
			{"a missing session is not found", cookie.HashID("missing"), now},
			{"a session at its idle deadline is not found", sess.Hash, sess.IdleUntil},
			{"a session past its idle deadline is not found", sess.Hash, sess.IdleUntil.Add(time.Second)},
		} {
			if _, err := looker.Lookup(ctx, tc.h, tc.at); !errors.Is(err, cookie.ErrNotFound) {
				t.Errorf("%s: Lookup = %v; want ErrNotFound", tc.name, err)
			}
		}

		s, err := cookie.New([][]byte{key1}, e.store.Store, cookie.Options{Now: e.clock.Now, Events: e.events.Record})
		if err != nil {
			t.Fatal(err)
		}
		v := login(t, s, "bob")
		if id, err := authenticate(s, v); err != nil || id.UserID != "bob" {
			t.Fatalf("authenticate = %q, %v; want bob, nil", id.UserID, err)
		}
		if err := s.Logout(newRequest().AddCookie(s.CookieName(), v), newRecorder()); err != nil {
			t.Fatal(err)
		}
		if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
			t.Errorf("authenticate after logout = %v; want ErrUnknownSession", err)
		}
		v = login(t, s, "bob")
		e.clock.Advance(cookie.DefaultIdleTimeout)
		if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
			t.Errorf("authenticate after the idle timeout = %v; want ErrUnknownSession", err)
		}
	})
}
