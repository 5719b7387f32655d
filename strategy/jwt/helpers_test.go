package jwt_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt"
)

var (
	key1 = bytes.Repeat([]byte{1}, 32)
	key2 = bytes.Repeat([]byte{2}, 32)
	key3 = bytes.Repeat([]byte{3}, 32)
)

// epoch is the fake clock's start: tests never depend on the real time.
var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is an injectable, manually advanced clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: epoch} }

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

// events records security events.
type events struct {
	mu   sync.Mutex
	list []core.Event
}

func (e *events) Func(_ context.Context, ev core.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, ev)
}

func (e *events) Count(t core.EventType) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, ev := range e.list {
		if ev.Type == t {
			n++
		}
	}
	return n
}

// request is a core.Request carrying only headers.
type request struct {
	header http.Header
}

func bearer(token string) request {
	return request{header: http.Header{"Authorization": {"Bearer " + token}}}
}

func (r request) Context() context.Context     { return context.Background() }
func (r request) Method() string               { return http.MethodGet }
func (r request) Host() string                 { return "example.com" }
func (r request) Header(name string) []string  { return r.header.Values(name) }
func (r request) Cookies(name string) []string { return nil }
func (r request) RemoteIP() string             { return "192.0.2.1" }

// newStrategy returns a Strategy over a memory store with a fake clock and
// recorded events. opts.Now and opts.Events are set when nil.
func newStrategy(t testing.TB, keys [][]byte, opts jwt.Options) (*jwt.Strategy, *clock, *events) {
	t.Helper()
	c, ev := newClock(), &events{}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.Events == nil {
		opts.Events = ev.Func
	}
	s, err := jwt.New(keys, jwt.NewMemoryStore(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, c, ev
}

func mustToken(t testing.TB, s *jwt.Strategy, userID string) string {
	t.Helper()
	tok, _, err := s.AccessToken(userID)
	if err != nil {
		t.Fatalf("AccessToken(%q): %v", userID, err)
	}
	return tok
}

var (
	base64Decode  = base64.RawURLEncoding.DecodeString
	jsonUnmarshal = json.Unmarshal
)
