package cookie_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/cookie"
)

// sign builds a cookie value the way the specification says, independently
// of the package: <id>.<base64url(HMAC-SHA256(key, name "\x00" id))>.
func sign(key []byte, name, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(name + "\x00" + id))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func randomID() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// IDs are 32 bytes from crypto/rand, base64url, unique and
// carry no user data.
func TestSessionIDsAreRandomUniqueAndMeaningless(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		s := e.strategy(t, cookie.Options{})
		const user = "alice@example.com"
		seen := map[string]bool{}
		for i := 0; i < 200; i++ {
			v := login(t, s, user)
			id, sig := valueParts(v)
			raw, err := base64.RawURLEncoding.Strict().DecodeString(id)
			if err != nil || len(raw) != 32 || len(id) != 43 {
				t.Fatalf("session ID %q decodes to %d bytes (err %v); want 32", id, len(raw), err)
			}
			if len(v) != 87 || len(sig) != 43 {
				t.Fatalf("cookie value has length %d; want 87", len(v))
			}
			if want := sign(key1, s.CookieName(), id); v != want {
				t.Fatalf("cookie value = %q; want %q", v, want)
			}
			if seen[id] {
				t.Fatalf("session ID %q issued twice", id)
			}
			seen[id] = true
			if strings.Contains(strings.ToLower(id), "alice") || bytes.Contains(raw, []byte(user)) {
				t.Fatalf("session ID %q contains user data", id)
			}
		}
	})
}

// __Host- prefix, Secure, HttpOnly, explicit SameSite, Path=/,
// no Domain, no expiry unless persistent, under 4096 bytes.
func TestCookieAttributesAreExact(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		opts cookie.Options
		want string // with V for the value and EXP for the expiry
	}{
		{"the default is a __Host- browser-session cookie with SameSite=Lax",
			cookie.Options{},
			"__Host-gobware_session=V; Path=/; HttpOnly; Secure; SameSite=Lax"},
		{"Strict is honoured",
			cookie.Options{SameSite: http.SameSiteStrictMode},
			"__Host-gobware_session=V; Path=/; HttpOnly; Secure; SameSite=Strict"},
		{"Lax given explicitly is Lax",
			cookie.Options{SameSite: http.SameSiteLaxMode},
			"__Host-gobware_session=V; Path=/; HttpOnly; Secure; SameSite=Lax"},
		{"a persistent login expires with the absolute lifetime",
			cookie.Options{Persistent: true, Lifetime: day},
			"__Host-gobware_session=V; Path=/; Expires=EXP; Max-Age=86400; HttpOnly; Secure; SameSite=Lax"},
		{"a custom __Host- name is kept",
			cookie.Options{CookieName: "__Host-shop"},
			"__Host-shop=V; Path=/; HttpOnly; Secure; SameSite=Lax"},
		{"insecure cookies drop Secure and the prefix only",
			cookie.Options{InsecureCookies: true},
			"gobware_session=V; Path=/; HttpOnly; SameSite=Lax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(cookie.NewMemoryStore(), nil, "")
			s := e.strategy(t, tt.opts)
			w := newRecorder()
			if err := s.Login(newRequest(), w, "alice"); err != nil {
				t.Fatal(err)
			}
			c := w.only()
			if c == nil {
				t.Fatalf("Login wrote %d cookies; want 1", len(w.Cookies))
			}
			want := strings.NewReplacer("V", c.Value, "EXP", e.clock.Now().Add(day).Format(http.TimeFormat)).Replace(tt.want)
			if got := c.String(); got != want {
				t.Errorf("Set-Cookie = %q; want %q", got, want)
			}
			if c.Domain != "" {
				t.Errorf("Domain = %q; want none", c.Domain)
			}
			if n := len(c.Name) + len(c.Value); n >= 4096 {
				t.Errorf("name+value = %d bytes; want < 4096", n)
			}
			if got := w.Headers.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q; want no-store", got)
			}
		})
	}
}

func TestNewRefusesUnsafeOptions(t *testing.T) {
	short := make([]byte, 31)
	tests := []struct {
		name string
		keys [][]byte
		opts cookie.Options
		want error
	}{
		{"SameSite=None is refused", [][]byte{key1}, cookie.Options{SameSite: http.SameSiteNoneMode}, cookie.ErrSameSiteNone},
		{"SameSite default mode (no attribute) is refused", [][]byte{key1}, cookie.Options{SameSite: http.SameSiteDefaultMode}, cookie.ErrSameSiteNone},
		{"an unknown SameSite value is refused", [][]byte{key1}, cookie.Options{SameSite: 42}, cookie.ErrSameSiteNone},
		{"no key is refused", nil, cookie.Options{}, cookie.ErrBadKey},
		{"a 31-byte key is refused", [][]byte{short}, cookie.Options{}, cookie.ErrBadKey},
		{"a short key anywhere in the ring is refused", [][]byte{key1, short}, cookie.Options{}, cookie.ErrBadKey},
		{"a secure cookie name without __Host- is refused", [][]byte{key1}, cookie.Options{CookieName: "session"}, cookie.ErrBadOption},
		{"an insecure cookie with the __Host- prefix is refused", [][]byte{key1}, cookie.Options{CookieName: "__Host-s", InsecureCookies: true}, cookie.ErrBadOption},
		{"an insecure cookie with the __Secure- prefix is refused", [][]byte{key1}, cookie.Options{CookieName: "__Secure-s", InsecureCookies: true}, cookie.ErrBadOption},
		{"a cookie name with a space is refused", [][]byte{key1}, cookie.Options{CookieName: "__Host-a b"}, cookie.ErrBadOption},
		{"a negative idle timeout is refused", [][]byte{key1}, cookie.Options{IdleTimeout: -time.Second}, cookie.ErrBadOption},
		{"a negative lifetime is refused", [][]byte{key1}, cookie.Options{Lifetime: -time.Second}, cookie.ErrBadOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cookie.New(tt.keys, cookie.NewMemoryStore(), tt.opts)
			if !errors.Is(err, tt.want) || s != nil {
				t.Errorf("New(%+v) = %v, %v; want nil, %v", tt.opts, s, err, tt.want)
			}
		})
	}
	if _, err := cookie.New([][]byte{key1}, nil, cookie.Options{}); !errors.Is(err, cookie.ErrBadOption) {
		t.Errorf("New with a nil store = %v; want %v", err, cookie.ErrBadOption)
	}
}

// Signature over name and ID, hmac.Equal, length and alphabet
// checked before decoding, a forged value costs no store call.
func TestForgedCookiesAreRefusedWithoutStoreQuery(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		s := e.strategy(t, cookie.Options{})
		good := login(t, s, "alice")
		id, sig := valueParts(good)
		flip := func(str string, i int) string {
			b := []byte(str)
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			return string(b)
		}
		// The signature's last character carries 4 data bits and 2 zero
		// padding bits; setting a padding bit gives a non-canonical text.
		last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", sig[42])
		nonCanonical := sig[:42] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last|1])
		tests := []struct {
			name  string
			value string
			want  error
		}{
			{"a tampered ID", flip(id, 5) + "." + sig, cookie.ErrBadSignature},
			{"a tampered signature", id + "." + flip(sig, 10), cookie.ErrBadSignature},
			{"a signature with non-canonical padding bits", id + "." + nonCanonical, cookie.ErrMalformed},
			{"a value truncated by one character", good[:len(good)-1], cookie.ErrMalformed},
			{"the ID alone", id, cookie.ErrMalformed},
			{"the ID and the dot", id + ".", cookie.ErrMalformed},
			{"a value extended by one character", good + "A", cookie.ErrMalformed},
			{"a value with a second dot-part", good + ".x", cookie.ErrMalformed},
			{"an empty value", "", cookie.ErrMalformed},
			{"a value in quotes", `"` + good[1:len(good)-1] + `"`, cookie.ErrMalformed},
			{"a value with surrounding spaces", " " + good[1:len(good)-1] + " ", cookie.ErrMalformed},
			{"standard base64 characters", "+" + good[1:], cookie.ErrMalformed},
			{"base64 padding", good[:len(good)-1] + "=", cookie.ErrMalformed},
			{"the dot moved", id[:42] + "." + id[42:] + sig[:42], cookie.ErrMalformed},
			{"no dot at all", id + "A" + sig, cookie.ErrMalformed},
			{"a NUL byte", good[:20] + "\x00" + good[21:], cookie.ErrMalformed},
			{"CR LF", good[:20] + "\r\n" + good[22:], cookie.ErrMalformed},
			{"a 10 KiB value", strings.Repeat("A", 10<<10), cookie.ErrMalformed},
			{"87 dots", strings.Repeat(".", 87), cookie.ErrMalformed},
			{"a value signed with another key", sign(key2, s.CookieName(), id), cookie.ErrBadSignature},
			{"a value signed for another cookie name", sign(key1, "__Host-other", id), cookie.ErrBadSignature},
			{"a value signed with an empty key", sign(nil, s.CookieName(), id), cookie.ErrBadSignature},
			{"a random ID with a random signature", randomID() + "." + randomID(), cookie.ErrBadSignature},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.store.reset()
				before := e.events.Count(core.EventInvalidSignature)
				_, err := authenticate(s, tt.value)
				if !errors.Is(err, tt.want) || !errors.Is(err, core.ErrInvalidCredential) {
					t.Errorf("Authenticate(%q) = %v; want %v", tt.value, err, tt.want)
				}
				if got := core.Status(err); got != http.StatusUnauthorized {
					t.Errorf("Status(Authenticate(%q)) = %d; want 401", tt.value, got)
				}
				if n := e.store.total(); n != 0 {
					t.Errorf("Authenticate(%q) made %d store calls; want 0", tt.value, n)
				}
				if got := e.events.Count(core.EventInvalidSignature) - before; got != 1 {
					t.Errorf("Authenticate(%q) reported %d invalid_signature events; want 1", tt.value, got)
				}
			})
		}
		if _, err := authenticate(s, good); err != nil {
			t.Errorf("Authenticate(genuine) = %v; want success", err)
		}
	})
}

func TestCookieMovedToAnotherNameIsRefused(t *testing.T) {
	store := cookie.NewMemoryStore()
	shop, err := cookie.New([][]byte{key1}, store, cookie.Options{CookieName: "__Host-shop", Events: (&coretest.Events{}).Record})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := cookie.New([][]byte{key1}, store, cookie.Options{CookieName: "__Host-admin", Events: (&coretest.Events{}).Record})
	if err != nil {
		t.Fatal(err)
	}
	v := login(t, shop, "alice")
	if _, err := authenticate(admin, v); !errors.Is(err, cookie.ErrBadSignature) {
		t.Errorf("Authenticate(shop's value under admin's name) = %v; want %v", err, cookie.ErrBadSignature)
	}
}

func TestKeyRotationKeepsSessionsUntilTheOldKeyIsRemoved(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		old := e.strategy(t, cookie.Options{}, key1)
		v := login(t, old, "alice")
		tests := []struct {
			name string
			keys [][]byte
			ok   bool
		}{
			{"the old key second in the ring still verifies", [][]byte{key2, key1}, true},
			{"the old key third in the ring still verifies", [][]byte{key3, key2, key1}, true},
			{"a ring without the old key refuses", [][]byte{key2, key3}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := e.strategy(t, cookie.Options{}, tt.keys...)
				e.store.reset()
				id, err := authenticate(s, v)
				if tt.ok && (err != nil || id.UserID != "alice") {
					t.Errorf("Authenticate(old cookie) = %+v, %v; want alice", id, err)
				}
				if !tt.ok && (!errors.Is(err, cookie.ErrBadSignature) || e.store.total() != 0) {
					t.Errorf("Authenticate(old cookie) = %v with %d store calls; want %v and 0", err, e.store.total(), cookie.ErrBadSignature)
				}
			})
		}
		t.Run("the first key of the ring signs new cookies", func(t *testing.T) {
			rotated := e.strategy(t, cookie.Options{}, key2, key1)
			nv := login(t, rotated, "bob")
			id, _ := valueParts(nv)
			if want := sign(key2, rotated.CookieName(), id); nv != want {
				t.Errorf("cookie value = %q; want %q", nv, want)
			}
			newOnly := e.strategy(t, cookie.Options{}, key2)
			if got, err := authenticate(newOnly, nv); err != nil || got.UserID != "bob" {
				t.Errorf("Authenticate(new cookie) after dropping the old key = %+v, %v; want bob", got, err)
			}
		})
	})
}

// An ID the server did not issue, or one expired or deleted,
// is never adopted; the event hook hears about it.
func TestStrictModeNeverAdoptsUnknownSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		s := e.strategy(t, cookie.Options{IdleTimeout: 30 * time.Minute, Lifetime: 2 * time.Hour})
		tests := []struct {
			name  string
			value func(t *testing.T) string
		}{
			{"a correctly signed ID the server never issued", func(t *testing.T) string {
				return sign(key1, s.CookieName(), randomID())
			}},
			{"a session past its idle timeout", func(t *testing.T) string {
				v := login(t, s, "alice")
				e.clock.Advance(30 * time.Minute)
				return v
			}},
			{"a session past its absolute lifetime", func(t *testing.T) string {
				v := login(t, s, "alice")
				for i := 0; i < 5; i++ {
					e.clock.Advance(20 * time.Minute)
					if _, err := authenticate(s, v); err != nil {
						t.Fatalf("Authenticate at %d minutes = %v; want success", 20*(i+1), err)
					}
				}
				e.clock.Advance(20 * time.Minute) // 120 minutes: the lifetime
				return v
			}},
			{"a session replayed after logout", func(t *testing.T) string {
				v := login(t, s, "alice")
				if err := s.Logout(newRequest().AddCookie(s.CookieName(), v), newRecorder()); err != nil {
					t.Fatal(err)
				}
				return v
			}},
			{"a session ended by handle", func(t *testing.T) string {
				v := login(t, s, "alice")
				h := s.CurrentHandle(newRequest().AddCookie(s.CookieName(), v))
				if err := s.End(context.Background(), "alice", h); err != nil {
					t.Fatal(err)
				}
				return v
			}},
			{"a session ended by logout everywhere", func(t *testing.T) string {
				v := login(t, s, "alice")
				if _, err := s.LogoutEverywhere(context.Background(), "alice"); err != nil {
					t.Fatal(err)
				}
				return v
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v := tt.value(t)
				e.store.reset()
				before := e.events.Count(core.EventUnknownSession)
				id, err := authenticate(s, v)
				if !errors.Is(err, cookie.ErrUnknownSession) || !errors.Is(err, core.ErrInvalidCredential) || id.UserID != "" {
					t.Errorf("Authenticate(%q) = %+v, %v; want %v", v, id, err, cookie.ErrUnknownSession)
				}
				if n := e.store.create.Load() + e.store.touch.Load(); n != 0 {
					t.Errorf("Authenticate(%q) wrote to the store %d times; want 0", v, n)
				}
				if got := e.events.Count(core.EventUnknownSession) - before; got != 1 {
					t.Errorf("Authenticate(%q) reported %d unknown_session events; want 1", v, got)
				}
				// Still unknown on a second try: nothing was adopted.
				if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
					t.Errorf("second Authenticate(%q) = %v; want %v", v, err, cookie.ErrUnknownSession)
				}
			})
		}
	})
}

// A new ID on every login; the previous row is deleted.
func TestLoginIssuesNewIDAndDeletesThePreviousSession(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		s := e.strategy(t, cookie.Options{})
		tests := []struct {
			name    string
			planted func(t *testing.T) []string
		}{
			{"an attacker's own session planted in the victim's browser", func(t *testing.T) []string {
				return []string{login(t, s, "mallory")}
			}},
			{"the victim's previous session", func(t *testing.T) []string {
				return []string{login(t, s, "victim")}
			}},
			{"two planted sessions at once", func(t *testing.T) []string {
				return []string{login(t, s, "mallory"), login(t, s, "mallory")}
			}},
			{"a signed ID the server never issued", func(t *testing.T) []string {
				return []string{sign(key1, s.CookieName(), randomID())}
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				old := tt.planted(t)
				r := newRequest()
				for _, v := range old {
					r.AddCookie(s.CookieName(), v)
				}
				w := newRecorder()
				if err := s.Login(r, w, "victim"); err != nil {
					t.Fatal(err)
				}
				c := w.only()
				if c == nil {
					t.Fatal("Login set no cookie")
				}
				newID, _ := valueParts(c.Value)
				for _, v := range old {
					oldID, _ := valueParts(v)
					if oldID == newID {
						t.Errorf("Login reused the ID %q", oldID)
					}
					if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
						t.Errorf("Authenticate(old cookie) = %v; want %v", err, cookie.ErrUnknownSession)
					}
					if _, err := e.store.Find(context.Background(), cookie.HashID(oldID), e.clock.Now()); !errors.Is(err, cookie.ErrNotFound) {
						t.Errorf("Find(old hash) = %v; want %v", err, cookie.ErrNotFound)
					}
				}
				if id, err := authenticate(s, c.Value); err != nil || id.UserID != "victim" {
					t.Errorf("Authenticate(new cookie) = %+v, %v; want victim", id, err)
				}
			})
		}
	})
}

// Idle timeout and absolute lifetime enforced in the lookup,
// times in UTC, injectable clock.
func TestExpiryIsEnforcedInTheLookup(t *testing.T) {
	const idle, life = 30 * time.Minute, 2 * time.Hour
	tests := []struct {
		name  string
		steps []time.Duration // pauses between authenticated requests; the last one decides
		ok    bool
	}{
		{"a request one second before the idle deadline succeeds", []time.Duration{idle - time.Second}, true},
		{"a request exactly at the idle deadline fails", []time.Duration{idle}, false},
		{"activity pushes the idle deadline back", []time.Duration{20 * time.Minute, 20 * time.Minute, 20 * time.Minute}, true},
		{"a pause longer than the idle timeout after activity fails", []time.Duration{20 * time.Minute, 31 * time.Minute}, false},
		{"activity cannot pass the absolute lifetime", []time.Duration{25 * time.Minute, 25 * time.Minute, 25 * time.Minute, 25 * time.Minute, 20 * time.Minute}, false},
		{"activity up to just before the absolute lifetime succeeds", []time.Duration{25 * time.Minute, 25 * time.Minute, 25 * time.Minute, 25 * time.Minute, 19 * time.Minute}, true},
	}
	eachStore(t, func(t *testing.T, e *env) {
		s := e.strategy(t, cookie.Options{IdleTimeout: idle, Lifetime: life})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v := login(t, s, "alice")
				var err error
				for i, d := range tt.steps {
					e.clock.Advance(d)
					_, err = authenticate(s, v)
					if i < len(tt.steps)-1 && err != nil {
						t.Fatalf("Authenticate after step %d = %v; want success", i, err)
					}
				}
				if tt.ok && err != nil {
					t.Errorf("Authenticate = %v; want success", err)
				}
				if !tt.ok && !errors.Is(err, cookie.ErrUnknownSession) {
					t.Errorf("Authenticate = %v; want %v", err, cookie.ErrUnknownSession)
				}
			})
		}
		t.Run("the store itself never returns an expired row, before any cleanup", func(t *testing.T) {
			now := e.clock.Now()
			h := cookie.HashID(randomID())
			err := e.store.Create(context.Background(), cookie.Session{Hash: h, UserID: "carol",
				CreatedAt: now, LastSeenAt: now, IdleUntil: now.Add(time.Minute), ExpiresAt: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			for _, at := range []time.Time{now.Add(time.Minute), now.Add(2 * time.Hour)} {
				if _, err := e.store.Find(context.Background(), h, at); !errors.Is(err, cookie.ErrNotFound) {
					t.Errorf("Find(h, %v) = %v; want %v", at, err, cookie.ErrNotFound)
				}
				if l, err := e.store.List(context.Background(), "carol", at); err != nil || len(l) != 0 {
					t.Errorf("List(carol, %v) = %d sessions, %v; want none", at, len(l), err)
				}
			}
		})
	})
}

func TestTimesAreStoredInUTC(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		tokyo := time.FixedZone("JST", 9*3600)
		s := e.strategy(t, cookie.Options{Now: func() time.Time { return e.clock.Now().In(tokyo) }})
		login(t, s, "alice")
		list, err := s.Sessions(context.Background(), "alice")
		if err != nil || len(list) != 1 {
			t.Fatalf("Sessions(alice) = %d, %v; want 1 session", len(list), err)
		}
		got := list[0]
		for name, tm := range map[string]time.Time{"CreatedAt": got.CreatedAt, "LastSeenAt": got.LastSeenAt, "IdleUntil": got.IdleUntil, "ExpiresAt": got.ExpiresAt} {
			if tm.Location() != time.UTC {
				t.Errorf("%s location = %v; want UTC", name, tm.Location())
			}
		}
		if !got.CreatedAt.Equal(e.clock.Now()) {
			t.Errorf("CreatedAt = %v; want %v", got.CreatedAt, e.clock.Now())
		}
	})
}

func TestTouchWritesAtMostOncePerInterval(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		const idle, life, every = 30 * time.Minute, time.Hour, time.Minute
		s := e.strategy(t, cookie.Options{IdleTimeout: idle, Lifetime: life, TouchInterval: every})
		v := login(t, s, "alice")
		e.store.reset()
		for i := 0; i < 10; i++ {
			e.clock.Advance(5 * time.Second) // 50 s in all: inside the interval
			if _, err := authenticate(s, v); err != nil {
				t.Fatal(err)
			}
		}
		if n := e.store.touch.Load(); n != 0 {
			t.Errorf("10 requests inside the touch interval made %d Touch calls; want 0", n)
		}
		e.clock.Advance(10 * time.Second) // 60 s since login
		if _, err := authenticate(s, v); err != nil {
			t.Fatal(err)
		}
		if n := e.store.touch.Load(); n != 1 {
			t.Errorf("a request after the touch interval made %d Touch calls; want 1", n)
		}
		list, err := s.Sessions(context.Background(), "alice")
		if err != nil || len(list) != 1 {
			t.Fatalf("Sessions = %d, %v", len(list), err)
		}
		now := e.clock.Now()
		if !list[0].LastSeenAt.Equal(now) || !list[0].IdleUntil.Equal(now.Add(idle)) {
			t.Errorf("after Touch: LastSeenAt %v, IdleUntil %v; want %v, %v", list[0].LastSeenAt, list[0].IdleUntil, now, now.Add(idle))
		}
		// Near the end of the lifetime the idle deadline stops at ExpiresAt.
		for i := 0; i < 3; i++ {
			e.clock.Advance(15 * time.Minute)
			if _, err := authenticate(s, v); err != nil {
				t.Fatal(err)
			}
		}
		list, _ = s.Sessions(context.Background(), "alice")
		if len(list) != 1 || !list[0].IdleUntil.Equal(list[0].ExpiresAt) {
			t.Errorf("IdleUntil near the end = %v; want ExpiresAt %v", list[0].IdleUntil, list[0].ExpiresAt)
		}
	})
}

// Logout deletes the row and expires the cookie with
// identical attributes; no-store; log out everywhere; list; end by handle.
func TestLogoutDeletesTheRowAndExpiresTheCookie(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		s := e.strategy(t, cookie.Options{SameSite: http.SameSiteStrictMode})
		const want = "__Host-gobware_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Strict"
		tests := []struct {
			name  string
			value func() string // "" means no cookie
		}{
			{"a live session", func() string { return login(t, s, "alice") }},
			{"no cookie at all", func() string { return "" }},
			{"a forged cookie", func() string { return sign(key2, s.CookieName(), randomID()) }},
			{"a session that already ended", func() string {
				v := login(t, s, "alice")
				s.Logout(newRequest().AddCookie(s.CookieName(), v), newRecorder())
				return v
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v := tt.value()
				r := newRequest()
				if v != "" {
					r.AddCookie(s.CookieName(), v)
				}
				w := newRecorder()
				if err := s.Logout(r, w); err != nil {
					t.Fatalf("Logout = %v", err)
				}
				c := w.only()
				if c == nil || c.String() != want {
					t.Errorf("Logout Set-Cookie = %v; want %q", w.Cookies, want)
				}
				if got := w.Headers.Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control = %q; want no-store", got)
				}
				if v != "" {
					if _, err := authenticate(s, v); err == nil {
						t.Errorf("Authenticate(%q) after logout succeeded", v)
					}
					id, _ := valueParts(v)
					if _, err := e.store.Find(context.Background(), cookie.HashID(id), e.clock.Now()); !errors.Is(err, cookie.ErrNotFound) {
						t.Errorf("Find after logout = %v; want %v", err, cookie.ErrNotFound)
					}
				}
			})
		}
	})
}

func TestSessionsCanBeListedEndedByHandleAndLoggedOutEverywhere(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		s := e.strategy(t, cookie.Options{})
		var alice []string
		for i := 0; i < 3; i++ {
			alice = append(alice, login(t, s, "alice"))
			e.clock.Advance(time.Second)
		}
		bob := login(t, s, "bob")
		// A user ID differing only in case or trailing space is another user.
		alike := []string{login(t, s, "Alice"), login(t, s, "alice ")}

		list, err := s.Sessions(ctx, "alice")
		if err != nil || len(list) != 3 {
			t.Fatalf("Sessions(alice) = %d, %v; want 3", len(list), err)
		}
		for i, sess := range list {
			h := s.CurrentHandle(newRequest().AddCookie(s.CookieName(), alice[2-i]))
			if sess.Hash.Handle() != h || sess.UserID != "alice" {
				t.Errorf("Sessions(alice)[%d] has handle %q; want %q (newest first)", i, sess.Hash.Handle(), h)
			}
			if sess.IP != "192.0.2.7" {
				t.Errorf("Sessions(alice)[%d].IP = %q; want 192.0.2.7", i, sess.IP)
			}
		}

		bobHandle := s.CurrentHandle(newRequest().AddCookie(s.CookieName(), bob))
		if err := s.End(ctx, "alice", bobHandle); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("End(alice, bob's handle) = %v; want %v", err, cookie.ErrNotFound)
		}
		if err := s.End(ctx, "alice", ""); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("End(alice, \"\") = %v; want %v", err, cookie.ErrNotFound)
		}
		if err := s.End(ctx, "alice", list[0].Hash.Handle()); err != nil {
			t.Errorf("End(alice, newest) = %v", err)
		}
		if _, err := authenticate(s, alice[2]); !errors.Is(err, cookie.ErrUnknownSession) {
			t.Errorf("Authenticate(ended session) = %v; want %v", err, cookie.ErrUnknownSession)
		}
		if got := e.events.Count(core.EventSessionEnded); got != 1 {
			t.Errorf("session_ended events = %d; want 1", got)
		}

		n, err := s.LogoutEverywhere(ctx, "alice")
		if err != nil || n != 2 {
			t.Errorf("LogoutEverywhere(alice) = %d, %v; want 2", n, err)
		}
		for _, v := range alice {
			if _, err := authenticate(s, v); !errors.Is(err, cookie.ErrUnknownSession) {
				t.Errorf("Authenticate(alice's session) after LogoutEverywhere = %v; want %v", err, cookie.ErrUnknownSession)
			}
		}
		for _, v := range append(alike, bob) {
			if _, err := authenticate(s, v); err != nil {
				t.Errorf("Authenticate(another user's session) after LogoutEverywhere(alice) = %v; want success", err)
			}
		}
		if got := e.events.Count(core.EventLogoutEverywhere); got != 1 {
			t.Errorf("logout_everywhere events = %d; want 1", got)
		}
		if h := s.CurrentHandle(newRequest()); h != "" {
			t.Errorf("CurrentHandle(no cookie) = %q; want \"\"", h)
		}
	})
}

// The store keeps SHA-256 of the ID, never the ID; events and
// logs never contain IDs, cookie values or hashes.
func TestOnlyTheHashIsStoredAndNothingSecretIsLogged(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		var logs bytes.Buffer
		slogSink := core.LogEvents(slog.New(slog.NewTextHandler(&logs, nil)))
		s := e.strategy(t, cookie.Options{Events: func(ctx context.Context, ev core.Event) {
			e.events.Record(ctx, ev)
			slogSink(ctx, ev)
		}})
		v := login(t, s, "alice")
		id, sig := valueParts(v)
		h := cookie.HashID(id)
		secrets := []string{id, sig, v, hex.EncodeToString(h[:]), base64.RawURLEncoding.EncodeToString(h[:]), base64.StdEncoding.EncodeToString(h[:])}

		list, err := s.Sessions(context.Background(), "alice")
		if err != nil || len(list) != 1 || list[0].Hash != h {
			t.Fatalf("Sessions(alice) = %v, %v; want one session with hash SHA-256(ID)", list, err)
		}
		if fields := fmt.Sprintf("%v %v %v", list[0].UserID, list[0].UserAgent, list[0].IP); strings.Contains(fields, id) {
			t.Errorf("stored session contains the ID: %s", fields)
		}
		for _, row := range e.rawRows(t) {
			for col, val := range row {
				text := fmt.Sprintf("%v %s", val, val)
				if strings.Contains(text, id) {
					t.Errorf("column %s holds the session ID", col)
				}
			}
		}

		// Drive every event type.
		authenticate(s, v)
		authenticate(s, sign(key2, s.CookieName(), id))
		authenticate(s, id+".")
		authenticate(s, sign(key1, s.CookieName(), randomID()))
		s.Authenticate(newRequest().AddCookie(s.CookieName(), v).AddCookie(s.CookieName(), v))
		s.Logout(newRequest().AddCookie(s.CookieName(), v), newRecorder())
		v2 := login(t, s, "alice")
		s.End(context.Background(), "alice", s.CurrentHandle(newRequest().AddCookie(s.CookieName(), v2)))
		login(t, s, "alice")
		s.LogoutEverywhere(context.Background(), "alice")
		id2, sig2 := valueParts(v2)
		h2 := cookie.HashID(id2)
		secrets = append(secrets, id2, sig2, hex.EncodeToString(h2[:]))

		events := e.events.All()
		for _, want := range []core.EventType{core.EventLogin, core.EventLogout, core.EventLogoutEverywhere, core.EventSessionEnded, core.EventInvalidSignature, core.EventUnknownSession} {
			if e.events.Count(want) == 0 {
				t.Errorf("no %s event among %v", want, events)
			}
		}
		for _, ev := range events {
			text := fmt.Sprintf("%+v", ev)
			for _, secret := range secrets {
				if strings.Contains(text, secret) {
					t.Errorf("event %s contains a secret %q", text, secret)
				}
			}
			if ev.Strategy != "cookie" {
				t.Errorf("event %s has Strategy %q; want cookie", text, ev.Strategy)
			}
		}
		for _, secret := range secrets {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("log output contains a secret %q", secret)
			}
		}
		// Ref correlates the events of one session without being its hash.
		var loginRef, logoutRef string
		for _, ev := range events {
			if ev.Type == core.EventLogin && loginRef == "" {
				loginRef = ev.Ref
			}
			if ev.Type == core.EventLogout {
				logoutRef = ev.Ref
			}
		}
		if len(loginRef) != 12 || loginRef != logoutRef {
			t.Errorf("login Ref %q, logout Ref %q; want the same 12 characters", loginRef, logoutRef)
		}
	})
}

func TestEventRefsAreSaltedPerStrategy(t *testing.T) {
	store := cookie.NewMemoryStore()
	var a, b coretest.Events
	s1, _ := cookie.New([][]byte{key1}, store, cookie.Options{Events: a.Record})
	s2, _ := cookie.New([][]byte{key1}, store, cookie.Options{Events: b.Record})
	v := login(t, s1, "alice")
	authenticate(s2, v) // succeeds, no event
	s2.Logout(newRequest().AddCookie(s2.CookieName(), v), newRecorder())
	if a.All()[0].Ref == b.All()[0].Ref {
		t.Errorf("two strategies gave one session the same Ref %q", a.All()[0].Ref)
	}
}

func TestDuplicateCookiesAreRefused(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		s := e.strategy(t, cookie.Options{})
		good := login(t, s, "alice")
		other := login(t, s, "mallory")
		tests := []struct {
			name   string
			values []string
		}{
			{"the same valid cookie twice", []string{good, good}},
			{"a planted session before the genuine one", []string{other, good}},
			{"a genuine session before a planted one", []string{good, other}},
			{"a valid cookie and an empty one", []string{good, ""}},
			{"three cookies", []string{good, good, good}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := newRequest()
				for _, v := range tt.values {
					r.AddCookie(s.CookieName(), v)
				}
				e.store.reset()
				id, err := s.Authenticate(r)
				if !errors.Is(err, cookie.ErrDuplicateCookie) || !errors.Is(err, core.ErrInvalidCredential) || id.UserID != "" {
					t.Errorf("Authenticate(%d cookies) = %+v, %v; want %v", len(tt.values), id, err, cookie.ErrDuplicateCookie)
				}
				if n := e.store.total(); n != 0 {
					t.Errorf("Authenticate(duplicates) made %d store calls; want 0", n)
				}
				if h := s.CurrentHandle(r); h != "" {
					t.Errorf("CurrentHandle(duplicates) = %q; want \"\"", h)
				}
			})
		}
		// Cookies of other names are not ours to judge.
		r := newRequest().AddCookie("__Host-other", "x").AddCookie(s.CookieName(), good).AddCookie("theme", "dark")
		if id, err := s.Authenticate(r); err != nil || id.UserID != "alice" {
			t.Errorf("Authenticate(one session cookie among others) = %+v, %v; want alice", id, err)
		}
	})
}

func TestNoCookieIsNoCredential(t *testing.T) {
	s, _ := cookie.New([][]byte{key1}, cookie.NewMemoryStore(), cookie.Options{Events: (&coretest.Events{}).Record})
	for _, r := range []*coretest.Request{newRequest(), newRequest().AddCookie("gobware_session", "x"), newRequest().AddCookie("__host-gobware_session", "x")} {
		_, err := s.Authenticate(r)
		if !errors.Is(err, cookie.ErrNoCookie) || !errors.Is(err, core.ErrNoCredential) {
			t.Errorf("Authenticate(%+v) = %v; want %v", *r, err, cookie.ErrNoCookie)
		}
	}
}

// A store failure is a 5xx, never a 401, and nothing is written.
func TestStoreFailureIsNotUnauthorized(t *testing.T) {
	boom := errors.New("disk on fire")
	tests := []struct {
		name       string
		err        error
		wantStatus int
	}{
		{"a plain store error is a 500", boom, http.StatusInternalServerError},
		{"an unavailable backend is a 503", fmt.Errorf("db down: %w", core.ErrUnavailable), http.StatusServiceUnavailable},
		{"a store that claims a credential error is still a 500", fmt.Errorf("confused: %w", core.ErrInvalidCredential), http.StatusInternalServerError},
		{"a store that claims no credential is still a 500", core.ErrNoCredential, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cookie.New([][]byte{key1}, failingStore{tt.err}, cookie.Options{Events: (&coretest.Events{}).Record})
			if err != nil {
				t.Fatal(err)
			}
			v := sign(key1, s.CookieName(), randomID())
			_, err = authenticate(s, v)
			checkStoreError(t, "Authenticate", err, tt.wantStatus)

			w := newRecorder()
			err = s.Login(newRequest(), w, "alice")
			checkStoreError(t, "Login", err, tt.wantStatus)
			if len(w.Cookies) != 0 || len(w.Headers) != 0 {
				t.Errorf("failed Login wrote %v %v; want nothing", w.Cookies, w.Headers)
			}
			err = s.Login(newRequest().AddCookie(s.CookieName(), v), newRecorder(), "alice")
			checkStoreError(t, "Login over an old cookie", err, tt.wantStatus)

			w = newRecorder()
			err = s.Logout(newRequest().AddCookie(s.CookieName(), v), w)
			checkStoreError(t, "Logout", err, tt.wantStatus)
			if len(w.Cookies) != 1 || w.Cookies[0].MaxAge != -1 {
				t.Errorf("failed Logout cookies = %v; want the expiring cookie anyway", w.Cookies)
			}
			_, err = s.LogoutEverywhere(context.Background(), "alice")
			checkStoreError(t, "LogoutEverywhere", err, tt.wantStatus)
			_, err = s.Sessions(context.Background(), "alice")
			checkStoreError(t, "Sessions", err, tt.wantStatus)
			err = s.End(context.Background(), "alice", "x")
			checkStoreError(t, "End", err, tt.wantStatus)
		})
	}
	t.Run("a failing Touch fails the request", func(t *testing.T) {
		st := &touchFails{MemoryStore: cookie.NewMemoryStore(), err: boom}
		clk := coretest.NewClock(coretest.Epoch)
		s, _ := cookie.New([][]byte{key1}, st, cookie.Options{Now: clk.Now, Events: (&coretest.Events{}).Record})
		v := login(t, s, "alice")
		clk.Advance(2 * time.Minute)
		_, err := authenticate(s, v)
		checkStoreError(t, "Authenticate", err, http.StatusInternalServerError)
	})
	t.Run("a closed SQLite database is a 503", func(t *testing.T) {
		var e *env
		eachStore(t, func(t *testing.T, got *env) {
			if got.db != nil && got.db.Dialector.Name() == "sqlite" {
				e = got
				s := e.strategy(t, cookie.Options{})
				v := login(t, s, "alice")
				sqlDB, _ := e.db.DB()
				sqlDB.Close()
				_, err := authenticate(s, v)
				checkStoreError(t, "Authenticate", err, http.StatusServiceUnavailable)
			}
		})
		if e == nil {
			t.Fatal("no SQLite store was tested")
		}
	})
}

type touchFails struct {
	*cookie.MemoryStore
	err error
}

func (s *touchFails) Touch(context.Context, cookie.Hash, time.Time, time.Time) error { return s.err }

func checkStoreError(t *testing.T, op string, err error, wantStatus int) {
	t.Helper()
	if !errors.Is(err, cookie.ErrStore) || errors.Is(err, core.ErrInvalidCredential) || errors.Is(err, core.ErrNoCredential) {
		t.Errorf("%s = %v; want an ErrStore that is no credential error", op, err)
	}
	if got := core.Status(err); got != wantStatus {
		t.Errorf("Status(%s error %v) = %d; want %d", op, err, got, wantStatus)
	}
}

func TestLoginRecordsCleanClientDetails(t *testing.T) {
	s, _ := cookie.New([][]byte{key1}, cookie.NewMemoryStore(), cookie.Options{Events: (&coretest.Events{}).Record})
	tests := []struct {
		name, ua, want string
	}{
		{"a normal user agent is kept", "Mozilla/5.0 (X11)", "Mozilla/5.0 (X11)"},
		{"control characters and NUL are dropped", "a\x00b\r\nc\x7f", "abc"},
		{"invalid UTF-8 is dropped", "a\xffb", "ab"},
		{"a long user agent is cut to 256 bytes", strings.Repeat("x", 1000), strings.Repeat("x", 256)},
		{"a cut never splits a character", strings.Repeat("x", 255) + "é", strings.Repeat("x", 255)},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := fmt.Sprint("user", i)
			r := newRequest()
			r.AddHeader("User-Agent", tt.ua)
			if err := s.Login(r, newRecorder(), user); err != nil {
				t.Fatal(err)
			}
			list, _ := s.Sessions(context.Background(), user)
			if len(list) != 1 || list[0].UserAgent != tt.want {
				t.Errorf("stored UserAgent for %q = %v; want %q", tt.ua, list, tt.want)
			}
		})
	}
	for _, bad := range []string{"", strings.Repeat("u", 256), "a\x00b", "\xff"} {
		if err := s.Login(newRequest(), newRecorder(), bad); !errors.Is(err, cookie.ErrBadUserID) {
			t.Errorf("Login(%q) = %v; want %v", bad, err, cookie.ErrBadUserID)
		}
	}
}
