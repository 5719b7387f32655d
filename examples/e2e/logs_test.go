package e2e_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestLogsNameEventsButNoSecret drives a server through logins, logouts,
// refreshes, a reused refresh token, forged credentials and a locked
// account, then reads everything it wrote. Every security event must be
// there, with a request ID and the client's address; no cookie value,
// session ID, token, hash of either, secret or password may be.
func TestLogsNameEventsButNoSecret(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := exampletest.Start(t, fw)
			var secrets []string
			keep := func(vs ...string) {
				for _, v := range vs {
					if v != "" {
						secrets = append(secrets, v)
					}
				}
			}
			me := func(what string, r exampletest.Req, status int) {
				t.Helper()
				r.Method, r.Path = "GET", "/api/me"
				exampletest.Expect(t, what, s.Do(r), status)
			}

			// Sessions: login, use, forged and replayed cookies, logout, log out everywhere.
			login := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("alice", "alice-password")})
			exampletest.Expect(t, "login", login, 200)
			cookie := login.Cookie()
			keep(cookieParts(cookie)...)
			_, device, _ := strings.Cut(login.CookieNamed("__Host-gobware_device"), "=")
			keep(device)
			me("me by cookie", exampletest.Req{Cookie: cookie}, 200)
			me("a tampered cookie", exampletest.Req{Cookie: tamper(cookie)}, 401)
			exampletest.Expect(t, "logout", s.Do(exampletest.Req{Method: "DELETE", Path: "/api/session", Cookie: cookie}), 204)
			me("the cookie after logout", exampletest.Req{Cookie: cookie}, 401)
			other := s.Login("alice")
			keep(cookieParts(other)...)
			exampletest.Expect(t, "log out everywhere", s.Do(exampletest.Req{Method: "DELETE", Path: "/api/sessions", Cookie: other}), 204)

			// Tokens: issue, use, refresh, reuse, a forged token.
			access, first := s.Tokens("bob")
			keep(access, first, hashHex(first))
			me("me by token", exampletest.Req{Bearer: access}, 200)
			me("a tampered token", exampletest.Req{Bearer: tamper(access)}, 401)
			r := refresh(s, first)
			exampletest.Expect(t, "refresh", r, 200)
			m := r.JSON(t)
			access2, second := m["access_token"].(string), m["refresh_token"].(string)
			keep(access2, second, hashHex(second))
			exampletest.Expect(t, "reusing the spent refresh token", refresh(s, first), 401)

			// Guessing: wrong passwords until bob's account must wait (a
			// slow machine may let a guess through after a wait has passed:
			// then the next wait is longer).
			limited := false
			for i := 0; i < 20 && !limited; i++ {
				r := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("bob", "guess-Zq81")})
				limited = r.Status == 429
				if !limited {
					exampletest.Expect(t, "a wrong password", r, 401)
				}
			}
			if !limited {
				t.Fatal("20 wrong passwords and bob's account never had to wait")
			}
			s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("bob", "bob-password")})
			keep("guess-Zq81", "alice-password", "bob-password")
			for _, secret := range []string{exampletest.SessionSecret, exampletest.AccessSecret, exampletest.DeviceSecret} {
				keep(secret)
				raw, _ := base64.StdEncoding.DecodeString(secret)
				keep(string(raw), base64.RawURLEncoding.EncodeToString(raw), hex.EncodeToString(raw))
			}

			s.Stop()
			logs := s.Stdout.String() + s.Stderr.String()
			for _, secret := range secrets {
				if strings.Contains(logs, secret) {
					t.Errorf("the server's output contains the secret %q", secret)
				}
			}
			for _, event := range []string{"login", "logout", "logout_everywhere", "invalid_signature", "unknown_session",
				"invalid_token", "refresh", "refresh_reuse_detected", "login_failed", "rate_limited"} {
				line := lineWith(logs, "event="+event+" ")
				if line == "" {
					t.Errorf("no %s event in the log:\n%s", event, logs)
					continue
				}
				if !strings.Contains(line, "request_id=") || !strings.Contains(line, "client_ip=127.0.0.1") {
					t.Errorf("the %s event lacks the request ID or client address: %s", event, line)
				}
			}
			if t.Failed() {
				t.Logf("server output:\n%s", logs)
			}
		})
	}
}

// cookieParts returns what a cookie "name=<id>.<sig>" must never leak
// through: the value, the ID, the signature and the ID's SHA-256 (what the
// store keeps), in hex and base64url.
func cookieParts(cookie string) []string {
	_, value, _ := strings.Cut(cookie, "=")
	id, sig, _ := strings.Cut(value, ".")
	sum := sha256.Sum256([]byte(id))
	return []string{value, id, sig, hex.EncodeToString(sum[:]), base64.RawURLEncoding.EncodeToString(sum[:])}
}

func hashHex(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// lineWith returns the first line of logs containing s, or "".
func lineWith(logs, s string) string {
	for line := range strings.SplitSeq(logs, "\n") {
		if strings.Contains(line+" ", s) {
			return line
		}
	}
	return ""
}
