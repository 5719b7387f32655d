package browser_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// sessionCookie is the example servers' session cookie name.
const sessionCookie = "__Host-gobware_session"

// TestPageSecurityHeaders checks the page's policy: no inline code is
// allowed but the page's own, by hash.
func TestPageSecurityHeaders(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			chromium(t)
			s := exampletest.Start(t, fw)
			r := s.Do(exampletest.Req{Method: "GET", Path: "/"})
			exampletest.Expect(t, "GET /", r, 200)
			csp := r.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'sha256-", "style-src 'sha256-", "connect-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy = %q; want it to contain %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") {
				t.Errorf("Content-Security-Policy = %q; want no 'unsafe-inline'", csp)
			}
		})
	}
}

// TestCookieWalk signs in with a session cookie and shops, on every framework.
func TestCookieWalk(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			chromium(t)
			s := exampletest.Start(t, fw)
			b := openTab(t, s)
			b.open()

			if got := b.state(); got != "signed-out" {
				t.Fatalf("state on a first visit = %q; want %q", got, "signed-out")
			}
			if n := eval[int](b, `document.querySelectorAll('#product-list li').length`); n < 6 {
				t.Fatalf("the page lists %d products; want at least 6", n)
			}
			if got := b.text(`#product-list li:has([data-add="TEE-GOPHER"]) .price`); got != "$19.99" {
				t.Errorf("the T-shirt's price = %q; want %q", got, "$19.99")
			}

			b.click(`button[data-add="MUG-GOPHER"]`)
			b.waitMessage("error", "Sign in to add items")
			if got := eval[string](b, `document.activeElement.id`); got != "username" {
				t.Errorf("focus after adding while signed out is on #%s; want #username", got)
			}

			b.signIn("cookie", "alice", "not-alices-password")
			msg := b.waitMessage("error", "Wrong username or password")
			if got := b.state(); got != "signed-out" {
				t.Fatalf("state after a wrong password = %q (message %q); want %q", got, msg, "signed-out")
			}

			b.signIn("cookie", "alice", "alice-password")
			b.waitState("cookie")
			if got := b.text("#who-name"); got != "alice" {
				t.Errorf("signed in as %q; want %q", got, "alice")
			}
			if got := b.text("#who-strategy"); got != "Session cookie" {
				t.Errorf("strategy shown = %q; want %q", got, "Session cookie")
			}

			// The session cookie is HttpOnly: the browser holds it, scripts cannot see it.
			var found bool
			for _, c := range b.cookies() {
				if c.Name == sessionCookie {
					found = true
					if !c.HTTPOnly || !c.Secure || c.Path != "/" {
						t.Errorf("cookie %s: HttpOnly %v, Secure %v, Path %q; want HttpOnly, Secure, Path /", c.Name, c.HTTPOnly, c.Secure, c.Path)
					}
				}
			}
			if !found {
				t.Fatalf("the browser holds no %s cookie after signing in", sessionCookie)
			}
			if got := eval[string](b, `document.cookie`); strings.Contains(got, "gobware_session") {
				t.Errorf("document.cookie = %q; want the session cookie hidden from scripts", got)
			}

			shop(t, b)

			// The sessions list marks this browser.
			if n := eval[int](b, `document.querySelectorAll('#sessions li').length`); n != 1 {
				t.Errorf("the page lists %d sessions; want 1", n)
			}
			if n := eval[int](b, `document.querySelectorAll('#sessions li.current').length`); n != 1 {
				t.Errorf("%d sessions are marked current; want 1", n)
			}

			// A second device; the page lists both after a reload, which
			// keeps the sign-in because the cookie does.
			other := s.Login("alice")
			b.reload()
			if got := b.state(); got != "cookie" {
				t.Fatalf("state after a reload = %q; want %q", got, "cookie")
			}
			if n := eval[int](b, `document.querySelectorAll('#sessions li').length`); n != 2 {
				t.Errorf("the page lists %d sessions after a second sign-in; want 2", n)
			}
			if got := b.text("#cart-total"); got != "$37.50" {
				t.Errorf("cart total after a reload = %q; want %q", got, "$37.50")
			}

			// The other device signs out everywhere: this page's next request
			// is refused, and the page says so and shows the sign-in form.
			exampletest.Expect(t, "sign out everywhere from the other device",
				s.Do(exampletest.Req{Method: "DELETE", Path: "/api/sessions", Cookie: other}), 204)
			b.click(`button[data-add="STICKER-PACK"]`)
			b.waitState("signed-out")
			b.waitMessage("error", "Your session has ended")
			if hidden := eval[bool](b, `document.getElementById('cart').hidden`); !hidden {
				t.Error("the cart is still shown after the session ended")
			}

			// Sign in again: the cart is kept on the server.
			b.signIn("cookie", "alice", "alice-password")
			b.waitState("cookie")
			if got := b.text("#cart-total"); got != "$37.50" {
				t.Errorf("cart total after signing in again = %q; want %q", got, "$37.50")
			}

			b.click("#sign-out")
			b.waitState("signed-out")
			b.waitMessage("info", "You are signed out")
			for _, path := range []string{"/api/me", "/api/cart", "/api/sessions"} {
				if got := b.fetchStatus(path); got != 401 {
					t.Errorf("the page's fetch of %s after sign-out = %d; want 401", path, got)
				}
			}
			for _, c := range b.cookies() {
				if c.Name == sessionCookie {
					t.Errorf("the browser still holds %s after sign-out", sessionCookie)
				}
			}

			// Sign out everywhere, from the page.
			b.signIn("cookie", "alice", "alice-password")
			b.waitState("cookie")
			other = s.Login("alice")
			b.click("#sign-out-everywhere")
			b.waitState("signed-out")
			b.waitMessage("info", "signed out on every device")
			if got := b.fetchStatus("/api/me"); got != 401 {
				t.Errorf("the page's fetch of /api/me after signing out everywhere = %d; want 401", got)
			}
			exampletest.Expect(t, "the other device after signing out everywhere",
				s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: other}), 401)

			b.noPageErrors()
		})
	}
}

// TestTokenWalk signs in with tokens and shops, on every framework.
func TestTokenWalk(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			chromium(t)
			s := exampletest.Start(t, fw)
			b := openTab(t, s)
			b.open()

			// Choose the mode with the keyboard: arrow keys move between radios.
			b.do("choosing JWT with the keyboard",
				chromedp.Focus(chromedp.CSS(`input[name=mode][value=cookie]`)),
				chromedp.KeyEvent(kb.ArrowDown),
			)
			if got := eval[string](b, `document.querySelector('input[name=mode]:checked').value`); got != "jwt" {
				t.Fatalf("mode after ArrowDown = %q; want %q", got, "jwt")
			}
			b.typeInto("#username", "bob")
			b.typeInto("#password", "bob-password\r")
			b.waitState("jwt")
			if got := b.text("#who-name"); got != "bob" {
				t.Errorf("signed in as %q; want %q", got, "bob")
			}
			if got := b.text("#who-strategy"); got != "JWT (bearer token)" {
				t.Errorf("strategy shown = %q; want %q", got, "JWT (bearer token)")
			}
			if hidden := eval[bool](b, `document.getElementById('sessions-panel').hidden`); !hidden {
				t.Error("the sessions list is shown in token mode")
			}

			shop(t, b)

			// Tokens live in memory only.
			if got := eval[string](b, `JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage), document.cookie])`); got != `[[],[],""]` {
				t.Errorf("localStorage keys, sessionStorage keys, document.cookie = %s; want all empty", got)
			}
			if cs := b.cookies(); len(cs) != 0 {
				t.Errorf("the browser holds %d cookies in token mode; want none", len(cs))
			}
			for _, r := range b.allRequests() {
				if r.Cookie != "" {
					t.Errorf("%s %s sent a cookie in token mode", r.Method, r.Path)
				}
			}
			if len(b.requestsTo("GET", "/api/cart")) == 0 || b.requestsTo("GET", "/api/cart")[0].Authorization == "" {
				t.Error("GET /api/cart carried no Authorization header in token mode")
			}

			// An access token the server refuses is refreshed once, and the
			// request is sent again.
			b.spoil.Store(true)
			b.click(`button[data-add="CAP-GOPHER"]`)
			b.waitFor("the cap in the cart", `document.getElementById('cart-total').textContent === '$55.50'`)
			b.waitMessage("info", "Added Gopher cap")
			if n := len(b.requestsTo("POST", "/api/token/refresh")); n != 1 {
				t.Errorf("the page refreshed its tokens %d times after a refused token; want 1", n)
			}
			if n := len(b.requestsTo("POST", "/api/cart/items")); n != 5 {
				t.Errorf("%d POST /api/cart/items requests; want 5 (three adds, and the cap twice around a refresh)", n)
			}

			// Sign-out revokes the refresh token the page holds.
			b.click("#sign-out")
			b.waitState("signed-out")
			b.waitMessage("info", "You are signed out")
			revokes := b.requestsTo("POST", "/api/token/revoke")
			if len(revokes) != 1 {
				t.Fatalf("%d POST /api/token/revoke on sign-out; want 1", len(revokes))
			}
			var body struct {
				RefreshToken string `json:"refresh_token"`
			}
			if err := json.Unmarshal([]byte(revokes[0].Body), &body); err != nil || body.RefreshToken == "" {
				t.Fatalf("revoke body %q: %v; want a refresh_token", revokes[0].Body, err)
			}
			exampletest.Expect(t, "the revoked refresh token",
				s.Do(exampletest.Req{Method: "POST", Path: "/api/token/refresh", Body: map[string]string{"refresh_token": body.RefreshToken}}), 401)
			if got := b.fetchStatus("/api/me"); got != 401 {
				t.Errorf("the page's fetch of /api/me after sign-out = %d; want 401", got)
			}
			if hidden := eval[bool](b, `document.getElementById('cart').hidden`); !hidden {
				t.Error("the cart is still shown after sign-out")
			}

			b.noPageErrors()
		})
	}
}

// shop fills an empty cart and changes it, checking the totals the page shows:
// it leaves three Gopher mugs ($37.50) in the cart.
func shop(t *testing.T, b *tab) {
	t.Helper()
	total := func(want string) {
		t.Helper()
		b.waitFor("the total "+want, `document.getElementById('cart-total').textContent === `+js(want))
	}
	if got := b.text("#cart-empty"); !strings.Contains(got, "empty") || eval[bool](b, `document.getElementById('cart-empty').hidden`) {
		t.Fatalf("an empty cart does not say so: %q", got)
	}

	b.click(`button[data-add="TEE-GOPHER"]`)
	total("$19.99")
	b.waitMessage("info", "Added Gopher T-shirt")
	b.click(`button[data-add="TEE-GOPHER"]`)
	total("$39.98")
	b.click(`button[data-add="MUG-GOPHER"]`)
	total("$52.48")
	if got := b.text("#cart-count"); got != "3 items" {
		t.Errorf("item count = %q; want %q", got, "3 items")
	}
	if got := b.text(`tr[data-sku="TEE-GOPHER"] .line-total`); got != "$39.98" {
		t.Errorf("T-shirt line total = %q; want %q", got, "$39.98")
	}

	// Change a quantity with the keyboard: type, then Tab away.
	b.typeInto("#qty-MUG-GOPHER", "3"+kb.Tab)
	total("$77.48")
	b.waitMessage("info", "Gopher mug: quantity 3")

	// A quantity the server refuses: the page says why and keeps the old one.
	b.typeInto("#qty-TEE-GOPHER", "150"+kb.Tab)
	if msg := b.waitMessage("error", ""); msg == "" || strings.Contains(msg, "Something went wrong") {
		t.Errorf("message after a refused quantity = %q; want the server's reason", msg)
	}
	if got := b.text("#cart-total"); got != "$77.48" {
		t.Errorf("total after a refused quantity = %q; want %q", got, "$77.48")
	}
	if got := eval[string](b, `document.getElementById('qty-TEE-GOPHER').value`); got != "2" {
		t.Errorf("T-shirt quantity shown after a refused change = %q; want %q", got, "2")
	}

	b.click(`button[data-remove="TEE-GOPHER"]`)
	total("$37.50")
	b.waitMessage("info", "Removed Gopher T-shirt")
	if n := eval[int](b, `document.querySelectorAll('#cart-items tr').length`); n != 1 {
		t.Errorf("cart rows after removing the T-shirt = %d; want 1", n)
	}
	if got := b.text("#cart-summary"); got != "Cart: 3 items, $37.50" {
		t.Errorf("header cart summary = %q; want %q", got, "Cart: 3 items, $37.50")
	}
}
