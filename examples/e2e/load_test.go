package e2e

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	et "github.com/gobware/gobware/examples/internal/exampletest"
)

// LoadClients is how many clients sign in and write carts at once.
const LoadClients = 64

// One server on its default SQLite file under 64 concurrent clients, half
// with session cookies and half with bearer tokens, each signing in and
// adding to its user's cart: not one error ("database is locked"
// included), and not one write lost.
func TestSQLiteUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	s := et.Start(t, "nethttp")
	skus := productSKUs(t, s)
	users := []string{"alice", "bob"}
	for _, u := range users {
		c := s.Login(u)
		et.Expect(t, "emptying the cart", s.Do(et.Req{Method: "DELETE", Path: "/api/cart", Cookie: c}), 200)
	}
	const adds = 8 // per client
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		errs      []string
		latencies []time.Duration
		want      = map[string]map[string]int{"alice": {}, "bob": {}}
		limited   atomic.Int32
	)
	record := func(what string, start time.Time, r et.Resp, err error, ok int) bool {
		mu.Lock()
		defer mu.Unlock()
		latencies = append(latencies, time.Since(start))
		if err != nil || r.Status != ok {
			errs = append(errs, fmt.Sprintf("%s: %d %v %.200s", what, r.Status, err, r.Body))
			return false
		}
		return true
	}
	begin := time.Now()
	for i := range LoadClients {
		user, sku := users[i%2], skus[(i/2)%len(skus)]
		want[user][sku] += adds
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := et.Req{Method: "POST", Body: et.Credentials(user, user+"-password")}
			bearer := i%4 >= 2
			if bearer {
				req.Path = "/api/token"
			} else {
				req.Path = "/api/session"
			}
			// Login attempts count before the password is checked, so
			// more simultaneous sign-ins to one account than its free
			// allowance get 429 until the earlier ones are through: a
			// client waits Retry-After and tries again, as real ones do.
			var r et.Resp
			var err error
			for try := 0; ; try++ {
				start := time.Now()
				r, err = s.Try(req)
				if err != nil || r.Status != 429 || try == 30 {
					if !record("sign in "+user, start, r, err, 200) {
						return
					}
					break
				}
				ra, _ := strconv.Atoi(r.Header.Get("Retry-After"))
				limited.Add(1)
				time.Sleep(time.Duration(max(ra, 1)) * time.Second)
			}
			auth := et.Req{Method: "POST", Path: "/api/cart/items", Body: map[string]any{"sku": sku, "quantity": 1}}
			if bearer {
				auth.Bearer, _ = r.JSON(t)["access_token"].(string)
			} else {
				auth.Cookie = r.Cookie()
			}
			for range adds {
				start := time.Now()
				r, err := s.Try(auth)
				record("add "+sku, start, r, err, 200)
			}
			auth.Method, auth.Path, auth.Body = "GET", "/api/cart", nil
			start := time.Now()
			r, err = s.Try(auth)
			record("get cart", start, r, err, 200)
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	slices.Sort(latencies)
	n := len(latencies)
	t.Logf("%d clients, %d requests in %v (%.0f req/s); latency p50 %v, p99 %v, max %v; %d errors; %d sign-ins waited for the login limit",
		LoadClients, n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(),
		latencies[n/2].Round(time.Millisecond), latencies[n*99/100].Round(time.Millisecond), latencies[n-1].Round(time.Millisecond), len(errs), limited.Load())
	if len(errs) > 0 {
		t.Fatalf("%d of %d requests failed; first: %v", len(errs), n, errs[:min(len(errs), 5)])
	}
	for _, u := range users {
		got := quantities(t, s, s.Login(u))
		for sku, q := range want[u] {
			if got[sku] != q {
				t.Errorf("%s's quantity of %s = %d; want %d", u, sku, got[sku], q)
			}
		}
	}
}
