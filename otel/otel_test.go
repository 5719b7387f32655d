package otel_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/limiter"
	gobotel "github.com/gobware/gobware/otel"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// The wrappers implement the interfaces they wrap, whatever their shape is.
var (
	_ cookie.Store       = (*gobotel.Telemetry)(nil).SessionStore(nil)
	_ cookie.Looker      = (*gobotel.Telemetry)(nil).SessionStore(nil).(cookie.Looker)
	_ cookie.Capper      = (*gobotel.Telemetry)(nil).SessionStore(cookie.NewMemoryStore()).(cookie.Capper)
	_ jwt.RefreshStore   = (*gobotel.Telemetry)(nil).RefreshStore(nil)
	_ jwt.RevocationList = (*gobotel.Telemetry)(nil).RevocationList(nil)
	_ jwt.WatermarkStore = (*gobotel.Telemetry)(nil).WatermarkStore(nil)
	_ limiter.Store      = (*gobotel.Telemetry)(nil).LimiterStore(nil)
	_ core.Challenger    = (*gobotel.Telemetry)(nil).Strategy("", nil).(core.Challenger)
	_ core.Unwrapper     = (*gobotel.Telemetry)(nil).Strategy("", nil).(core.Unwrapper)
)

// rig is gobware wired to an in-memory SDK: every strategy, store and the
// limiter observed by one Telemetry, and stores that can be switched off.
type rig struct {
	reader   *sdkmetric.ManualReader
	spans    *tracetest.SpanRecorder
	sessions *cookie.Strategy
	tokens   *jwt.Strategy
	logins   *limiter.Limiter
	cookieA  core.Strategy // sessions, measured
	jwtA     core.Strategy // tokens, measured
	down     *atomic.Bool
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{reader: sdkmetric.NewManualReader(), spans: tracetest.NewSpanRecorder(), down: new(atomic.Bool)}
	tel, err := gobotel.New(gobotel.Options{
		MeterProvider:  sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader)),
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans)),
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := coretest.NewClock(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	events := tel.Events(func(context.Context, core.Event) {})
	r.sessions, err = cookie.New([][]byte{key(t)}, tel.SessionStore(flakySessions{cookie.NewMemoryStore(), r.down}),
		cookie.Options{Now: clock.Now, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	r.tokens, err = jwt.New([][]byte{key(t)}, tel.RefreshStore(jwt.NewMemoryStore()), jwt.Options{Now: clock.Now, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	r.logins, err = limiter.New(limiter.Options{Store: tel.LimiterStore(limiter.NewMemoryStore()), Now: clock.Now, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	r.cookieA = tel.Strategy("cookie", r.sessions)
	r.jwtA = tel.Strategy("jwt", r.tokens)
	return r
}

func key(t *testing.T) []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

// flakySessions is a session store that reports an outage while down is set.
type flakySessions struct {
	cookie.Store
	down *atomic.Bool
}

func (f flakySessions) fail() error {
	if f.down.Load() {
		return fmt.Errorf("test store: connection lost: %w", core.ErrUnavailable)
	}
	return nil
}

func (f flakySessions) Find(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	if err := f.fail(); err != nil {
		return cookie.Session{}, err
	}
	return f.Store.Find(ctx, h, now)
}

// series reads every metric as "name{attr=value,…}" → value: a counter's
// sum or a histogram's count.
func (r *rig) series(t *testing.T) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[m.Name+labels(p.Attributes)] = p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[m.Name+labels(p.Attributes)] = int64(p.Count)
				}
			default:
				t.Fatalf("metric %s has unexpected data %T", m.Name, m.Data)
			}
		}
	}
	return out
}

func labels(s attribute.Set) string {
	var kv []string
	for _, a := range s.ToSlice() {
		kv = append(kv, strings.TrimPrefix(string(a.Key), "gobware.")+"="+a.Value.String())
	}
	slices.Sort(kv)
	return "{" + strings.Join(kv, ",") + "}"
}

// TestMetricsMoveAsDocumented walks through logins, failures, a lock-out,
// refreshes, a reuse, logouts and an outage, and checks after each step
// that exactly the documented series moved, by exactly what they should.
func TestMetricsMoveAsDocumented(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	var sessionCookie string
	var first, second jwt.Pair
	account, address := limiter.Account("alice"), limiter.IP("192.0.2.7")
	withCookie := func(v string) *coretest.Request {
		return (&coretest.Request{HTTPHost: "example.com"}).AddCookie(cookie.DefaultCookieName, v)
	}
	steps := []struct {
		name string
		do   func(t *testing.T)
		want map[string]int64
	}{
		{"a cookie login counts a login and stores a session", func(t *testing.T) {
			var w coretest.Response
			if err := r.sessions.Login(&coretest.Request{HTTPHost: "example.com"}, &w, "user-7f3a"); err != nil {
				t.Fatal(err)
			}
			sessionCookie = w.Cookies[0].Value
		}, map[string]int64{
			"gobware.logins{strategy=cookie}":                                   1,
			"gobware.security_events{event=login,strategy=cookie}":              1,
			"gobware.store.duration{operation=Create,outcome=ok,store=session}": 1,
		}},
		{"an authentication with the cookie is ok", func(t *testing.T) {
			if _, err := r.cookieA.Authenticate(withCookie(sessionCookie)); err != nil {
				t.Fatal(err)
			}
		}, map[string]int64{
			"gobware.authentications{outcome=ok,strategy=cookie}":             1,
			"gobware.authentication.duration{outcome=ok,strategy=cookie}":     1,
			"gobware.store.duration{operation=Find,outcome=ok,store=session}": 1,
		}},
		{"a request without a credential is no_credential for each strategy", func(t *testing.T) {
			if _, err := core.Chain(r.cookieA, r.jwtA).Authenticate(&coretest.Request{}); err == nil {
				t.Fatal("authenticated without a credential")
			}
		}, map[string]int64{
			"gobware.authentications{outcome=no_credential,strategy=cookie}":         1,
			"gobware.authentication.duration{outcome=no_credential,strategy=cookie}": 1,
			"gobware.authentications{outcome=no_credential,strategy=jwt}":            1,
			"gobware.authentication.duration{outcome=no_credential,strategy=jwt}":    1,
		}},
		{"a forged cookie is invalid, without a store call", func(t *testing.T) {
			forged := sessionCookie[:len(sessionCookie)-2] + "AA"
			if _, err := r.cookieA.Authenticate(withCookie(forged)); err == nil {
				t.Fatal("a forged cookie was accepted")
			}
		}, map[string]int64{
			"gobware.authentications{outcome=invalid,strategy=cookie}":         1,
			"gobware.authentication.duration{outcome=invalid,strategy=cookie}": 1,
			"gobware.security_events{event=invalid_signature,strategy=cookie}": 1,
		}},
		{"a failed login counts one failure, a read and a store write per key", func(t *testing.T) {
			res, err := r.logins.Reserve(ctx, account, address)
			if err != nil {
				t.Fatal(err)
			}
			res.Failed(ctx)
		}, map[string]int64{
			"gobware.login.failures{}":                                                  1,
			"gobware.security_events{event=login_failed,strategy=}":                     1,
			"gobware.store.duration{operation=Get,outcome=ok,store=limiter}":            2,
			"gobware.store.duration{operation=CompareAndSwap,outcome=ok,store=limiter}": 2,
		}},
		{"five more failed logins, one past the free ones, count five", func(t *testing.T) {
			for range 5 {
				res, err := r.logins.Reserve(ctx, account, address)
				if err != nil {
					t.Fatal(err)
				}
				res.Failed(ctx)
			}
		}, map[string]int64{
			"gobware.login.failures{}":                                                  5,
			"gobware.security_events{event=login_failed,strategy=}":                     5,
			"gobware.store.duration{operation=Get,outcome=ok,store=limiter}":            10,
			"gobware.store.duration{operation=CompareAndSwap,outcome=ok,store=limiter}": 10,
		}},
		{"a limited attempt counts one rate-limited login", func(t *testing.T) {
			if _, err := r.logins.Reserve(ctx, account, address); !errors.Is(err, limiter.ErrLimited) {
				t.Fatalf("Reserve = %v; want ErrLimited", err)
			}
		}, map[string]int64{
			"gobware.login.rate_limited{}":                                   1,
			"gobware.security_events{event=rate_limited,strategy=}":          1,
			"gobware.store.duration{operation=Get,outcome=ok,store=limiter}": 2,
		}},
		{"a token login counts a login and stores a family", func(t *testing.T) {
			var err error
			if first, err = r.tokens.Issue(ctx, "user-7f3a"); err != nil {
				t.Fatal(err)
			}
		}, map[string]int64{
			"gobware.logins{strategy=jwt}":                                      1,
			"gobware.security_events{event=login,strategy=jwt}":                 1,
			"gobware.store.duration{operation=Create,outcome=ok,store=refresh}": 1,
		}},
		{"a bearer authentication is ok without a store call", func(t *testing.T) {
			req := (&coretest.Request{}).AddHeader("Authorization", "Bearer "+first.AccessToken)
			if _, err := r.jwtA.Authenticate(req); err != nil {
				t.Fatal(err)
			}
		}, map[string]int64{
			"gobware.authentications{outcome=ok,strategy=jwt}":         1,
			"gobware.authentication.duration{outcome=ok,strategy=jwt}": 1,
		}},
		{"a refresh counts one rotation", func(t *testing.T) {
			var err error
			if second, err = r.tokens.Refresh(ctx, first.RefreshToken); err != nil {
				t.Fatal(err)
			}
		}, map[string]int64{
			"gobware.refreshes{strategy=jwt}":                                   1,
			"gobware.security_events{event=refresh,strategy=jwt}":               1,
			"gobware.store.duration{operation=Rotate,outcome=ok,store=refresh}": 1,
		}},
		{"a reuse counts one reuse and revokes the family", func(t *testing.T) {
			if _, err := r.tokens.Refresh(ctx, first.RefreshToken); !errors.Is(err, jwt.ErrReused) {
				t.Fatalf("Refresh(spent) = %v; want ErrReused", err)
			}
		}, map[string]int64{
			"gobware.refresh.reuses{strategy=jwt}":                                    1,
			"gobware.security_events{event=refresh_reuse_detected,strategy=jwt}":      1,
			"gobware.store.duration{operation=Rotate,outcome=reused,store=refresh}":   1,
			"gobware.store.duration{operation=RevokeFamily,outcome=ok,store=refresh}": 1,
		}},
		{"a token logout counts a revocation", func(t *testing.T) {
			if err := r.tokens.Revoke(ctx, second.RefreshToken); err != nil {
				t.Fatal(err)
			}
		}, map[string]int64{
			"gobware.revocations{event=logout,strategy=jwt}":                          1,
			"gobware.security_events{event=logout,strategy=jwt}":                      1,
			"gobware.store.duration{operation=Find,outcome=ok,store=refresh}":         1,
			"gobware.store.duration{operation=RevokeFamily,outcome=ok,store=refresh}": 1,
		}},
		{"an outage is unavailable, never invalid", func(t *testing.T) {
			r.down.Store(true)
			defer r.down.Store(false)
			if _, err := r.cookieA.Authenticate(withCookie(sessionCookie)); !core.IsUnavailable(err) {
				t.Fatalf("Authenticate during an outage = %v; want unavailable", err)
			}
		}, map[string]int64{
			"gobware.authentications{outcome=unavailable,strategy=cookie}":             1,
			"gobware.authentication.duration{outcome=unavailable,strategy=cookie}":     1,
			"gobware.store.duration{operation=Find,outcome=unavailable,store=session}": 1,
		}},
		{"a cookie logout counts a revocation", func(t *testing.T) {
			var w coretest.Response
			if err := r.sessions.Logout(withCookie(sessionCookie), &w); err != nil {
				t.Fatal(err)
			}
		}, map[string]int64{
			"gobware.revocations{event=logout,strategy=cookie}":                 1,
			"gobware.security_events{event=logout,strategy=cookie}":             1,
			"gobware.store.duration{operation=Find,outcome=ok,store=session}":   1,
			"gobware.store.duration{operation=Delete,outcome=ok,store=session}": 1,
		}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			before := r.series(t)
			step.do(t)
			after := r.series(t)
			for name, v := range after {
				if d := v - before[name]; d != step.want[name] {
					t.Errorf("%s moved by %d; want %d", name, d, step.want[name])
				}
			}
			for name, want := range step.want {
				if _, ok := after[name]; !ok {
					t.Errorf("%s is missing; want it moved by %d", name, want)
				}
			}
		})
	}
}

// TestSessionStoreKeepsTheCap checks that the wrapped session store offers
// the session cap exactly when the store it wraps does: a capped login
// goes through CreateCapped (one span, one store metric), and a store
// without the cap is still refused by cookie.New.
func TestSessionStoreKeepsTheCap(t *testing.T) {
	t.Run("a store with the cap keeps it through the wrapper", func(t *testing.T) {
		spans := tracetest.NewSpanRecorder()
		tel, err := gobotel.New(gobotel.Options{TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))})
		if err != nil {
			t.Fatal(err)
		}
		sessions, err := cookie.New([][]byte{key(t)}, tel.SessionStore(cookie.NewMemoryStore()),
			cookie.Options{MaxSessionsPerUser: 1, Events: func(context.Context, core.Event) {}})
		if err != nil {
			t.Fatalf("cookie.New with a cap over a wrapped memory store: %v", err)
		}
		for range 2 {
			var w coretest.Response
			if err := sessions.Login(&coretest.Request{HTTPHost: "example.com"}, &w, "user-7f3a"); err != nil {
				t.Fatal(err)
			}
		}
		var capped int
		for _, s := range spans.Ended() {
			if s.Name() == "gobware.session_store.CreateCapped" {
				capped++
			}
		}
		if capped != 2 {
			t.Errorf("%d CreateCapped spans; want 2", capped)
		}
		list, err := sessions.Sessions(context.Background(), "user-7f3a")
		if err != nil || len(list) != 1 {
			t.Errorf("Sessions = %d, %v; want 1 live session under a cap of 1", len(list), err)
		}
	})
	t.Run("a store without the cap is refused as it would be unwrapped", func(t *testing.T) {
		tel, err := gobotel.New(gobotel.Options{})
		if err != nil {
			t.Fatal(err)
		}
		bare := flakySessions{cookie.NewMemoryStore(), new(atomic.Bool)} // no CreateCapped
		if _, err := cookie.New([][]byte{key(t)}, tel.SessionStore(bare), cookie.Options{MaxSessionsPerUser: 1}); err == nil {
			t.Error("cookie.New accepted a cap over a wrapped store that cannot enforce it")
		}
	})
}

// legacyOnly is a refresh store with the earlier-format lookup.
type legacyOnly struct{ jwt.RefreshStore }

func (legacyOnly) FindLegacy(context.Context, jwt.Hash) (jwt.Family, bool, error) {
	return jwt.Family{}, false, jwt.ErrNotFound
}

// TestRefreshStoreKeepsLegacyLookups checks that the wrapped refresh store
// offers FindLegacy exactly when the store it wraps does.
func TestRefreshStoreKeepsLegacyLookups(t *testing.T) {
	tel, err := gobotel.New(gobotel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		store jwt.RefreshStore
		want  bool
	}{
		{"a store with legacy lookups keeps them", legacyOnly{jwt.NewMemoryStore()}, true},
		{"a store without them does not gain them", struct{ jwt.RefreshStore }{jwt.NewMemoryStore()}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := tel.RefreshStore(tt.store).(jwt.LegacyStore); got != tt.want {
				t.Errorf("wrapped store is a LegacyStore: %v; want %v", got, tt.want)
			}
		})
	}
}

// rotateOnly is a session store with Rotate but no cap.
type rotateOnly struct{ *cookie.MemoryStore }

func (r rotateOnly) CreateCapped() {} // shadows the memory store's: not a cookie.Capper

// capOnly is a session store with the cap but no Rotate.
type capOnly struct {
	cookie.Store
	cookie.Capper
}

// TestSessionStoreKeepsRotation checks that the wrapped session store
// offers Rotate (for cookie.Strategy.Update) exactly when the store it
// wraps does, whatever its cap, and that an update goes through it.
func TestSessionStoreKeepsRotation(t *testing.T) {
	m := cookie.NewMemoryStore()
	for _, tc := range []struct {
		name          string
		store         cookie.Store
		capper, rotor bool
	}{
		{"cap and rotation", m, true, true},
		{"rotation only", rotateOnly{m}, false, true},
		{"cap only", capOnly{m, m}, true, false},
		{"neither", flakySessions{m, new(atomic.Bool)}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spans := tracetest.NewSpanRecorder()
			tel, err := gobotel.New(gobotel.Options{TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))})
			if err != nil {
				t.Fatal(err)
			}
			w := tel.SessionStore(tc.store)
			_, capper := w.(cookie.Capper)
			_, rotor := w.(cookie.Rotator)
			if capper != tc.capper || rotor != tc.rotor {
				t.Fatalf("wrapped store: Capper %v, Rotator %v; want %v, %v", capper, rotor, tc.capper, tc.rotor)
			}
			if !rotor {
				return
			}
			sessions, err := cookie.New([][]byte{key(t)}, w, cookie.Options{Events: func(context.Context, core.Event) {}})
			if err != nil {
				t.Fatal(err)
			}
			var res coretest.Response
			if err := sessions.Login(&coretest.Request{HTTPHost: "example.com"}, &res, "user-7f3a"); err != nil {
				t.Fatal(err)
			}
			req := (&coretest.Request{HTTPHost: "example.com"}).AddCookie(sessions.CookieName(), res.Cookies[0].Value)
			if _, err := sessions.Update(req, &coretest.Response{}, core.SessionUpdate{Reauthenticated: true}); err != nil {
				t.Fatalf("Update through the wrapper = %v", err)
			}
			var rotated int
			for _, s := range spans.Ended() {
				if s.Name() == "gobware.session_store.Rotate" {
					rotated++
				}
			}
			if rotated != 1 {
				t.Errorf("%d Rotate spans; want 1", rotated)
			}
		})
	}
}
