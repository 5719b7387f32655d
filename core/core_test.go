package core_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
)

func answer(id string, err error) core.Strategy {
	return core.StrategyFunc(func(core.Request) (core.Identity, error) {
		return core.Identity{UserID: id, Strategy: id}, err
	})
}

type challenger struct {
	core.Strategy
	challenge string
}

func (c challenger) Challenge() string { return c.challenge }

func TestChain(t *testing.T) {
	down := fmt.Errorf("store: %w", core.ErrUnavailable)
	tests := []struct {
		name       string
		strategies []core.Strategy
		wantUser   string
		wantErr    error
	}{
		{"the first strategy that finds a credential wins", []core.Strategy{answer("", core.ErrNoCredential), answer("b", nil), answer("c", nil)}, "b", nil},
		{"an invalid credential stops the chain", []core.Strategy{answer("", core.ErrInvalidCredential), answer("b", nil)}, "", core.ErrInvalidCredential},
		{"an outage stops the chain and is not a missing credential", []core.Strategy{answer("", down), answer("b", nil)}, "", core.ErrUnavailable},
		{"no strategy finding anything is no credential", []core.Strategy{answer("", core.ErrNoCredential)}, "", core.ErrNoCredential},
		{"an empty chain finds nothing", nil, "", core.ErrNoCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := core.Chain(tt.strategies...).Authenticate(&coretest.Request{})
			if id.UserID != tt.wantUser || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("Authenticate() = %q, %v; want %q, %v", id.UserID, err, tt.wantUser, tt.wantErr)
			}
		})
	}
}

func TestChainJoinsChallenges(t *testing.T) {
	c := core.Chain(answer("", core.ErrNoCredential), challenger{answer("", nil), "Bearer"}, challenger{answer("", nil), `Basic realm="x"`})
	if got, want := core.Challenge(c), `Bearer, Basic realm="x"`; got != want {
		t.Errorf("Challenge() = %q; want %q", got, want)
	}
	if got := core.Challenge(answer("", nil)); got != "" {
		t.Errorf("Challenge(plain strategy) = %q; want empty", got)
	}
}

func TestStatusMapsTheTaxonomy(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 200},
		{core.ErrNoCredential, 401},
		{fmt.Errorf("cookie: bad signature: %w", core.ErrInvalidCredential), 401},
		{core.ErrForbiddenOrigin, 403},
		{fmt.Errorf("gorm: %w", core.ErrUnavailable), 503},
		{fmt.Errorf("limiter: too many failed attempts: %w", core.ErrRateLimited), 429},
		{fmt.Errorf("cookie: bad option: %w", core.ErrInvalidArgument), 500},
		{fmt.Errorf("redis: corrupt entry: %w", core.ErrBackend), 500},
		{core.ErrPanic, 500},
		{errors.New("anything else"), 500},
	}
	for _, tt := range tests {
		if got := core.Status(tt.err); got != tt.want {
			t.Errorf("Status(%v) = %d; want %d", tt.err, got, tt.want)
		}
	}
}

func TestContextCarriesTheIdentity(t *testing.T) {
	if _, ok := core.FromContext(context.Background()); ok {
		t.Fatal("FromContext(empty) reported an identity")
	}
	want := core.Identity{UserID: "7", Strategy: "jwt"}
	got, ok := core.FromContext(core.NewContext(context.Background(), want))
	if !ok || got.UserID != want.UserID || got.Strategy != want.Strategy {
		t.Errorf("FromContext() = %v, %v; want %v, true", got, ok, want)
	}
}

func TestParseSecret(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"standard base64 with padding", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true},
		{"standard base64 without padding", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", true},
		{"base64url with - and _", "_-8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
		{"surrounding spaces are ignored", "  AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", true},
		{"31 bytes is refused", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", false},
		{"33 bytes is refused", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", false},
		{"empty is refused", "", false},
		{"not base64 is refused", "this is not base64 at all!!!!!!!!!!!!!!!!!!!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := core.ParseSecret(tt.in)
			if tt.ok && (err != nil || len(key) != 32) {
				t.Errorf("ParseSecret(%q) = %d bytes, %v; want 32 bytes", tt.in, len(key), err)
			}
			if !tt.ok && !errors.Is(err, core.ErrBadSecret) {
				t.Errorf("ParseSecret(%q) error = %v; want ErrBadSecret", tt.in, err)
			}
		})
	}
}

func TestParseKeyRingNamesTheBadKey(t *testing.T) {
	keys, err := core.ParseKeyRing("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,_-8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	if err != nil || len(keys) != 2 {
		t.Fatalf("ParseKeyRing(two keys) = %d keys, %v", len(keys), err)
	}
	_, err = core.ParseKeyRing("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,short")
	if !errors.Is(err, core.ErrBadSecret) || !strings.Contains(err.Error(), "key 2") {
		t.Errorf("ParseKeyRing(bad second key) = %v; want ErrBadSecret naming key 2", err)
	}
}

func TestLogEventsNeverNeedsACredential(t *testing.T) {
	var buf strings.Builder
	log := core.LogEvents(slog.New(slog.NewJSONHandler(&buf, nil)))
	log(context.Background(), core.Event{Type: core.EventInvalidSignature, Strategy: "cookie", Ref: "abc123"})
	out := buf.String()
	for _, want := range []string{`"level":"WARN"`, `"event":"invalid_signature"`, `"ref":"abc123"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log record %s lacks %s", out, want)
		}
	}
	if strings.Contains(out, "user_id") {
		t.Errorf("log record %s has an empty user_id attribute", out)
	}
}

type cookieOnly struct{ core.Strategy }

func (cookieOnly) CookieName() string { return "sid" }

func TestCookieNamesLooksInsideChains(t *testing.T) {
	c := core.Chain(answer("", nil), cookieOnly{answer("", nil)}, core.Chain(cookieOnly{answer("", nil)}))
	if got := core.CookieNames(c); len(got) != 2 || got[0] != "sid" {
		t.Errorf("CookieNames(chain) = %q; want [sid sid]", got)
	}
	if got := core.CookieNames(answer("", nil)); got != nil {
		t.Errorf("CookieNames(plain) = %q; want none", got)
	}
}

type wrapper struct{ inner core.Strategy }

func (w wrapper) Authenticate(r core.Request) (core.Identity, error) { return w.inner.Authenticate(r) }
func (w wrapper) Unwrap() core.Strategy                              { return w.inner }

func TestCookieNamesLooksThroughWrappers(t *testing.T) {
	tests := []struct {
		name string
		s    core.Strategy
		want int
	}{
		{"a wrapped cookie strategy still reads its cookie", wrapper{cookieOnly{answer("", nil)}}, 1},
		{"a wrapped chain reads its members' cookies", wrapper{core.Chain(cookieOnly{answer("", nil)}, wrapper{cookieOnly{answer("", nil)}})}, 2},
		{"a wrapped strategy without cookies reads none", wrapper{answer("", nil)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := core.CookieNames(tt.s); len(got) != tt.want {
				t.Errorf("CookieNames = %q; want %d names", got, tt.want)
			}
		})
	}
}

func TestIsUnavailable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{fmt.Errorf("store: %w", core.ErrUnavailable), true},
		{fmt.Errorf("query: %w", context.DeadlineExceeded), true},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{sqlStateError("08006"), true},
		{sqlStateError("57P01"), true},
		{sqlStateError("23505"), false}, // unique violation: a bug or a conflict, not an outage
		{errors.New("failed to deallocate cached statement(s): conn closed"), true},
		{errors.New("invalid connection"), true},
		{errors.New("database is locked"), true},
		{errors.New(`relation "x" does not exist`), false},
		{core.ErrInvalidCredential, false},
	}
	for _, tt := range tests {
		if got := core.IsUnavailable(tt.err); got != tt.want {
			t.Errorf("IsUnavailable(%v) = %v; want %v", tt.err, got, tt.want)
		}
	}
}

type sqlStateError string

func (e sqlStateError) Error() string    { return "server error " + string(e) }
func (e sqlStateError) SQLState() string { return string(e) }

func TestClientIPPrefersTheRequestInfoOverThePeer(t *testing.T) {
	peer := &coretest.Request{IP: "10.0.0.1"}
	if got := core.ClientIP(peer); got != "10.0.0.1" {
		t.Errorf("ClientIP without RequestInfo = %q; want the peer 10.0.0.1", got)
	}
	proxied := &coretest.Request{IP: "10.0.0.1", Ctx: core.WithRequestInfo(context.Background(), core.RequestInfo{ID: "r", ClientIP: "203.0.113.7"})}
	if got := core.ClientIP(proxied); got != "203.0.113.7" {
		t.Errorf("ClientIP with RequestInfo = %q; want the forwarded client 203.0.113.7", got)
	}
}

func TestClaimKeysRefusesOneKeyForTwoPurposes(t *testing.T) {
	shared := []byte("a key given to two jobs, 32 byte")
	other := []byte("a key with one job only, 32 byte")
	if err := core.ClaimKeys("test-a", [][]byte{other, shared}); err != nil {
		t.Fatalf("first claim: %v", err)
	}
	if err := core.ClaimKeys("test-a", [][]byte{shared}); err != nil {
		t.Errorf("claiming a key again for the same purpose: %v; want nil", err)
	}
	err := core.ClaimKeys("test-b", [][]byte{[]byte("a fresh key for purpose b, 32 by"), shared})
	if !errors.Is(err, core.ErrKeyReuse) || !strings.Contains(err.Error(), "key 2") {
		t.Errorf("claiming a key of test-a for test-b: %v; want ErrKeyReuse naming key 2", err)
	}
	if err := core.ClaimKeys("test-b", [][]byte{[]byte("a fresh key for purpose b, 32 by")}); err != nil {
		t.Errorf("a refused claim must record nothing, yet: %v", err)
	}
}

func TestStatusOfEveryOutageIs503(t *testing.T) {
	for _, err := range []error{
		core.ErrUnavailable,
		fmt.Errorf("dial: %w", syscall.ECONNREFUSED),
	} {
		if got := core.Status(err); got != 503 {
			t.Errorf("Status(%v) = %d; want 503", err, got)
		}
	}
}

// reporting is a strategy with an event sink of its own.
type reporting struct {
	core.Strategy
	got *[]core.Event
}

func (r reporting) ReportEvent(_ context.Context, e core.Event) { *r.got = append(*r.got, e) }

func TestReportEventFindsTheSinkInsideChainsAndWrappers(t *testing.T) {
	for _, tt := range []struct {
		name string
		wrap func(core.Strategy) core.Strategy
	}{
		{"the strategy itself", func(s core.Strategy) core.Strategy { return s }},
		{"a chain member", func(s core.Strategy) core.Strategy { return core.Chain(answer("", core.ErrNoCredential), s) }},
		{"a wrapped strategy", func(s core.Strategy) core.Strategy { return wrapper{s} }},
		{"a wrapped chain", func(s core.Strategy) core.Strategy { return wrapper{core.Chain(wrapper{s})} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []core.Event
			core.ReportEvent(context.Background(), tt.wrap(reporting{answer("", nil), &got}), core.Event{Type: core.EventCrossOriginDenied})
			if len(got) != 1 || got[0].Type != core.EventCrossOriginDenied {
				t.Errorf("the strategy's sink got %v; want the one event", got)
			}
		})
	}
}

func TestWithLazyRequestInfoMakesTheInfoOnceAndOnlyWhenAsked(t *testing.T) {
	var calls atomic.Int32
	base := &coretest.Request{Ctx: context.WithValue(context.Background(), struct{ k int }{0}, "parent"), IP: "192.0.2.1"}
	r := core.WithLazyRequestInfo(base, func(r core.Request) core.RequestInfo {
		calls.Add(1)
		return core.RequestInfo{ID: "req-1", ClientIP: r.RemoteIP()}
	})
	if got := r.Context().Value(struct{ k int }{0}); got != "parent" {
		t.Errorf("the request's context lost its parent's values: got %v", got)
	}
	ctx := context.WithValue(r.Context(), struct{ k int }{1}, "other")
	ctx = context.WithValue(ctx, struct{ k int }{1}, "other")
	if n := calls.Load(); n != 0 {
		t.Fatalf("f ran %d times before anyone asked; want 0", n)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			info, ok := core.RequestInfoFrom(ctx)
			if !ok || info.ID != "req-1" || info.ClientIP != "192.0.2.1" {
				t.Errorf("RequestInfoFrom = %+v, %v; want req-1 from 192.0.2.1", info, ok)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("f ran %d times for 8 readers; want 1", n)
	}
}

func TestNewContextCarriesTheIdentityThroughDerivedContextsAndKeepsTheParentsCancellation(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	id := core.Identity{UserID: "alice", Strategy: "cookie", Attributes: core.Attributes{"role": {"admin"}}}
	ctx := core.NewContext(core.WithRequestInfo(parent, core.RequestInfo{ID: "r1"}), id)
	child, stop := context.WithCancel(context.WithValue(ctx, struct{ k int }{2}, "x"))
	defer stop()
	if got, ok := core.FromContext(child); !ok || got.UserID != "alice" || !got.HasRole("admin") {
		t.Errorf("FromContext(derived) = %+v, %v; want alice, admin", got, ok)
	}
	if info, ok := core.RequestInfoFrom(child); !ok || info.ID != "r1" {
		t.Errorf("RequestInfoFrom(derived) = %+v, %v; want r1", info, ok)
	}
	if _, ok := core.FromContext(parent); ok {
		t.Error("FromContext(parent) found an identity; want none")
	}
	if s := fmt.Sprint(ctx); strings.Contains(s, "alice") {
		t.Errorf("the context prints as %q; want no user ID in it", s)
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the parent did not reach a context derived from NewContext's")
	}
}

// oneCookieRequest answers CookieValue and HeaderValue itself; its
// Cookies and Header must not be needed.
type oneCookieRequest struct{ *coretest.Request }

func (oneCookieRequest) Cookies(string) []string { panic("Cookies called") }
func (oneCookieRequest) Header(string) []string  { panic("Header called") }
func (oneCookieRequest) CookieValue(name string) (string, int) {
	return "v-" + name, 2
}
func (oneCookieRequest) HeaderValue(name string) (string, int) {
	return "h-" + name, 3
}

func TestCookieValueAndHeaderValueAskTheRequestFirst(t *testing.T) {
	var r core.Request = oneCookieRequest{&coretest.Request{}}
	if v, n := core.CookieValue(r, "sid"); v != "v-sid" || n != 2 {
		t.Errorf("CookieValue = %q, %d; want the request's own answer v-sid, 2", v, n)
	}
	if v, n := core.HeaderValue(r, "X-A"); v != "h-X-A" || n != 3 {
		t.Errorf("HeaderValue = %q, %d; want the request's own answer h-X-A, 3", v, n)
	}
	// Wrapped for the guard, the request still answers itself.
	w := core.WithLazyRequestInfo(r, func(core.Request) core.RequestInfo { return core.RequestInfo{} })
	if v, n := core.CookieValue(w, "sid"); v != "v-sid" || n != 2 {
		t.Errorf("CookieValue(wrapped) = %q, %d; want v-sid, 2", v, n)
	}
	if v, n := core.HeaderValue(w, "X-A"); v != "h-X-A" || n != 3 {
		t.Errorf("HeaderValue(wrapped) = %q, %d; want h-X-A, 3", v, n)
	}

	// A request without the methods is read through Cookies and Header.
	plain := &coretest.Request{}
	plain.AddCookie("sid", "a").AddCookie("other", "x").AddCookie("sid", "b")
	plain.AddHeader("X-A", "1").AddHeader("X-A", "2")
	if v, n := core.CookieValue(plain, "sid"); v != "a" || n != 2 {
		t.Errorf("CookieValue(plain) = %q, %d; want a, 2", v, n)
	}
	if v, n := core.CookieValue(plain, "none"); v != "" || n != 0 {
		t.Errorf("CookieValue(plain, none) = %q, %d; want \"\", 0", v, n)
	}
	if v, n := core.HeaderValue(plain, "x-a"); v != "1" || n != 2 {
		t.Errorf("HeaderValue(plain) = %q, %d; want 1, 2", v, n)
	}
}

// NewContext on the guard's request uses the room that request keeps for
// one identity; a second identity on the same context, even at the same
// time from another goroutine, gets a node of its own, and neither shows
// through the request's own context.
func TestNewContextOnTheGuardsRequestKeepsEachIdentityApart(t *testing.T) {
	r := core.WithLazyRequestInfo(&coretest.Request{}, func(core.Request) core.RequestInfo {
		return core.RequestInfo{ID: "req-1"}
	})
	var wg sync.WaitGroup
	ctxs := make([]context.Context, 8)
	for i := range ctxs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctxs[i] = core.NewContext(r.Context(), core.Identity{UserID: fmt.Sprint("user-", i)})
		}()
	}
	wg.Wait()
	for i, ctx := range ctxs {
		if got := core.UserID(ctx); got != fmt.Sprint("user-", i) {
			t.Errorf("context %d carries %q; want user-%d", i, got, i)
		}
		if info, ok := core.RequestInfoFrom(ctx); !ok || info.ID != "req-1" {
			t.Errorf("context %d: RequestInfoFrom = %+v, %v; want req-1", i, info, ok)
		}
	}
	if _, ok := core.FromContext(r.Context()); ok {
		t.Error("the request's own context carries an identity; want none")
	}
	base := &coretest.Request{}
	info := func(core.Request) core.RequestInfo { return core.RequestInfo{ID: "req-2"} }
	if n := testing.AllocsPerRun(100, func() {
		r := core.WithLazyRequestInfo(base, info)
		core.NewContext(r.Context(), core.Identity{UserID: "alice"})
	}); n > 1 {
		t.Errorf("a guarded request and its identity took %v allocations; want 1", n)
	}
}
