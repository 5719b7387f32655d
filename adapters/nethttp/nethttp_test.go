package nethttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// brokenStore answers every call with an outage.
type brokenStore struct{ cookie.Store }

func (brokenStore) Find(context.Context, cookie.Hash, time.Time) (cookie.Session, error) {
	return cookie.Session{}, fmt.Errorf("db: connection refused: %w", core.ErrUnavailable)
}

func newSessions(t *testing.T, store cookie.Store) *cookie.Strategy {
	t.Helper()
	s, err := cookie.New([][]byte{testKey}, store, cookie.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// app is a small net/http application using the adapter the way the README shows.
func app(t *testing.T, sessions *cookie.Strategy, auth core.Strategy) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if err := nethttp.Login(w, r, sessions, "42"); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := nethttp.Logout(w, r, sessions); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	who := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := nethttp.Identity(r)
		fmt.Fprintf(w, "%s/%s", nethttp.UserID(r), id.Strategy)
	})
	mux.Handle("/private", nethttp.Require(auth)(who))
	mux.Handle("/public", nethttp.Optional(auth)(who))
	return mux
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func loginCookie(t *testing.T, h http.Handler) *http.Cookie {
	t.Helper()
	w := serve(h, httptest.NewRequest("POST", "/login", nil))
	cs := w.Result().Cookies()
	if w.Code != 200 || len(cs) != 1 {
		t.Fatalf("login = %d with %d cookies", w.Code, len(cs))
	}
	return cs[0]
}

func TestLoginSetsTheExactCookie(t *testing.T) {
	sessions := newSessions(t, cookie.NewMemoryStore())
	w := serve(app(t, sessions, sessions), httptest.NewRequest("POST", "/login", nil))
	set := w.Header().Values("Set-Cookie")
	if len(set) != 1 {
		t.Fatalf("login sent %d Set-Cookie headers; want 1", len(set))
	}
	name, rest, _ := strings.Cut(set[0], "=")
	value, attrs, _ := strings.Cut(rest, ";")
	if name != "__Host-gobware_session" || len(value) != 87 {
		t.Errorf("cookie %q=%q; want __Host-gobware_session with an 87-char value", name, value)
	}
	if got, want := strings.TrimSpace(attrs), "Path=/; HttpOnly; Secure; SameSite=Lax"; got != want {
		t.Errorf("cookie attributes = %q; want %q", got, want)
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q; want no-store", got)
	}
}

func TestLogoutExpiresTheSameCookie(t *testing.T) {
	sessions := newSessions(t, cookie.NewMemoryStore())
	h := app(t, sessions, sessions)
	c := loginCookie(t, h)
	r := httptest.NewRequest("POST", "/logout", nil)
	r.AddCookie(c)
	w := serve(h, r)
	set := w.Header().Values("Set-Cookie")
	if len(set) != 1 {
		t.Fatalf("logout sent %d Set-Cookie headers; want 1", len(set))
	}
	if want := "__Host-gobware_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"; set[0] != want {
		t.Errorf("logout Set-Cookie = %q; want %q", set[0], want)
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q; want no-store", got)
	}
	replay := httptest.NewRequest("GET", "/private", nil)
	replay.AddCookie(c)
	if w := serve(h, replay); w.Code != 401 {
		t.Errorf("replay after logout = %d; want 401", w.Code)
	}
}

func problem(t *testing.T, w *httptest.ResponseRecorder) httpapi.Problem {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q; want application/problem+json (body %s)", ct, w.Body)
	}
	var p httpapi.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

type bearerOnly struct{}

func (bearerOnly) Challenge() string { return "Bearer" }
func (bearerOnly) Authenticate(r core.Request) (core.Identity, error) {
	if core.FirstHeader(r, "Authorization") == "Bearer ok" {
		return core.Identity{UserID: "7", Strategy: "jwt"}, nil
	}
	return core.Identity{}, core.ErrNoCredential
}

func TestRequireAnswersEveryErrorAsAProblem(t *testing.T) {
	sessions := newSessions(t, cookie.NewMemoryStore())
	good := loginCookie(t, app(t, sessions, sessions))
	panics := core.StrategyFunc(func(core.Request) (core.Identity, error) { panic("strategy bug") })
	chain := core.Chain(sessions, bearerOnly{})

	tests := []struct {
		name       string
		auth       core.Strategy
		method     string
		cookies    []string
		header     map[string]string
		wantStatus int
		wantCode   string
		wantBody   string
	}{
		{"a valid session cookie passes", chain, "GET", []string{good.Value}, nil, 200, "", "42/cookie"},
		{"a valid bearer token passes", chain, "GET", nil, map[string]string{"Authorization": "Bearer ok"}, 200, "", "7/jwt"},
		{"no credential is unauthenticated", chain, "GET", nil, nil, 401, "unauthenticated", ""},
		{"a tampered cookie is invalid", chain, "GET", []string{good.Value[:86] + flip(good.Value[86])}, nil, 401, "invalid_credentials", ""},
		{"a truncated cookie is invalid", chain, "GET", []string{good.Value[:50]}, nil, 401, "invalid_credentials", ""},
		{"an extended cookie is invalid", chain, "GET", []string{good.Value + "A"}, nil, 401, "invalid_credentials", ""},
		{"a 4 KiB cookie is invalid", chain, "GET", []string{strings.Repeat("A", 4000)}, nil, 401, "invalid_credentials", ""},
		{"binary bytes in the cookie are invalid", chain, "GET", []string{"\x01\x02" + good.Value[2:]}, nil, 401, "", ""},
		{"duplicate session cookies are invalid", chain, "GET", []string{good.Value, good.Value}, nil, 401, "invalid_credentials", ""},
		{"a cross-origin write with the cookie is forbidden", chain, "POST", []string{good.Value}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "forbidden_origin", ""},
		{"a cross-origin write with only a bearer token passes", chain, "POST", nil, map[string]string{"Authorization": "Bearer ok", "Origin": "https://evil.example"}, 200, "", "7/jwt"},
		{"a panicking strategy is a 500 and the server goes on", panics, "GET", nil, nil, 500, "internal", ""},
		{"an unreachable store is 503, not a logout", newSessions(t, brokenStore{cookie.NewMemoryStore()}), "GET", []string{good.Value}, nil, 503, "unavailable", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := app(t, sessions, tt.auth)
			r := httptest.NewRequest(tt.method, "/private", nil)
			for _, v := range tt.cookies {
				r.Header.Add("Cookie", "__Host-gobware_session="+v)
			}
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			w := serve(h, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("%s /private = %d %s; want %d", tt.method, w.Code, w.Body, tt.wantStatus)
			}
			if tt.wantStatus == 200 {
				if w.Body.String() != tt.wantBody {
					t.Errorf("body = %q; want %q", w.Body, tt.wantBody)
				}
				return
			}
			if p := problem(t, w); tt.wantCode != "" && p.Code != tt.wantCode {
				t.Errorf("code = %q; want %q", p.Code, tt.wantCode)
			}
			if got := w.Header().Get("WWW-Authenticate"); (w.Code == 401 && tt.auth == chain) != (got == "Bearer") {
				t.Errorf("WWW-Authenticate = %q on %d", got, w.Code)
			}
		})
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestOptionalLetsAnonymousThrough(t *testing.T) {
	sessions := newSessions(t, cookie.NewMemoryStore())
	h := app(t, sessions, sessions)
	r := httptest.NewRequest("GET", "/public", nil)
	r.Header.Set("Cookie", "__Host-gobware_session=stale")
	if w := serve(h, r); w.Code != 200 || w.Body.String() != "/" {
		t.Errorf("GET /public with a stale cookie = %d %q; want 200 anonymous", w.Code, w.Body)
	}
}

func TestHandlerAnswersUnknownRoutesAndMethods(t *testing.T) {
	h := nethttp.Handler([]httpapi.Route{{Method: "GET", Pattern: "/thing/{id}", Handler: func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		return httpapi.JSON(200, map[string]string{"id": r.Param("id")})
	}}})
	if w := serve(h, httptest.NewRequest("GET", "/thing/a%2Fb", nil)); w.Code != 200 || !strings.Contains(w.Body.String(), `"a/b"`) {
		t.Errorf("GET /thing/a%%2Fb = %d %s; want 200 with the decoded parameter", w.Code, w.Body)
	}
	w := serve(h, httptest.NewRequest("DELETE", "/thing/1", nil))
	if w.Code != 405 || problem(t, w).Code != "method_not_allowed" || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("DELETE /thing/1 = %d Allow=%q; want 405 Allow=GET, HEAD", w.Code, w.Header().Get("Allow"))
	}
	w = serve(h, httptest.NewRequest("GET", "/nothing", nil))
	if w.Code != 404 || problem(t, w).Code != "not_found" {
		t.Errorf("GET /nothing = %d; want a problem 404", w.Code)
	}
}
