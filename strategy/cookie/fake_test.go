package cookie_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/cookie"
)

// newRequest returns a GET request from 192.0.2.7 to example.com; add
// cookies with AddCookie, in the order the client sends them.
func newRequest() *coretest.Request {
	return &coretest.Request{HTTPHost: "example.com", IP: "192.0.2.7"}
}

// recorder is a core.Response that keeps what was written.
type recorder struct{ coretest.Response }

func newRecorder() *recorder { return &recorder{} }

// only returns the single cookie written, or nil.
func (w *recorder) only() *http.Cookie {
	if len(w.Cookies) != 1 {
		return nil
	}
	return w.Cookies[0]
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

// CreateCapped counts as a create; the wrapped store must be a cookie.Capper.
func (c *countingStore) CreateCapped(ctx context.Context, s cookie.Session, max int) ([]cookie.Hash, error) {
	c.create.Add(1)
	return c.Store.(cookie.Capper).CreateCapped(ctx, s, max)
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
