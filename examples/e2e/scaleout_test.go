package e2e

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	et "github.com/gobware/gobware/examples/internal/exampletest"
	"github.com/gobware/gobware/passkey/passkeytest"
)

// Two example servers (of different frameworks) on one shared backend act
// as one: sessions, logouts, refresh tokens, passkey ceremonies and carts
// are shared.
func TestTwoServersShareOneBackend(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(t *testing.T) []string
	}{
		{"postgres", func(t *testing.T) []string { return []string{"DATABASE_URL=" + et.PostgresURL(t)} }},
		{"postgres with sessions in redis", func(t *testing.T) []string {
			return append(et.RedisEnv(t), "DATABASE_URL="+et.PostgresURL(t))
		}},
		{"mariadb", func(t *testing.T) []string { return []string{"DATABASE_URL=" + et.MySQLURL(t)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Both serve the pages of one origin, the load balancer's.
			env := append(tc.env(t), "PASSKEY_ORIGINS="+sharedOrigin)
			// One after the other: the first migrates, the second finds the tables.
			a := et.Start(t, "nethttp", env...)
			b := et.Start(t, "gin", env...)
			t.Run("a session made on one server works on the other", func(t *testing.T) { sessionShared(t, a, b) })
			t.Run("logout on one server ends the session on the other", func(t *testing.T) { logoutShared(t, a, b) })
			t.Run("log out everywhere on one server ends sessions made on the other", func(t *testing.T) { logoutEverywhereShared(t, a, b) })
			t.Run("a refresh token spent on one server is refused by the other", func(t *testing.T) { refreshShared(t, a, b) })
			t.Run("a passkey ceremony begun on one server finishes on the other", func(t *testing.T) { passkeyShared(t, a, b) })
			t.Run("cart writes split between the servers lose nothing", func(t *testing.T) { cartShared(t, a, b) })
		})
	}
}

func me(t *testing.T, s *et.Server, cookie string) et.Resp {
	t.Helper()
	return s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: cookie})
}

func sessionShared(t *testing.T, a, b *et.Server) {
	c := a.Login("alice")
	r := me(t, b, c)
	et.Expect(t, "GET /api/me on the other server", r, 200)
	if got := r.JSON(t)["username"]; got != "alice" {
		t.Errorf("GET /api/me on the other server: username = %v; want alice", got)
	}
}

func logoutShared(t *testing.T, a, b *et.Server) {
	c := a.Login("alice")
	et.Expect(t, "DELETE /api/session on the other server", b.Do(et.Req{Method: "DELETE", Path: "/api/session", Cookie: c}), 204)
	et.Expect(t, "GET /api/me after logout elsewhere", me(t, a, c), 401)
}

func logoutEverywhereShared(t *testing.T, a, b *et.Server) {
	onA, onB := a.Login("bob"), b.Login("bob")
	r := a.Do(et.Req{Method: "GET", Path: "/api/sessions", Cookie: onA})
	et.Expect(t, "GET /api/sessions", r, 200)
	if n := len(r.JSON(t)["sessions"].([]any)); n < 2 {
		t.Errorf("GET /api/sessions on one server lists %d sessions; want both servers' (at least 2)", n)
	}
	et.Expect(t, "DELETE /api/sessions", b.Do(et.Req{Method: "DELETE", Path: "/api/sessions", Cookie: onB}), 204)
	et.Expect(t, "GET /api/me with the other server's session after log out everywhere", me(t, a, onA), 401)
	et.Expect(t, "GET /api/me with this server's session after log out everywhere", me(t, b, onB), 401)
}

func refresh(s *et.Server, tok string) et.Resp {
	return s.Do(et.Req{Method: "POST", Path: "/api/token/refresh", Body: map[string]string{"refresh_token": tok}})
}

func refreshShared(t *testing.T, a, b *et.Server) {
	access, old := a.Tokens("alice")
	r := b.Do(et.Req{Method: "GET", Path: "/api/me", Bearer: access})
	et.Expect(t, "bearer GET /api/me on the other server", r, 200)
	r = refresh(b, old)
	et.Expect(t, "refresh on the other server", r, 200)
	next, _ := r.JSON(t)["refresh_token"].(string)
	et.Expect(t, "the spent refresh token on the first server", refresh(a, old), 401)
	// Reuse revoked the family: the successor is dead on both servers.
	et.Expect(t, "the successor after reuse was detected", refresh(a, next), 401)
}

// sharedOrigin is the origin both servers' pages are served from.
const sharedOrigin = "http://localhost:8080"

func passkeyShared(t *testing.T, a, b *et.Server) {
	jsonBody := http.Header{"Content-Type": {"application/json"}}
	auth := passkeytest.NewAuthenticator(sharedOrigin)
	et.RegisterPasskey(t, auth, a, b, a.Login("alice")) // options from one server, the answer to the other
	opts := b.Do(et.Req{Method: "POST", Path: "/api/passkeys/login/options"})
	et.Expect(t, "sign-in options on the other server", opts, 200)
	answer, err := auth.Get(opts.Body)
	if err != nil {
		t.Fatal(err)
	}
	et.Expect(t, "passkey sign-in on the first server", a.Do(et.Req{Method: "POST", Path: "/api/passkeys/login", Header: jsonBody, Body: answer}), 200)
}

func cartShared(t *testing.T, a, b *et.Server) {
	c := a.Login("alice")
	et.Expect(t, "DELETE /api/cart", a.Do(et.Req{Method: "DELETE", Path: "/api/cart", Cookie: c}), 200)
	skus := productSKUs(t, a)[:2]
	const perSKU = 30
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	for i := range 2 * perSKU {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []*et.Server{a, b}[i%2]
			r, err := s.Try(et.Req{Method: "POST", Path: "/api/cart/items", Cookie: c,
				Body: map[string]any{"sku": skus[(i/2)%2], "quantity": 1}})
			if err != nil || r.Status != 200 {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("%d %v %.200s", r.Status, err, r.Body))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d concurrent adds failed, e.g. %s", len(errs), 2*perSKU, errs[0])
	}
	for _, s := range []*et.Server{a, b} {
		got := quantities(t, s, c)
		for _, sku := range skus {
			if got[sku] != perSKU {
				t.Errorf("%s: quantity of %s = %d; want %d", s.URL, sku, got[sku], perSKU)
			}
		}
	}
}

// productSKUs lists the catalog.
func productSKUs(t *testing.T, s *et.Server) []string {
	t.Helper()
	r := s.Do(et.Req{Method: "GET", Path: "/api/products"})
	et.Expect(t, "GET /api/products", r, 200)
	var skus []string
	for _, p := range r.JSON(t)["products"].([]any) {
		skus = append(skus, p.(map[string]any)["sku"].(string))
	}
	return skus
}

// quantities returns the caller's cart as SKU → quantity.
func quantities(t *testing.T, s *et.Server, cookie string) map[string]int {
	t.Helper()
	r := s.Do(et.Req{Method: "GET", Path: "/api/cart", Cookie: cookie})
	et.Expect(t, "GET /api/cart", r, 200)
	out := map[string]int{}
	for _, it := range r.JSON(t)["items"].([]any) {
		m := it.(map[string]any)
		out[m["sku"].(string)] = int(m["quantity"].(float64))
	}
	return out
}
