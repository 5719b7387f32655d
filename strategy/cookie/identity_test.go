package cookie_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// direct returns a Strategy on a bare memory store (no counting wrapper,
// so the strategy sees its Looker and Rotator), with e's clock and events.
func direct(t *testing.T, e *env, opts cookie.Options) (*cookie.Strategy, *cookie.MemoryStore) {
	t.Helper()
	m := cookie.NewMemoryStore()
	opts.Now, opts.Events = e.clock.Now, e.events.Record
	s, err := cookie.New([][]byte{key1}, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, m
}

func ptr(b bool) *bool { return &b }

// Whether the cookie persists is chosen at each login; the strategy-wide
// option is the default; an Update reissues the cookie with the same
// choice, expiring at the same absolute deadline.
func TestRememberIsChosenAtEachLogin(t *testing.T) {
	const (
		session    = "__Host-gobware_session=V; Path=/; HttpOnly; Secure; SameSite=Lax"
		persistent = "__Host-gobware_session=V; Path=/; Expires=EXP; Max-Age=AGE; HttpOnly; Secure; SameSite=Lax"
	)
	day := 24 * time.Hour
	tests := []struct {
		name       string
		persistent bool
		remember   *bool
		want       string
	}{
		{"no choice on a browser-session strategy is a browser-session cookie", false, nil, session},
		{"remember me on a browser-session strategy persists", false, ptr(true), persistent},
		{"not remembering on a browser-session strategy is a browser-session cookie", false, ptr(false), session},
		{"no choice on a persistent strategy persists", true, nil, persistent},
		{"not remembering on a persistent strategy is a browser-session cookie", true, ptr(false), session},
		{"remember me on a persistent strategy persists", true, ptr(true), persistent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(cookie.NewMemoryStore(), nil, "")
			s, _ := direct(t, e, cookie.Options{Persistent: tt.persistent, Lifetime: day, IdleTimeout: 3 * time.Hour})
			w := newRecorder()
			if err := s.LoginWith(newRequest(), w, "alice", core.LoginOptions{Remember: tt.remember}); err != nil {
				t.Fatal(err)
			}
			c := w.only()
			deadline := e.clock.Now().Add(day)
			want := strings.NewReplacer("V", c.Value, "EXP", deadline.Format(http.TimeFormat), "AGE", "86400").Replace(tt.want)
			if got := c.String(); got != want {
				t.Errorf("LoginWith Set-Cookie = %q; want %q", got, want)
			}

			// Two hours later, an update reissues the cookie: same
			// choice, same absolute deadline, 22 hours left.
			e.clock.Advance(2 * time.Hour)
			w2 := newRecorder()
			if _, err := s.Update(newRequest().AddCookie(s.CookieName(), c.Value), w2, core.SessionUpdate{}); err != nil {
				t.Fatalf("Update = %v", err)
			}
			c2 := w2.only()
			want = strings.NewReplacer("V", c2.Value, "EXP", deadline.Format(http.TimeFormat), "AGE", "79200").Replace(tt.want)
			if got := c2.String(); got != want {
				t.Errorf("Update Set-Cookie = %q; want %q", got, want)
			}
		})
	}
}

// Domain and Path need the __Secure- prefix; the cookie set at login and
// the one expiring it at logout carry both.
func TestCookieScopeOptions(t *testing.T) {
	tests := []struct {
		name       string
		opts       cookie.Options
		login, out string
	}{
		{"a domain shares the session with subdomains under __Secure-",
			cookie.Options{Domain: "example.com"},
			"__Secure-gobware_session=V; Path=/; Domain=example.com; HttpOnly; Secure; SameSite=Lax",
			"__Secure-gobware_session=; Path=/; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"},
		{"a path restricts the session under __Secure-",
			cookie.Options{Path: "/app"},
			"__Secure-gobware_session=V; Path=/app; HttpOnly; Secure; SameSite=Lax",
			"__Secure-gobware_session=; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"},
		{"a domain and a path with a custom __Secure- name",
			cookie.Options{CookieName: "__Secure-shop", Domain: "shop.example", Path: "/store"},
			"__Secure-shop=V; Path=/store; Domain=shop.example; HttpOnly; Secure; SameSite=Lax",
			"__Secure-shop=; Path=/store; Domain=shop.example; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"},
		{"a __Host- name with Path=/ given explicitly stays host-only",
			cookie.Options{Path: "/", CookieName: "__Host-shop"},
			"__Host-shop=V; Path=/; HttpOnly; Secure; SameSite=Lax",
			"__Host-shop=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"},
		{"insecure cookies may carry a domain for local development",
			cookie.Options{Domain: "localhost.test", InsecureCookies: true},
			"gobware_session=V; Path=/; Domain=localhost.test; HttpOnly; SameSite=Lax",
			"gobware_session=; Path=/; Domain=localhost.test; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(cookie.NewMemoryStore(), nil, "")
			s, _ := direct(t, e, tt.opts)
			w := newRecorder()
			if err := s.Login(newRequest(), w, "alice"); err != nil {
				t.Fatal(err)
			}
			c := w.only()
			if got, want := c.String(), strings.Replace(tt.login, "V", c.Value, 1); got != want {
				t.Errorf("Login Set-Cookie = %q; want %q", got, want)
			}
			if _, err := authenticate(s, c.Value); err != nil {
				t.Errorf("Authenticate(scoped cookie) = %v", err)
			}
			out := newRecorder()
			if err := s.Logout(newRequest().AddCookie(s.CookieName(), c.Value), out); err != nil {
				t.Fatal(err)
			}
			if got := out.only().String(); got != tt.out {
				t.Errorf("Logout Set-Cookie = %q; want %q (same name, domain and path, or the browser keeps the cookie)", got, tt.out)
			}
		})
	}
}

func TestNewRefusesTheHostPrefixWithADomainOrAPath(t *testing.T) {
	tests := []struct {
		name string
		opts cookie.Options
		says string
	}{
		{"a __Host- name with a domain", cookie.Options{CookieName: "__Host-s", Domain: "example.com"}, "__Secure-"},
		{"the default __Host- name given with a path", cookie.Options{CookieName: cookie.DefaultCookieName, Path: "/app"}, "__Secure-"},
		{"a path not starting with a slash", cookie.Options{Path: "app"}, "must start with /"},
		{"a domain that is not a domain", cookie.Options{Domain: "exa mple.com"}, "domain"},
		{"a scoped cookie without a prefix", cookie.Options{CookieName: "session", Domain: "example.com"}, "__Secure-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := cookie.New([][]byte{key1}, cookie.NewMemoryStore(), tt.opts)
			if s != nil || !errors.Is(err, cookie.ErrBadOption) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("New(%+v) = %v; want an ErrBadOption saying %q", tt.opts, err, tt.says)
			}
		})
	}
}

// Authenticate answers the method, the auth time, the expiry and the
// attributes of the login, from the store and from the cache alike, with
// one store read per request.
func TestIdentityCarriesTheLoginOptions(t *testing.T) {
	for _, ttl := range []time.Duration{0, time.Minute} {
		e := newEnv(cookie.NewMemoryStore(), nil, "")
		s, _ := direct(t, e, cookie.Options{CacheTTL: ttl, IdleTimeout: time.Hour})
		login := e.clock.Now()
		w := newRecorder()
		opts := core.LoginOptions{Method: core.MethodPasskey, Attributes: core.Attributes{core.RoleAttribute: {"admin"}, "tenant": {"acme"}}}
		if err := s.LoginWith(newRequest(), w, "alice", opts); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			e.clock.Advance(time.Second)
			id, err := authenticate(s, w.only().Value)
			if err != nil || id.UserID != "alice" || id.Method != core.MethodPasskey || !id.AuthTime.Equal(login) ||
				!id.HasRole("admin") || id.Attributes.Get("tenant") != "acme" || !id.Expires.Equal(login.Add(time.Hour)) {
				t.Errorf("cache TTL %v: Authenticate = %+v, %v; want passkey, %v, admin of acme, expiring %v", ttl, id, err, login, login.Add(time.Hour))
			}
		}
	}
}

func TestLoginRefusesWhatItCannotCarry(t *testing.T) {
	big := core.Attributes{"k": {strings.Repeat("x", core.MaxAttributesSize)}}
	tests := []struct {
		name string
		opts core.LoginOptions
		want error
	}{
		{"attributes over the bound", core.LoginOptions{Attributes: big}, core.ErrAttributesTooLarge},
		{"an empty attribute key", core.LoginOptions{Attributes: core.Attributes{"": {"x"}}}, core.ErrBadAttribute},
		{"a method with a space", core.LoginOptions{Method: "pass word"}, core.ErrBadMethod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(cookie.NewMemoryStore(), nil, "")
			s, m := direct(t, e, cookie.Options{})
			w := newRecorder()
			err := s.LoginWith(newRequest(), w, "alice", tt.opts)
			if !errors.Is(err, tt.want) || !errors.Is(err, core.ErrInvalidArgument) || core.Status(err) != 500 {
				t.Errorf("LoginWith(%s) = %v; want %v (a 500: the application's bug)", tt.name, err, tt.want)
			}
			if len(w.Cookies) != 0 || len(w.Headers) != 0 {
				t.Errorf("a refused login wrote %v %v", w.Cookies, w.Headers)
			}
			if got, _ := m.List(t.Context(), "alice", e.clock.Now()); len(got) != 0 {
				t.Errorf("a refused login stored %d sessions", len(got))
			}
		})
	}
	e := newEnv(cookie.NewMemoryStore(), nil, "")
	s, _ := direct(t, e, cookie.Options{})
	err := s.LoginWith(newRequest(), newRecorder(), "alice", core.LoginOptions{Attributes: big})
	if !strings.Contains(err.Error(), "at most 1024") {
		t.Errorf("the size error %q does not say the bound", err)
	}
}

// Update on a store without Rotator is refused as a configuration bug.
func TestUpdateNeedsARotator(t *testing.T) {
	e := newEnv(cookie.NewMemoryStore(), nil, "") // the counting wrapper hides Rotate
	s := e.strategy(t, cookie.Options{})
	v := login(t, s, "alice")
	_, err := s.Update(newRequest().AddCookie(s.CookieName(), v), newRecorder(), core.SessionUpdate{})
	if !errors.Is(err, cookie.ErrBadOption) || !strings.Contains(err.Error(), "Rotator") {
		t.Errorf("Update on a store without Rotate = %v; want ErrBadOption naming cookie.Rotator", err)
	}
}

// A step-up: the new cookie carries the new attributes and auth time, the
// old one stops at once even where it was cached, an event is reported,
// and a request without a session is told so.
func TestUpdateStepsUp(t *testing.T) {
	e := newEnv(cookie.NewMemoryStore(), nil, "")
	s, _ := direct(t, e, cookie.Options{CacheTTL: time.Minute})
	w := newRecorder()
	if err := s.LoginWith(newRequest(), w, "alice", core.LoginOptions{Method: core.MethodPassword, Attributes: core.Attributes{"tenant": {"acme"}}}); err != nil {
		t.Fatal(err)
	}
	old := w.only().Value
	if _, err := authenticate(s, old); err != nil { // cached now
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second) // the old cookie's entry is still fresh in the cache
	w2 := newRecorder()
	id, err := s.Update(newRequest().AddCookie(s.CookieName(), old), w2, core.SessionUpdate{Reauthenticated: true, Method: "password+totp"})
	if err != nil || id.Attributes.Get("tenant") != "acme" || !id.AuthTime.Equal(e.clock.Now()) || id.Method != "password+totp" {
		t.Fatalf("Update = %+v, %v; want the tenant kept, auth time now, method password+totp", id, err)
	}
	if w2.Headers.Get("Cache-Control") != "no-store" {
		t.Errorf("Update's Cache-Control = %q; want no-store", w2.Headers.Get("Cache-Control"))
	}
	if _, err := authenticate(s, old); !errors.Is(err, cookie.ErrUnknownSession) {
		t.Errorf("Authenticate(old cookie, cached before the update) = %v; want %v", err, cookie.ErrUnknownSession)
	}
	if got, err := authenticate(s, w2.only().Value); err != nil || core.RequireFreshLogin(got, time.Minute, e.clock.Now()) != nil {
		t.Errorf("Authenticate(new cookie) = %+v, %v; want a fresh login", got, err)
	}
	if e.events.Count(core.EventSessionUpdated) != 1 {
		t.Errorf("events %v lack %s", e.events.All(), core.EventSessionUpdated)
	}
	for _, tc := range []struct {
		name string
		req  func() error
		want error
	}{
		{"no cookie", func() error {
			_, err := s.Update(newRequest(), newRecorder(), core.SessionUpdate{})
			return err
		}, core.ErrNoCredential},
		{"too large attributes", func() error {
			_, err := s.Update(newRequest().AddCookie(s.CookieName(), w2.only().Value), newRecorder(),
				core.SessionUpdate{Attributes: core.Attributes{"k": {strings.Repeat("x", 2000)}}})
			return err
		}, core.ErrAttributesTooLarge},
	} {
		if err := tc.req(); !errors.Is(err, tc.want) {
			t.Errorf("Update with %s = %v; want %v", tc.name, err, tc.want)
		}
	}
}
