package coretest_test

import (
	"context"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
)

var (
	_ core.Request   = (*coretest.Request)(nil)
	_ core.Response  = (*coretest.Response)(nil)
	_ core.EventFunc = (*coretest.Events)(nil).Record
)

type ctxKey struct{}

func TestRequestAnswersFromItsFields(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "v")
	r := (&coretest.Request{Ctx: ctx, HTTPMethod: "POST", HTTPHost: "shop.example:8443", IP: "2001:db8::1"}).
		AddHeader("x-api-key", "a").AddHeader("X-Api-Key", "b").
		AddCookie("s", "1").AddCookie("t", "2").AddCookie("s", "3")
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"Context is Ctx", r.Context().Value(ctxKey{}), "v"},
		{"Method is HTTPMethod", r.Method(), "POST"},
		{"Host is HTTPHost", r.Host(), "shop.example:8443"},
		{"Header matches names case-insensitively, in order", r.Header("X-API-KEY"), []string{"a", "b"}},
		{"Header of a missing name is empty", len(r.Header("Cookie")), 0},
		{"Cookies keeps duplicates in the order added", r.Cookies("s"), []string{"1", "3"}},
		{"Cookies matches names exactly", len(r.Cookies("S")), 0},
		{"RemoteIP is IP", r.RemoteIP(), "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %#v; want %#v", tt.got, tt.want)
			}
		})
	}
}

func TestZeroRequestIsAnEmptyGET(t *testing.T) {
	var r coretest.Request
	if r.Context() == nil || r.Method() != http.MethodGet || r.Host() != "" || r.Header("A") != nil || r.Cookies("a") != nil || r.RemoteIP() != "" {
		t.Errorf("zero Request = ctx %v, %q %q, header %q, cookies %q, ip %q; want background, GET, nothing else",
			r.Context(), r.Method(), r.Host(), r.Header("A"), r.Cookies("a"), r.RemoteIP())
	}
}

func TestResponseKeepsWhatItIsGiven(t *testing.T) {
	var w coretest.Response
	w.SetCookie(&http.Cookie{Name: "a"})
	w.SetCookie(&http.Cookie{Name: "b"})
	w.SetHeader("cache-control", "private")
	w.SetHeader("Cache-Control", "no-store")
	if len(w.Cookies) != 2 || w.Cookies[0].Name != "a" || w.Cookies[1].Name != "b" {
		t.Errorf("Cookies = %v; want a then b", w.Cookies)
	}
	if got := w.Headers.Values("Cache-Control"); !reflect.DeepEqual(got, []string{"no-store"}) {
		t.Errorf("Headers[Cache-Control] = %q; want [no-store]", got)
	}
}

func TestClockMovesOnlyWhenTold(t *testing.T) {
	var zero coretest.Clock
	if got := zero.Now(); !got.Equal(coretest.Epoch) {
		t.Errorf("zero Clock.Now() = %v; want %v", got, coretest.Epoch)
	}
	zero.Advance(time.Minute)
	if got, want := zero.Now(), coretest.Epoch.Add(time.Minute); !got.Equal(want) {
		t.Errorf("zero Clock after Advance(1m) = %v; want %v", got, want)
	}
	start := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	c := coretest.NewClock(start)
	if got := c.Now(); !got.Equal(start) {
		t.Errorf("NewClock(%v).Now() = %v", start, got)
	}
	c.Advance(-time.Hour)
	if got, want := c.Now(), start.Add(-time.Hour); !got.Equal(want) {
		t.Errorf("after Advance(-1h) Now() = %v; want %v", got, want)
	}
	c.Set(start.Add(24 * time.Hour))
	if got, want := c.Now(), start.Add(24*time.Hour); !got.Equal(want) {
		t.Errorf("after Set Now() = %v; want %v", got, want)
	}
}

func TestClockAndEventsAreSafeForConcurrentUse(t *testing.T) {
	c := coretest.NewClock(coretest.Epoch)
	var ev coretest.Events
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
				ev.Record(context.Background(), core.Event{Type: core.EventLogin})
				_ = ev.Count(core.EventLogin)
			}
		})
	}
	wg.Wait()
	if got, want := c.Now(), coretest.Epoch.Add(800*time.Second); !got.Equal(want) {
		t.Errorf("Now() after 800 concurrent Advance(1s) = %v; want %v", got, want)
	}
	if got := ev.Count(core.EventLogin); got != 800 {
		t.Errorf("Count(login) = %d; want 800", got)
	}
	if got := ev.Count(core.EventLogout); got != 0 {
		t.Errorf("Count(logout) = %d; want 0", got)
	}
	if got := len(ev.All()); got != 800 {
		t.Errorf("len(All()) = %d; want 800", got)
	}
}
