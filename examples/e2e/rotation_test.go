package e2e_test

import (
	"crypto/rand"
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestKeyRotation rotates both signing keys without logging anyone out,
// as the README describes: (1) the server runs on the old keys; (2) it
// restarts with "new,old", so new credentials are made with the new key
// and old ones keep working; (3) once old credentials have lapsed it
// restarts with "new" alone, and only then do they stop working.
func TestKeyRotation(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			db := "DATABASE_URL=sqlite:" + filepath.Join(t.TempDir(), "rotation.db")
			oldSession, oldAccess := exampletest.SessionSecret, exampletest.AccessSecret
			newSession, newAccess := randomSecret(), randomSecret()
			start := func(session, access string) *exampletest.Server {
				return exampletest.Start(t, fw, db, "SESSION_SECRET="+session, "ACCESS_TOKEN_SECRET="+access)
			}
			me := func(s *exampletest.Server, what string, r exampletest.Req, status int) {
				t.Helper()
				r.Method, r.Path = "GET", "/api/me"
				exampletest.Expect(t, what, s.Do(r), status)
			}

			s := start(oldSession, oldAccess)
			oldCookie := s.Login("alice")
			oldToken, oldRefresh := s.Tokens("alice")
			s.Stop()

			s = start(newSession+","+oldSession, newAccess+","+oldAccess)
			me(s, "the old cookie with both keys", exampletest.Req{Cookie: oldCookie}, 200)
			me(s, "the old token with both keys", exampletest.Req{Bearer: oldToken}, 200)
			newCookie := s.Login("alice")
			newToken, _ := s.Tokens("alice")
			me(s, "a new cookie with both keys", exampletest.Req{Cookie: newCookie}, 200)
			me(s, "a new token with both keys", exampletest.Req{Bearer: newToken}, 200)
			// Refresh tokens are opaque, stored server-side: no key signs them,
			// so refreshing an old one gives a pair under the new key.
			r := refresh(s, oldRefresh)
			exampletest.Expect(t, "refreshing an old refresh token", r, 200)
			refreshed, _ := r.JSON(t)["access_token"].(string)
			s.Stop()

			s = start(newSession, newAccess)
			me(s, "the old cookie once the old key is gone", exampletest.Req{Cookie: oldCookie}, 401)
			me(s, "the old token once the old key is gone", exampletest.Req{Bearer: oldToken}, 401)
			me(s, "a new cookie after the old key is gone", exampletest.Req{Cookie: newCookie}, 200)
			me(s, "a new token after the old key is gone", exampletest.Req{Bearer: newToken}, 200)
			me(s, "a token refreshed during the rotation", exampletest.Req{Bearer: refreshed}, 200)
		})
	}
}

func randomSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}
