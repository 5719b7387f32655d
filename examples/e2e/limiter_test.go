package e2e_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// lockFor sends wrong passwords for user until the server makes the
// account wait at least min seconds, and returns the wait (Retry-After) and
// when it was read. The demo's policy: five free failures, a sixth that
// starts a 1 s wait, then twice as long after each failure; so min 4 takes
// about three seconds of waiting, min 8 about seven. A wait that long leaves a loaded machine
// ample time for the checks that need the account to be waiting (a 1 s
// window does not), and every sleep here is one that a slow server only
// makes longer than needed, never too short.
func lockFor(t *testing.T, s *exampletest.Server, user string, min int) (int, time.Time) {
	t.Helper()
	wrong := exampletest.Credentials(user, "not-the-password")
	for i := 1; i <= 20; i++ {
		r := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: wrong})
		switch {
		case i <= 6:
			exampletest.Expect(t, "free wrong password #"+strconv.Itoa(i), r, 401)
		case r.Status == 401:
			// The wait had passed: this failure counted and doubled it.
		case r.Status == 429:
			ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
			if err != nil || ra < 1 {
				t.Fatalf("429 with Retry-After %q; want whole seconds", r.Header.Get("Retry-After"))
			}
			if ra >= min {
				return ra, time.Now()
			}
			time.Sleep(time.Duration(ra)*time.Second + 100*time.Millisecond)
		default:
			exampletest.Expect(t, "wrong password #"+strconv.Itoa(i), r, 401)
		}
	}
	t.Fatalf("the account never had to wait %d s", min)
	return 0, time.Time{}
}

// TestLoginLimit guesses a password until the server makes the account
// wait: then even the right password gets 429 too_many_requests with
// Retry-After, on both login routes, another account is not affected, and
// after the wait the right password works again.
func TestLoginLimit(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := exampletest.Start(t, fw)
			wait, since := lockFor(t, s, "alice", 4)
			right := exampletest.Credentials("alice", "alice-password")
			for _, path := range []string{"/api/session", "/api/token"} {
				r := s.Do(exampletest.Req{Method: "POST", Path: path, Body: right})
				exampletest.Expect(t, "the right password while the account waits, on "+path, r, 429)
				if code := r.JSON(t)["code"]; code != "too_many_requests" || r.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("429 body %s (%s); want a too_many_requests problem", r.Body, r.Header.Get("Content-Type"))
				}
				if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > wait {
					t.Fatalf("Retry-After = %q; want 1 to %d", r.Header.Get("Retry-After"), wait)
				}
			}
			// Another account from the same client is not locked.
			exampletest.Expect(t, "bob meanwhile", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("bob", "bob-password")}), 200)

			time.Sleep(time.Until(since.Add(time.Duration(wait)*time.Second + 100*time.Millisecond))) // the server's real backoff; no clock to move in a separate process
			exampletest.Expect(t, "the right password after the wait", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: right}), 200)
			// The success started alice's count afresh: the next wrong password is free again.
			exampletest.Expect(t, "a wrong password after the success", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("alice", "not-the-password")}), 401)
			exampletest.Expect(t, "the right password after one more failure", s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: right}), 200)
		})
	}
}

// TestDeviceTokenKeepsTheOwnerSignedIn: an attacker burns alice's
// allowance; her browser, which signed in before and holds a device token,
// still signs in (with a session or a token), while the attacker gets 429
// without a token, with bob's, and with a forged one.
func TestDeviceTokenKeepsTheOwnerSignedIn(t *testing.T) {
	const device = "__Host-gobware_device"
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := exampletest.Start(t, fw)
			right := exampletest.Credentials("alice", "alice-password")
			first := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: right})
			exampletest.Expect(t, "alice signs in", first, 200)
			owner := first.CookieNamed(device)
			if owner == "" || first.Cookie() == owner {
				t.Fatalf("login Set-Cookie %q; want the session cookie, then a %s cookie", first.Header.Values("Set-Cookie"), device)
			}
			bobs := s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: exampletest.Credentials("bob", "bob-password")}).CookieNamed(device)
			if bobs == "" {
				t.Fatalf("bob's token login set no %s cookie", device)
			}
			other := "A" // one character of the signature changed
			if owner[len(owner)-5:len(owner)-4] == other {
				other = "B"
			}
			forged := owner[:len(owner)-5] + other + owner[len(owner)-4:]

			// Eight seconds of waiting: the owner's login inside it runs a
			// password check, slow on a loaded machine.
			lockFor(t, s, "alice", 8)
			for _, tt := range []struct{ what, cookie string }{
				{"the attacker without a device token", ""},
				{"the attacker with bob's device token", bobs},
				{"the attacker with a forged device token", forged},
			} {
				r := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: right, Cookie: tt.cookie})
				exampletest.Expect(t, tt.what, r, 429)
			}
			r := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: right, Cookie: owner})
			exampletest.Expect(t, "alice's browser with its device token", r, 200)
			exampletest.Expect(t, "the attacker after alice's login", s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: right}), 429)
			renewed := r.CookieNamed(device)
			if renewed == "" || renewed == owner {
				t.Fatalf("the owner's login renewed the device token to %q; want a new one", renewed)
			}
			// The device's own count, whatever the account's state.
			exampletest.Expect(t, "a wrong password from alice's browser", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("alice", "typo"), Cookie: renewed}), 401)
			exampletest.Expect(t, "alice's browser asks for a token", s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: right, Cookie: renewed}), 200)
		})
	}
}
