package cookie_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// FuzzAuthenticateCookieValue feeds arbitrary cookie values to Authenticate.
// It must never panic, must accept only the one genuine value, and must not
// reach the store unless the value carries a valid signature (checked here
// independently of the package).
func FuzzAuthenticateCookieValue(f *testing.F) {
	store := &countingStore{Store: cookie.NewMemoryStore()}
	s, err := cookie.New([][]byte{key1, key2}, store, cookie.Options{Events: func(context.Context, core.Event) {}})
	if err != nil {
		f.Fatal(err)
	}
	w := newRecorder()
	if err := s.Login(newRequest(), w, "alice"); err != nil {
		f.Fatal(err)
	}
	good := w.Cookies[0].Value
	id, _ := valueParts(good)
	for _, seed := range []string{
		good, "", ".", good + "A", good[:86], strings.ToUpper(good),
		sign(key3, s.CookieName(), id), sign(key2, s.CookieName(), id), sign(key1, "__Host-x", id),
		strings.Repeat("A", 87), strings.Repeat(".", 87), id + "." + id, "\x00\r\n", good[:43] + "=" + good[44:],
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		before := store.total()
		got, err := s.Authenticate(newRequest().AddCookie(s.CookieName(), v))
		calls := store.total() - before
		signed := len(v) == 87 && (v == sign(key1, s.CookieName(), v[:43]) || v == sign(key2, s.CookieName(), v[:43]))
		if calls > 0 && !signed {
			t.Fatalf("Authenticate(%q) made %d store calls for an unsigned value", v, calls)
		}
		// Only the genuine ID, signed by a key of the ring, gets in. (Under
		// -fuzz each worker process has its own store and session.)
		genuine := signed && v[:43] == id
		switch {
		case err == nil && (!genuine || got.UserID != "alice"):
			t.Fatalf("Authenticate(%q) = %+v; want refusal", v, got)
		case err != nil && genuine:
			t.Fatalf("Authenticate(genuine) = %v", err)
		case err != nil && !errors.Is(err, core.ErrInvalidCredential):
			t.Fatalf("Authenticate(%q) = %v; want an invalid credential", v, err)
		}
	})
}
