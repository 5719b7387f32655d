package cookie_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// fakeRequest is a core.Request with cookies in the order the client sent them.
type fakeRequest struct {
	ctx     context.Context
	headers map[string][]string
	cookies [][2]string
	ip      string
}

func newRequest() *fakeRequest {
	return &fakeRequest{ctx: context.Background(), headers: map[string][]string{}, ip: "192.0.2.7"}
}

// with adds a cookie and returns r.
func (r *fakeRequest) with(name, value string) *fakeRequest {
	r.cookies = append(r.cookies, [2]string{name, value})
	return r
}

func (r *fakeRequest) Context() context.Context { return r.ctx }
func (r *fakeRequest) Method() string           { return http.MethodGet }
func (r *fakeRequest) Host() string             { return "example.com" }
func (r *fakeRequest) RemoteIP() string         { return r.ip }
func (r *fakeRequest) Header(name string) []string {
	return r.headers[http.CanonicalHeaderKey(name)]
}
func (r *fakeRequest) Cookies(name string) []string {
	var out []string
	for _, c := range r.cookies {
		if c[0] == name {
			out = append(out, c[1])
		}
	}
	return out
}

// recorder is a core.Response that keeps what was written.
type recorder struct {
	cookies []*http.Cookie
	headers map[string]string
}

func newRecorder() *recorder { return &recorder{headers: map[string]string{}} }

func (w *recorder) SetCookie(c *http.Cookie)     { w.cookies = append(w.cookies, c) }
func (w *recorder) SetHeader(name, value string) { w.headers[http.CanonicalHeaderKey(name)] = value }

// only returns the single cookie written, or nil.
func (w *recorder) only() *http.Cookie {
	if len(w.cookies) != 1 {
		return nil
	}
	return w.cookies[0]
}

// clock is an injectable, manually advanced clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// eventLog records events.
type eventLog struct {
	mu     sync.Mutex
	events []core.Event
}

func (l *eventLog) record(_ context.Context, e core.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) all() []core.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]core.Event(nil), l.events...)
}

func (l *eventLog) count(t core.EventType) int {
	n := 0
	for _, e := range l.all() {
		if e.Type == t {
			n++
		}
	}
	return n
}

// countingStore counts the calls made to the store it wraps.
type countingStore struct {
	cookie.Store
	create, find, touch, del, delUser, list atomic.Int64
}

func (c *countingStore) total() int64 {
	return c.create.Load() + c.find.Load() + c.touch.Load() + c.del.Load() + c.delUser.Load() + c.list.Load()
}

func (c *countingStore) reset() {
	for _, n := range []*atomic.Int64{&c.create, &c.find, &c.touch, &c.del, &c.delUser, &c.list} {
		n.Store(0)
	}
}

func (c *countingStore) Create(ctx context.Context, s cookie.Session) error {
	c.create.Add(1)
	return c.Store.Create(ctx, s)
}

func (c *countingStore) Find(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	c.find.Add(1)
	return c.Store.Find(ctx, h, now)
}

func (c *countingStore) Touch(ctx context.Context, h cookie.Hash, seen, idle time.Time) error {
	c.touch.Add(1)
	return c.Store.Touch(ctx, h, seen, idle)
}

func (c *countingStore) Delete(ctx context.Context, h cookie.Hash) error {
	c.del.Add(1)
	return c.Store.Delete(ctx, h)
}

func (c *countingStore) DeleteUser(ctx context.Context, userID string) (int, error) {
	c.delUser.Add(1)
	return c.Store.DeleteUser(ctx, userID)
}

func (c *countingStore) List(ctx context.Context, userID string, now time.Time) ([]cookie.Session, error) {
	c.list.Add(1)
	return c.Store.List(ctx, userID, now)
}

// failingStore fails every call with err.
type failingStore struct{ err error }

func (f failingStore) Create(context.Context, cookie.Session) error { return f.err }
func (f failingStore) Find(context.Context, cookie.Hash, time.Time) (cookie.Session, error) {
	return cookie.Session{}, f.err
}
func (f failingStore) Touch(context.Context, cookie.Hash, time.Time, time.Time) error { return f.err }
func (f failingStore) Delete(context.Context, cookie.Hash) error                      { return f.err }
func (f failingStore) DeleteUser(context.Context, string) (int, error)                { return 0, f.err }
func (f failingStore) List(context.Context, string, time.Time) ([]cookie.Session, error) {
	return nil, f.err
}

// Keys used across the tests.
var (
	key1 = []byte("k1: 0123456789abcdef0123456789ab")
	key2 = []byte("k2: 0123456789abcdef0123456789ab")
	key3 = []byte("k3: 0123456789abcdef0123456789ab")
)

// valueParts splits a cookie value into id and signature.
func valueParts(v string) (id, sig string) {
	id, sig, _ = strings.Cut(v, ".")
	return id, sig
}
