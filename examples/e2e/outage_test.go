package e2e

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	et "github.com/gobware/gobware/examples/internal/exampletest"
)

// unavailable fails t unless r is 503 with code "unavailable".
func unavailable(t *testing.T, what string, r et.Resp) {
	t.Helper()
	et.Expect(t, what, r, 503)
	if code := r.JSON(t)["code"]; code != "unavailable" {
		t.Errorf("%s: code %v; want unavailable", what, code)
	}
}

// The database goes away under a running server (its connections dropped,
// new ones refused) and comes back: meanwhile every request that needs it
// is 503 "unavailable", never a 401 that would log people out, and a
// refused write leaves nothing behind; afterwards the same credentials
// work again without a restart.
func TestDatabaseOutage(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"postgres", func(t *testing.T) string { return et.PostgresURL(t) }},
		{"mariadb", func(t *testing.T) string { return et.MySQLURL(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy, url := et.ProxyURL(t, tc.url(t))
			s := et.Start(t, "nethttp", "DATABASE_URL="+url)
			outage(t, s, proxy)
		})
	}
}

// The same with sessions and refresh tokens in Redis, the cart in SQL
// (SQLite), and Redis going away.
func TestRedisOutage(t *testing.T) {
	env := et.RedisEnv(t)
	proxy, url := et.ProxyURL(t, env[0][len("REDIS_URL="):])
	s := et.Start(t, "nethttp", append(env, "REDIS_URL="+url)...)
	outage(t, s, proxy)
}

// outage cuts proxy, in front of the SQL database or of Redis.
func outage(t *testing.T, s *et.Server, proxy *et.Proxy) {
	t.Cleanup(func() {
		if t.Failed() { // the server's view of what went wrong, not its every 503
			for _, line := range strings.Split(s.Stderr.String(), "\n") {
				if strings.Contains(line, "internal error") {
					t.Logf("server: %s", line)
				}
			}
		}
	})
	c := s.Login("alice")
	access, refreshTok := s.Tokens("alice")
	sku := productSKUs(t, s)[0]
	add := et.Req{Method: "POST", Path: "/api/cart/items", Cookie: c, Body: map[string]any{"sku": sku, "quantity": 1}}
	et.Expect(t, "DELETE /api/cart", s.Do(et.Req{Method: "DELETE", Path: "/api/cart", Cookie: c}), 200)
	et.Expect(t, "add before the outage", s.Do(add), 200)

	proxy.Cut()
	unavailable(t, "GET /healthz", s.Do(et.Req{Method: "GET", Path: "/healthz"}))
	unavailable(t, "GET /api/me with a cookie", s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: c}))
	unavailable(t, "add during the outage", s.Do(add))
	// The example servers check revocation watermarks, kept with the
	// refresh tokens: a token whose watermarks this server has not read
	// within the TTL cannot be checked, and is 503, never accepted.
	unavailable(t, "GET /api/cart with a bearer token", s.Do(et.Req{Method: "GET", Path: "/api/cart", Bearer: access}))
	unavailable(t, "POST /api/session", s.Do(et.Req{Method: "POST", Path: "/api/session", Body: et.Credentials("bob", "bob-password")}))
	unavailable(t, "POST /api/token/refresh", refresh(s, refreshTok))

	proxy.Restore(t)
	s.WaitHealthy(20 * time.Second)
	r := s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: c})
	et.Expect(t, "GET /api/me with the same cookie after the outage", r, 200)
	if got := quantities(t, s, c)[sku]; got != 1 {
		t.Errorf("quantity after one add before and one refused during the outage = %d; want 1", got)
	}
	// The refresh refused during the outage spent nothing.
	et.Expect(t, "refresh with the token refused during the outage", refresh(s, refreshTok), 200)
	et.Expect(t, "login after the outage", s.Do(et.Req{Method: "POST", Path: "/api/session", Body: et.Credentials("bob", "bob-password")}), 200)

	// Cut while writes are in flight: each is answered 200 or 503, never
	// 401 or 500, and the cart holds no more than was attempted and no
	// less than was acknowledged.
	et.Expect(t, "DELETE /api/cart", s.Do(et.Req{Method: "DELETE", Path: "/api/cart", Cookie: c}), 200)
	var (
		wg            sync.WaitGroup
		mu            sync.Mutex
		ok, attempted int
		bad           []string
	)
	stop := make(chan struct{})
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r, err := s.Try(add)
				mu.Lock()
				attempted++
				switch {
				case err == nil && r.Status == 200:
					ok++
				case err == nil && r.Status == 503:
				default:
					bad = append(bad, string(r.Body))
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	proxy.Cut()
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d writes during the cut were answered neither 200 nor 503: %q", len(bad), bad)
	}
	proxy.Restore(t)
	s.WaitHealthy(20 * time.Second)
	if got := quantities(t, s, c)[sku]; got < ok || got > attempted {
		t.Errorf("quantity after a cut under load = %d; want between %d acknowledged and %d attempted", got, ok, attempted)
	}
}

// A backend that does not answer at start stops the server with a message
// naming its variable and a non-zero exit, before it listens.
func TestUnreachableBackendsStopTheServerAtStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String() // nothing listens here once closed
	ln.Close()
	for _, tc := range []struct {
		name, env, want string
	}{
		{"postgres", "DATABASE_URL=postgres://postgres@" + closed + "/x?sslmode=disable&connect_timeout=5", "DATABASE_URL"},
		{"mariadb", "DATABASE_URL=mysql://root:@" + closed + "/x", "DATABASE_URL"},
		{"redis", "REDIS_URL=redis://" + closed + "/0", "REDIS_URL: cannot reach Redis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if stderr := et.Fails(t, "nethttp", tc.env); !strings.Contains(stderr, tc.want) {
				t.Errorf("start with %s: stderr %q; want a message naming %q", tc.env, stderr, tc.want)
			}
		})
	}
}
