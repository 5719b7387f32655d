package e2e_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestLoginLimit guesses a password until the server makes the account
// wait: then even the right password gets 429 too_many_requests with
// Retry-After, on both login routes, and after that wait it works again.
func TestLoginLimit(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := exampletest.Start(t, fw)
			wrong := exampletest.Credentials("alice", "not-her-password")
			// The demo's policy: five failures are free, the sixth imposes 1 s.
			for i := range 6 {
				r := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: wrong})
				exampletest.Expect(t, "wrong password #"+strconv.Itoa(i+1), r, 401)
			}
			right := exampletest.Credentials("alice", "alice-password")
			for _, path := range []string{"/api/session", "/api/token"} {
				r := s.Do(exampletest.Req{Method: "POST", Path: path, Body: right})
				exampletest.Expect(t, "the right password while the account waits, on "+path, r, 429)
				if code := r.JSON(t)["code"]; code != "too_many_requests" || r.Header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("429 body %s (%s); want a too_many_requests problem", r.Body, r.Header.Get("Content-Type"))
				}
				if ra := r.Header.Get("Retry-After"); ra != "1" {
					t.Fatalf("Retry-After = %q; want \"1\"", ra)
				}
			}
			// Another account from the same client is not locked.
			exampletest.Expect(t, "bob meanwhile", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("bob", "bob-password")}), 200)

			time.Sleep(time.Second + 100*time.Millisecond) // the server's real backoff; no clock to move in a separate process
			exampletest.Expect(t, "the right password after the wait", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: right}), 200)
			// The success started alice's count afresh: the next wrong password is free again.
			exampletest.Expect(t, "a wrong password after the success", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: wrong}), 401)
			exampletest.Expect(t, "the right password after one more failure", s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: right}), 200)
		})
	}
}
