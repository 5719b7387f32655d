package e2e_test

import (
	"testing"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

func refresh(s *exampletest.Server, token string) exampletest.Resp {
	return s.Do(exampletest.Req{Method: "POST", Path: "/api/token/refresh", Body: map[string]string{"refresh_token": token}})
}

// TestTokenWalk follows a token pair over HTTP: use, rotation, reuse
// detection that revokes the family, and revocation.
func TestTokenWalk(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			access, first := s.Tokens("alice")
			exampletest.Expect(t, "me by token", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: access}), 200)

			r := refresh(s, first)
			exampletest.Expect(t, "refresh", r, 200)
			m := r.JSON(t)
			second, access2 := m["refresh_token"].(string), m["access_token"].(string)
			if second == first || access2 == "" {
				t.Fatal("refresh did not rotate the refresh token")
			}
			exampletest.Expect(t, "the new access token", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: access2}), 200)

			reuse := refresh(s, first)
			exampletest.Expect(t, "reusing a spent refresh token", reuse, 401)
			exampletest.Expect(t, "the family after reuse was detected", refresh(s, second), 401)

			_, other := s.Tokens("alice")
			revoke := s.Do(exampletest.Req{Method: "POST", Path: "/api/token/revoke", Body: map[string]string{"refresh_token": other}})
			exampletest.Expect(t, "revoke", revoke, 204)
			exampletest.Expect(t, "refresh after revoke", refresh(s, other), 401)
		})
	}
}
