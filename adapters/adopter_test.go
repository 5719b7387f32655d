package adapters_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
)

// The tests in this file are written as an adopter's app would be: its own
// login and logout handlers and routes on each framework (see apps), using
// only the adapters' public API.

// seen is an event together with the request info its context carried.
type seen struct {
	core.Event
	info core.RequestInfo
}

type eventLog struct {
	mu     sync.Mutex
	events []seen
}

func (l *eventLog) record(ctx context.Context, e core.Event) {
	info, _ := core.RequestInfoFrom(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, seen{e, info})
}

func (l *eventLog) of(typ core.EventType) []seen {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []seen
	for _, e := range l.events {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// loggedSessions is a memory-backed session strategy whose events go to log.
func loggedSessions(t *testing.T, log *eventLog) (*cookie.Strategy, *cookie.MemoryStore) {
	t.Helper()
	store := cookie.NewMemoryStore()
	s, err := cookie.New([][]byte{testKey}, store, cookie.Options{Events: log.record})
	if err != nil {
		t.Fatal(err)
	}
	return s, store
}

func liveSessions(t *testing.T, s *cookie.Strategy) int {
	t.Helper()
	list, err := s.Sessions(context.Background(), "42")
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestLoginAndLogoutRefuseCrossOriginRequests(t *testing.T) {
	refused := []struct {
		name   string
		header [][2]string
	}{
		{"a cross-site form", [][2]string{{"Sec-Fetch-Site", "cross-site"}}},
		{"a same-site sibling", [][2]string{{"Sec-Fetch-Site", "same-site"}}},
		{"a foreign Origin without Fetch Metadata", [][2]string{{"Origin", "https://evil.example"}}},
		{"a same-origin Sec-Fetch-Site repeated with cross-site", [][2]string{{"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Site", "cross-site"}}},
		{"two Origin headers", [][2]string{{"Origin", "SELF"}, {"Origin", "https://evil.example"}}},
	}
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			var log eventLog
			sessions, _ := loggedSessions(t, &log)
			app := build(t, appConfig{sessions: sessions, auth: sessions})
			self := "http://" + app(httptest.NewRequest("GET", "/info", nil)).Request.Host
			victim := login(t, app).Cookies()[0]

			for _, tt := range refused {
				t.Run(tt.name, func(t *testing.T) {
					before := liveSessions(t, sessions)
					denied := len(log.of(core.EventCrossOriginDenied))
					for _, path := range []string{"/login", "/logout"} {
						r := httptest.NewRequest("POST", path, nil)
						r.AddCookie(victim)
						for _, h := range tt.header {
							r.Header.Add(h[0], strings.Replace(h[1], "SELF", self, 1))
						}
						res := app(r)
						if res.StatusCode != 403 {
							t.Errorf("POST %s = %d; want 403", path, res.StatusCode)
						}
						if c := res.Header.Values("Set-Cookie"); len(c) != 0 {
							t.Errorf("POST %s set cookies %q; want none", path, c)
						}
					}
					if got := liveSessions(t, sessions); got != before {
						t.Errorf("live sessions %d → %d; the refused requests touched the store", before, got)
					}
					r := httptest.NewRequest("GET", "/private", nil)
					r.AddCookie(victim)
					if res := app(r); res.StatusCode != 200 {
						t.Errorf("the victim's session after refused logout = %d; want 200 (still signed in)", res.StatusCode)
					}
					got := log.of(core.EventCrossOriginDenied)
					if len(got)-denied != 2 {
						t.Fatalf("%d cross_origin_denied events; want 2 (login and logout)", len(got)-denied)
					}
					for _, e := range got[denied:] {
						if e.Strategy != "cookie" || e.info.ID == "" || e.info.ClientIP != "127.0.0.1" {
							t.Errorf("event %+v; want strategy cookie with request ID and client IP", e)
						}
					}
				})
			}

			allowed := []struct {
				name   string
				header [][2]string
			}{
				{"a non-browser client (no Sec-Fetch-Site, no Origin)", nil},
				{"a same-origin browser request", [][2]string{{"Sec-Fetch-Site", "same-origin"}}},
				{"a user-initiated navigation", [][2]string{{"Sec-Fetch-Site", "none"}}},
				{"an Origin equal to the request's Host, without Fetch Metadata", [][2]string{{"Origin", "SELF"}}},
			}
			for _, tt := range allowed {
				t.Run(tt.name, func(t *testing.T) {
					r := httptest.NewRequest("POST", "/login", nil)
					for _, h := range tt.header {
						r.Header.Add(h[0], strings.Replace(h[1], "SELF", self, 1))
					}
					res := app(r)
					if res.StatusCode != 200 || len(res.Cookies()) != 1 {
						t.Fatalf("POST /login = %d with %d cookies; want 200 with the session cookie", res.StatusCode, len(res.Cookies()))
					}
					r = httptest.NewRequest("POST", "/logout", nil)
					r.AddCookie(res.Cookies()[0])
					for _, h := range tt.header {
						r.Header.Add(h[0], strings.Replace(h[1], "SELF", self, 1))
					}
					if out := app(r); out.StatusCode != 200 || len(out.Cookies()) != 1 || out.Cookies()[0].MaxAge != -1 {
						t.Errorf("POST /logout = %d with cookies %v; want 200 with the expiring cookie", out.StatusCode, out.Header.Values("Set-Cookie"))
					}
				})
			}
		})
	}
}

// TestCookieWritesThroughTheMiddlewareCheckTheOriginOfRealRequests holds the
// guard to the same origin rules as the login helpers, with requests that
// cross a socket (repeated headers, the real Host).
func TestCookieWritesThroughTheMiddlewareCheckTheOriginOfRealRequests(t *testing.T) {
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			sessions := newSessions(t, cookie.NewMemoryStore())
			app := build(t, appConfig{sessions: sessions, auth: sessions})
			self := "http://" + app(httptest.NewRequest("GET", "/info", nil)).Request.Host
			c := login(t, app).Cookies()[0]
			for _, tt := range []struct {
				name   string
				header [][2]string
				want   int
			}{
				{"Origin equal to Host passes", [][2]string{{"Origin", self}}, 200},
				{"Origin with another port is refused", [][2]string{{"Origin", "http://127.0.0.1:1"}}, 403},
				{"two Origin headers are refused", [][2]string{{"Origin", self}, {"Origin", self}}, 403},
				{"Sec-Fetch-Site same-origin then cross-site is refused", [][2]string{{"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Site", "cross-site"}}, 403},
				{"Sec-Fetch-Site cross-site then same-origin is refused", [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-origin"}}, 403},
			} {
				t.Run(tt.name, func(t *testing.T) {
					r := httptest.NewRequest("POST", "/private", nil)
					r.AddCookie(c)
					for _, h := range tt.header {
						r.Header.Add(h[0], h[1])
					}
					if res := app(r); res.StatusCode != tt.want {
						t.Errorf("POST /private = %d; want %d", res.StatusCode, tt.want)
					}
				})
			}
		})
	}
}

func TestClientIPComesThroughTrustedProxiesOnly(t *testing.T) {
	loopback, err := httpapi.ParseTrustedProxies("127.0.0.1/32, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		trusted httpapi.TrustedProxies
		xff     []string
		want    string
	}{
		{"without trusted proxies the header is ignored", httpapi.TrustedProxies{}, []string{"203.0.113.5"}, "127.0.0.1"},
		{"a trusted peer's forwarded client is used", loopback, []string{"203.0.113.5"}, "203.0.113.5"},
		{"spoofed left-most entries are ignored", loopback, []string{"198.51.100.1, 203.0.113.5"}, "203.0.113.5"},
		{"trusted hops are skipped from the right", loopback, []string{"198.51.100.1, 203.0.113.5, 10.1.2.3"}, "203.0.113.5"},
		{"several header lines read as one list", loopback, []string{"198.51.100.1", "203.0.113.5"}, "203.0.113.5"},
		{"an IPv6 client", loopback, []string{"2001:db8::7"}, "2001:db8::7"},
		{"garbage is ignored", loopback, []string{"not-an-address"}, "127.0.0.1"},
		{"garbage left of the client is never reached", loopback, []string{"<script>, 203.0.113.5"}, "203.0.113.5"},
		{"no header means the peer", loopback, nil, "127.0.0.1"},
	}
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var log eventLog
					sessions, store := loggedSessions(t, &log)
					app := build(t, appConfig{sessions: sessions, auth: sessions, trusted: tt.trusted})
					r := httptest.NewRequest("GET", "/info", nil)
					for _, v := range tt.xff {
						r.Header.Add("X-Forwarded-For", v)
					}
					res := app(r)
					if _, ip, _ := strings.Cut(body(t, res), "|"); ip != tt.want {
						t.Errorf("handler saw client IP %q; want %q", ip, tt.want)
					}

					r = httptest.NewRequest("POST", "/login", nil)
					for _, v := range tt.xff {
						r.Header.Add("X-Forwarded-For", v)
					}
					if res := app(r); res.StatusCode != 200 {
						t.Fatalf("login = %d", res.StatusCode)
					}
					list, _ := store.List(context.Background(), "42", timeNow())
					if len(list) != 1 || list[0].IP != tt.want {
						t.Errorf("recorded session IP = %+v; want %q", list, tt.want)
					}
					if got := log.of(core.EventLogin); len(got) != 1 || got[0].info.ClientIP != tt.want {
						t.Errorf("login event = %+v; want client IP %q", got, tt.want)
					}
				})
			}
		})
	}
}

func TestEventsFromAdopterHandlersNameTheRequest(t *testing.T) {
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			var log eventLog
			sessions, _ := loggedSessions(t, &log)
			app := build(t, appConfig{sessions: sessions, auth: sessions})
			r := httptest.NewRequest("POST", "/login", nil)
			r.Header.Set("X-Request-ID", "adopter-login-1")
			first := app(r)
			if got := first.Header.Get("X-Request-ID"); got != "adopter-login-1" {
				t.Errorf("X-Request-ID = %q; want the client's", got)
			}
			r = httptest.NewRequest("POST", "/login", nil)
			r.AddCookie(first.Cookies()[0])
			second := app(r)
			logins := log.of(core.EventLogin)
			if len(logins) != 2 || logins[0].info.ID != "adopter-login-1" || logins[1].info.ID != second.Header.Get("X-Request-ID") || logins[1].info.ClientIP != "127.0.0.1" {
				t.Errorf("login events = %+v; want each with its request's ID and client IP", logins)
			}
			ended := log.of(core.EventSessionEnded)
			if len(ended) != 1 || ended[0].UserID != "42" || ended[0].info.ID == "" {
				t.Errorf("session_ended events = %+v; want one naming user 42 and the request", ended)
			}
		})
	}
}

func TestOptionalRoutesGiveAnonymousRequestsTheirRequestInfo(t *testing.T) {
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			sessions := newSessions(t, cookie.NewMemoryStore())
			for _, withoutRequestInfo := range []bool{false, true} {
				app := build(t, appConfig{sessions: sessions, auth: sessions, noRequestInfo: withoutRequestInfo})
				res := app(httptest.NewRequest("GET", "/info", nil))
				id, ip, _ := strings.Cut(body(t, res), "|")
				// Only the RequestInfo middleware answers with X-Request-ID.
				echoed := withoutRequestInfo || id == res.Header.Get("X-Request-ID")
				if id == "" || !echoed || ip != "127.0.0.1" {
					t.Errorf("without the RequestInfo middleware: %v: anonymous handler saw %q|%q (X-Request-ID %q); want the request's ID and 127.0.0.1", withoutRequestInfo, id, ip, res.Header.Get("X-Request-ID"))
				}
			}
		})
	}
}

func TestErrorHandlerRendersRefusalsTheApplicationsWay(t *testing.T) {
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			sessions := newSessions(t, cookie.NewMemoryStore())
			chain := core.Chain(sessions, bearerOnly{})
			app := build(t, appConfig{sessions: sessions, auth: chain, plainErrors: true})
			res := app(httptest.NewRequest("GET", "/private", nil))
			if got := body(t, res); res.StatusCode != 401 || got != "refused: unauthenticated" && got != "refused: unauthenticated\n" {
				t.Errorf("GET /private = %d %q; want 401 rendered by the app's handler", res.StatusCode, got)
			}
			if ct := res.Header.Get("Content-Type"); strings.Contains(ct, "problem") {
				t.Errorf("Content-Type = %q; want the app's own, not problem+json", ct)
			}
			if res.Header.Get("WWW-Authenticate") != "Bearer" || res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("headers %v; want the Bearer challenge and no-store kept", res.Header)
			}
			c := login(t, app).Cookies()[0]
			r := httptest.NewRequest("DELETE", "/private", nil)
			r.AddCookie(c)
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			if res := app(r); res.StatusCode != 403 || !strings.HasPrefix(body(t, res), "refused: forbidden_origin") {
				t.Errorf("cross-site DELETE = %d; want 403 rendered by the app's handler", res.StatusCode)
			}
		})
	}
}

func TestMiddlewareWithoutAStrategyIsRefusedAtConstruction(t *testing.T) {
	for name, build := range map[string]func(){
		"nethttp": func() { nethttp.New(nethttp.Config{}) },
		"gin":     func() { gobgin.New(gobgin.Config{}) },
		"fiber":   func() { gobfiber.New(gobfiber.Config{}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(p.(string), "Strategy is required") {
					t.Errorf("New without a Strategy: panic %v; want one naming Config.Strategy", p)
				}
			}()
			build()
		})
	}
}

func timeNow() time.Time { return time.Now().UTC() }
