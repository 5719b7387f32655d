package authapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

var (
	testSessionKey = []byte("httpapi test session key 32 byte")
	testAccessKey  = []byte("httpapi test access key, 32 byte")
)

// eventLog collects events.
type eventLog struct {
	mu     sync.Mutex
	events []core.Event
	ctxs   []context.Context
}

func (l *eventLog) record(ctx context.Context, e core.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events, l.ctxs = append(l.events, e), append(l.ctxs, ctx)
}

// limitedAPI is the auth endpoints with users{} (alice / alice-password),
// memory stores and a limiter on a settable clock.
func limitedAPI(t *testing.T, now *time.Time, events core.EventFunc) map[string]httpapi.Resource {
	t.Helper()
	return limitedAPIWith(t, now, events, users{}, nil, nil)
}

// limitedAPIWith is limitedAPI with the given users, limiter store (nil:
// in memory) and device tokens (nil: none).
func limitedAPIWith(t *testing.T, now *time.Time, events core.EventFunc, u authapi.Users, store limiter.Store, devices *limiter.Devices) map[string]httpapi.Resource {
	t.Helper()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return *now }
	sessions, err := cookie.New([][]byte{testSessionKey}, cookie.NewMemoryStore(), cookie.Options{Events: events})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{testAccessKey}, jwt.NewMemoryStore(), jwt.Options{Events: events})
	if err != nil {
		t.Fatal(err)
	}
	lim, err := limiter.New(limiter.Options{Store: store, Free: 2, Now: clock, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	api := &authapi.API{Users: u, Sessions: sessions, Tokens: tokens, Limiter: lim, Devices: devices}
	out := map[string]httpapi.Resource{}
	for _, res := range httpapi.Resources(httpapi.Prefix("/api", api.Routes())) {
		out[res.Pattern] = res
	}
	return out
}

func post(res httpapi.Resource, path, body, remote string) *httpapi.Reply {
	r := httptest.NewRequest("POST", path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = remote + ":4711"
	return httpapi.Serve(res, httpapi.HTTPRequest(r, nil))
}

func TestLoginIsLimitedPerAccountWithRetryAfter(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	api := limitedAPI(t, &now, func(context.Context, core.Event) {})
	const wrong, right = `{"username":"alice","password":"nope"}`, `{"username":"alice","password":"alice-password"}`
	for _, path := range []string{"/api/session", "/api/token"} {
		t.Run(path, func(t *testing.T) {
			res := api[path]
			for i := range 3 {
				if reply := post(res, path, wrong, "192.0.2.1"); reply.Status != 401 {
					t.Fatalf("wrong password #%d = %d %s; want 401", i+1, reply.Status, reply.Body)
				}
			}
			reply := post(res, path, right, "192.0.2.1")
			if reply.Status != 429 || problemCode(t, reply) != "too_many_requests" || reply.Header.Get("Retry-After") != "1" {
				t.Fatalf("right password while locked = %d Retry-After=%q %s; want 429 too_many_requests, Retry-After: 1", reply.Status, reply.Header.Get("Retry-After"), reply.Body)
			}
			if reply := post(res, path, right, "198.51.100.9"); reply.Status != 429 {
				t.Fatalf("right password from another address while the account is locked = %d; want 429", reply.Status)
			}
			if reply := post(res, path, `{"username":"bob","password":"x"}`, "192.0.2.1"); reply.Status != 401 {
				t.Fatalf("another account from the same address = %d; want 401 (the address still has free failures)", reply.Status)
			}
			now = now.Add(time.Second)
			if reply := post(res, path, right, "192.0.2.1"); reply.Status != 200 {
				t.Fatalf("right password after the wait = %d %s; want 200", reply.Status, reply.Body)
			}
			if reply := post(res, path, wrong, "192.0.2.1"); reply.Status != 401 {
				t.Fatalf("a wrong password after a success = %d; want 401 (the count started afresh)", reply.Status)
			}
			now = now.Add(limiter.DefaultForget) // the next subtest starts clean
		})
	}
}

func TestMalformedLoginsAreNotCounted(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	res := limitedAPI(t, &now, func(context.Context, core.Event) {})["/api/session"]
	for range 5 {
		if reply := post(res, "/api/session", `{"username":"alice"}`, "192.0.2.1"); reply.Status != 422 {
			t.Fatalf("login without a password = %d; want 422", reply.Status)
		}
	}
	if reply := post(res, "/api/session", `{"username":"alice","password":"alice-password"}`, "192.0.2.1"); reply.Status != 200 {
		t.Fatalf("login after malformed attempts = %d %s; want 200", reply.Status, reply.Body)
	}
}

func TestRetryAfterRoundsUp(t *testing.T) {
	for _, tt := range []struct {
		wait time.Duration
		want string
	}{
		{time.Millisecond, "1"},
		{time.Second, "1"},
		{1500 * time.Millisecond, "2"},
		{15 * time.Minute, "900"},
	} {
		reply := httpapi.Error(&limiter.LimitedError{Wait: tt.wait})
		if reply.Status != 429 || reply.Header.Get("Retry-After") != tt.want {
			t.Errorf("Error(LimitedError{%v}) = %d Retry-After=%q; want 429 %q", tt.wait, reply.Status, reply.Header.Get("Retry-After"), tt.want)
		}
	}
}

func TestEventsCarryTheRequestInfo(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	log := &eventLog{}
	api := limitedAPI(t, &now, log.record)
	r := httptest.NewRequest("POST", "/api/session", strings.NewReader(`{"username":"alice","password":"alice-password"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Request-ID", "edge-42")
	r.RemoteAddr = "203.0.113.5:1234"
	reply := httpapi.Serve(api["/api/session"], httpapi.HTTPRequest(r, nil))
	if reply.Status != 200 || reply.Header.Get("X-Request-ID") != "edge-42" {
		t.Fatalf("login = %d X-Request-ID=%q; want 200 edge-42", reply.Status, reply.Header.Get("X-Request-ID"))
	}
	if len(log.events) == 0 {
		t.Fatal("no event for a login")
	}
	for i, e := range log.events {
		info, ok := core.RequestInfoFrom(log.ctxs[i])
		if !ok || info.ID != "edge-42" || info.ClientIP != "203.0.113.5" {
			t.Errorf("event %s has request info %+v, %v; want edge-42 from 203.0.113.5", e.Type, info, ok)
		}
	}
}

func TestRequestIDsFromClientsMustBePlain(t *testing.T) {
	res := httpapi.Resources([]httpapi.Route{{Method: "GET", Pattern: "/", Handler: func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		return httpapi.NoContent()
	}}})[0]
	for _, tt := range []struct {
		name, header string
		kept         bool
	}{
		{"a plain ID is kept", "0f8e-42_a.b:c", true},
		{"a missing ID is generated", "", false},
		{"a line break is replaced", "a\nlevel=ERROR msg=forged", false},
		{"spaces and quotes are replaced", `a" b`, false},
		{"an ID over 64 bytes is replaced", strings.Repeat("a", 65), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newFake("GET")
			if tt.header != "" {
				r.Headers.Set("X-Request-ID", tt.header)
			}
			got := httpapi.Serve(res, r).Header.Get("X-Request-ID")
			if (got == tt.header) != tt.kept || got == "" || len(got) > 64 {
				t.Errorf("X-Request-ID for %q = %q; want kept=%v, non-empty, at most 64 bytes", tt.header, got, tt.kept)
			}
		})
	}
}

func TestGuardPutsRequestInfoInTheContext(t *testing.T) {
	r := newFake("GET")
	r.AddCookie("sid", "good")
	var seen core.RequestInfo
	s := core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		seen, _ = core.RequestInfoFrom(r.Context())
		return core.Identity{UserID: "1"}, nil
	})
	ctx, reply := httpapi.Guard{Strategy: s}.Check(context.Background(), r)
	info, ok := core.RequestInfoFrom(ctx)
	if reply != nil || !ok || info.ID == "" || info.ClientIP != "192.0.2.1" || seen != info {
		t.Errorf("Check: ctx info %+v (%v), strategy saw %+v; want the same non-empty info from 192.0.2.1", info, ok, seen)
	}
}

// slowUsers is users{} with a password check that takes a while, as bcrypt
// does, and counts how often it runs.
type slowUsers struct {
	users
	checks *atomic.Int32
}

func (u slowUsers) Verify(ctx context.Context, name, password string) (string, error) {
	u.checks.Add(1)
	time.Sleep(20 * time.Millisecond)
	return u.users.Verify(ctx, name, password)
}

func TestConcurrentWrongPasswordsAreCheckedOnlyUpToTheAllowance(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	checks := &atomic.Int32{}
	res := limitedAPIWith(t, &now, func(context.Context, core.Event) {}, slowUsers{checks: checks}, nil, nil)["/api/session"]
	const n = 30
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses <- post(res, "/api/session", `{"username":"alice","password":"guess"}`, fmt.Sprintf("192.0.2.%d", i+1)).Status
		}()
	}
	close(start)
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	// The API's policy: two free failures, and the third starts the wait.
	if got := checks.Load(); got != 3 || count[401] != 3 || count[429] != n-3 {
		t.Fatalf("%d concurrent wrong passwords: %d password checks, statuses %v; want 3 checks, 3×401 and %d×429", n, got, count, n-3)
	}
}

// hangUpUsers accepts alice's password, but the client hangs up during
// the check (its request's context is cancelled).
type hangUpUsers struct {
	users
	hangUp context.CancelFunc
}

func (u hangUpUsers) Verify(ctx context.Context, name, password string) (string, error) {
	if password == "alice-password" {
		u.hangUp()
	}
	return u.users.Verify(ctx, name, password)
}

// ctxStore is a MemoryStore that refuses work for a cancelled context, as
// database drivers do.
type ctxStore struct{ *limiter.MemoryStore }

func (s ctxStore) Get(ctx context.Context, key string) (limiter.Record, error) {
	if err := ctx.Err(); err != nil {
		return limiter.Record{}, err
	}
	return s.MemoryStore.Get(ctx, key)
}

func (s ctxStore) CompareAndSwap(ctx context.Context, key string, old, next limiter.Record, expires time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return s.MemoryStore.CompareAndSwap(ctx, key, old, next, expires)
}

func (s ctxStore) Reset(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.MemoryStore.Reset(ctx, key)
}

// TestALoginIsSettledWhenTheClientHangsUp checks that the limiter settles
// with a context the client cannot cancel: the address gets its attempt
// back and the account starts afresh although the request's context was
// cancelled during the password check.
func TestALoginIsSettledWhenTheClientHangsUp(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	store := ctxStore{limiter.NewMemoryStore()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res := limitedAPIWith(t, &now, func(context.Context, core.Event) {}, hangUpUsers{hangUp: cancel}, store, nil)["/api/session"]
	post(res, "/api/session", `{"username":"alice","password":"nope"}`, "192.0.2.1") // one failure for the account
	r := httptest.NewRequestWithContext(ctx, "POST", "/api/session", strings.NewReader(`{"username":"alice","password":"alice-password"}`))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = "198.51.100.7:4711"
	httpapi.Serve(res, httpapi.HTTPRequest(r, nil))
	for _, key := range []string{limiter.Account("alice"), limiter.IP("198.51.100.7")} {
		sum := sha256.Sum256([]byte(key))
		if rec, _ := store.Get(context.Background(), hex.EncodeToString(sum[:])); rec.Failures != 0 {
			t.Errorf("%s after a correct login whose client hung up: %+v; want nothing counted", key, rec)
		}
	}
}

// postWith is post with a Cookie header.
func postWith(res httpapi.Resource, path, body, remote, cookie string) *httpapi.Reply {
	r := httptest.NewRequest("POST", path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = remote + ":4711"
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	return httpapi.Serve(res, httpapi.HTTPRequest(r, nil))
}

// deviceCookie returns the "name=value" of the device cookie reply sets.
func deviceCookie(t *testing.T, reply *httpapi.Reply) string {
	t.Helper()
	for _, line := range reply.Header.Values("Set-Cookie") {
		if strings.HasPrefix(line, limiter.DefaultDeviceCookieName+"=") {
			v, _, _ := strings.Cut(line, ";")
			return v
		}
	}
	t.Fatalf("reply %d sets no device cookie: %q", reply.Status, reply.Header.Values("Set-Cookie"))
	return ""
}

// twoUsers knows alice and bob.
type twoUsers struct{}

func (twoUsers) Verify(ctx context.Context, name, password string) (string, error) {
	if (name == "alice" || name == "bob") && password == name+"-password" {
		return name, nil
	}
	return "", core.ErrInvalidCredential
}

func (twoUsers) Name(ctx context.Context, id string) (string, error) { return id, nil }

// TestTheOwnersBrowserSignsInWhileAnAttackerIsLockedOut: on both login
// routes, after an attacker has burned alice's allowance, her browser's
// device token still gets her in, and renews; the attacker gets 429
// without a token, with bob's and with a forged one.
func TestTheOwnersBrowserSignsInWhileAnAttackerIsLockedOut(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	devices, err := limiter.NewDevices([][]byte{[]byte("httpapi test device key, 32 byte")}, limiter.DeviceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	api := limitedAPIWith(t, &now, func(context.Context, core.Event) {}, twoUsers{}, nil, devices)
	const right, wrong = `{"username":"alice","password":"alice-password"}`, `{"username":"alice","password":"guess"}`
	for _, path := range []string{"/api/session", "/api/token"} {
		t.Run(path, func(t *testing.T) {
			res := api[path]
			signIn := postWith(res, path, right, "198.51.100.1", "")
			if signIn.Status != 200 {
				t.Fatalf("alice's first login = %d %s", signIn.Status, signIn.Body)
			}
			owner := deviceCookie(t, signIn)
			bobs := deviceCookie(t, postWith(res, path, `{"username":"bob","password":"bob-password"}`, "198.51.100.2", ""))
			forged := owner[:len(owner)-3] + map[bool]string{true: "AAA", false: "BBB"}[!strings.HasSuffix(owner, "AAA")]
			for i := range 3 { // the API allows two free failures and a third that starts the wait
				if reply := postWith(res, path, wrong, "192.0.2.66", ""); reply.Status != 401 {
					t.Fatalf("the attacker's wrong password #%d = %d; want 401", i+1, reply.Status)
				}
			}
			for _, tt := range []struct{ name, cookie string }{
				{"no device token", ""},
				{"bob's device token", bobs},
				{"a forged device token", forged},
			} {
				if reply := postWith(res, path, right, "192.0.2.66", tt.cookie); reply.Status != 429 {
					t.Errorf("the right password with %s while alice's account waits = %d; want 429", tt.name, reply.Status)
				}
			}
			reply := postWith(res, path, right, "198.51.100.1", owner)
			if reply.Status != 200 {
				t.Fatalf("alice's browser with its device token = %d %s; want 200", reply.Status, reply.Body)
			}
			if renewed := deviceCookie(t, reply); renewed == owner {
				t.Errorf("the device token was not renewed")
			}
			now = now.Add(limiter.DefaultForget) // the next subtest starts clean
		})
	}
}

func TestStrategiesRefuseAKeyTheOtherAlreadyUses(t *testing.T) {
	shared := []byte("one key for cookies and tokens!!")
	if _, err := cookie.New([][]byte{shared}, cookie.NewMemoryStore(), cookie.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := jwt.New([][]byte{[]byte("a token key of its own, 32 bytes"), shared}, jwt.NewMemoryStore(), jwt.Options{}); !errors.Is(err, core.ErrKeyReuse) {
		t.Errorf("jwt.New with the cookie key in its ring: %v; want core.ErrKeyReuse", err)
	}
	token := []byte("a token key first, then cookies!")
	if _, err := jwt.New([][]byte{token}, jwt.NewMemoryStore(), jwt.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cookie.New([][]byte{token}, cookie.NewMemoryStore(), cookie.Options{}); !errors.Is(err, core.ErrKeyReuse) || !errors.Is(err, cookie.ErrBadKey) {
		t.Errorf("cookie.New with the token key: %v; want cookie.ErrBadKey wrapping core.ErrKeyReuse", err)
	}
}
