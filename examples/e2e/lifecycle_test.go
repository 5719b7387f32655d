package e2e_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// pairOf reads a token response.
func pairOf(t *testing.T, r exampletest.Resp) (access, refreshTok string) {
	t.Helper()
	m := r.JSON(t)
	access, _ = m["access_token"].(string)
	refreshTok, _ = m["refresh_token"].(string)
	if access == "" || refreshTok == "" {
		t.Fatalf("token response without a pair: %s", r.Body)
	}
	return access, refreshTok
}

// raceRefresh sends n refreshes of tok at once.
func raceRefresh(s *exampletest.Server, tok string, n int) []exampletest.Resp {
	var wg sync.WaitGroup
	out := make([]exampletest.Resp, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = refresh(s, tok)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// The token lifecycle settings of the example servers, on every framework:
// long chains with reuse of any earlier token detected, log out everywhere
// reaching access tokens, and the reuse grace window on and off.
func TestTokenLifecycle(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Run("strict (REFRESH_REUSE_GRACE unset)", func(t *testing.T) {
				s := exampletest.Start(t, fw)
				t.Run("a long chain rotates and reuse of a middle token revokes it", func(t *testing.T) {
					_, tok := s.Tokens("alice")
					var chain []string
					for range 40 {
						chain = append(chain, tok)
						r := refresh(s, tok)
						exampletest.Expect(t, "refresh in a chain", r, 200)
						_, tok = pairOf(t, r)
					}
					exampletest.Expect(t, "a middle token of the chain again", refresh(s, chain[20]), 401)
					exampletest.Expect(t, "the newest token after reuse", refresh(s, tok), 401)
				})
				t.Run("20 concurrent refreshes of one token: exactly one wins", func(t *testing.T) {
					_, tok := s.Tokens("alice")
					wins := 0
					for _, r := range raceRefresh(s, tok, 20) {
						switch r.Status {
						case 200:
							wins++
						case 401:
						default:
							t.Errorf("a racing refresh = %d %s; want 200 or 401", r.Status, r.Body)
						}
					}
					if wins != 1 {
						t.Errorf("%d of 20 concurrent refreshes succeeded; want exactly 1", wins)
					}
				})
				t.Run("log out everywhere ends access and refresh tokens at once", func(t *testing.T) {
					access, tok := s.Tokens("bob")
					otherAccess, _ := s.Tokens("bob")
					alice, _ := s.Tokens("alice")
					exampletest.Expect(t, "bearer GET /api/me", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: access}), 200)
					exampletest.Expect(t, "DELETE /api/sessions with a bearer token", s.Do(exampletest.Req{Method: "DELETE", Path: "/api/sessions", Bearer: access}), 204)
					for _, a := range []string{access, otherAccess} {
						exampletest.Expect(t, "bearer GET /api/me after log out everywhere", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: a}), 401)
					}
					exampletest.Expect(t, "refresh after log out everywhere", refresh(s, tok), 401)
					exampletest.Expect(t, "another user's token", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: alice}), 200)
					again, _ := s.Tokens("bob")
					exampletest.Expect(t, "a token from a login right after", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: again}), 200)
				})
				t.Run("revoking a refresh token ends its family's access tokens", func(t *testing.T) {
					access, tok := s.Tokens("alice")
					exampletest.Expect(t, "revoke", s.Do(exampletest.Req{Method: "POST", Path: "/api/token/revoke", Body: map[string]string{"refresh_token": tok}}), 204)
					exampletest.Expect(t, "bearer GET /api/me after revoke", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: access}), 401)
				})
			})
			t.Run("with REFRESH_REUSE_GRACE=5s", func(t *testing.T) {
				s := exampletest.Start(t, fw, "REFRESH_REUSE_GRACE=5s")
				t.Run("20 concurrent refreshes all succeed with one refresh token and the family lives on", func(t *testing.T) {
					_, tok := s.Tokens("alice")
					var next string
					for _, r := range raceRefresh(s, tok, 20) {
						exampletest.Expect(t, "a racing refresh within the grace window", r, 200)
						_, n := pairOf(t, r)
						if next != "" && n != next {
							t.Fatalf("racing refreshes within the grace window gave different refresh tokens")
						}
						next = n
					}
					exampletest.Expect(t, "the shared successor", refresh(s, next), 200)
				})
				t.Run("a token spent two rotations ago is still reuse", func(t *testing.T) {
					_, t1 := s.Tokens("alice")
					_, t2 := pairOf(t, refresh(s, t1))
					_, t3 := pairOf(t, refresh(s, t2))
					exampletest.Expect(t, "the first token again", refresh(s, t1), 401)
					exampletest.Expect(t, "the newest after reuse", refresh(s, t3), 401)
				})
			})
		})
	}
}

func TestTokenLifecycleSettingsAreChecked(t *testing.T) {
	for _, env := range []string{"REFRESH_REUSE_GRACE=soon", "REVOCATION_CACHE_TTL=1h"} {
		name := env[:strings.IndexByte(env, '=')]
		if stderr := exampletest.Fails(t, "nethttp", env); !strings.Contains(stderr, name) {
			t.Errorf("a server started with %s failed without naming it: %s", env, stderr)
		}
	}
}

// Two servers sharing PostgreSQL (or Redis): log out everywhere on one
// ends access tokens there at once, and on the other within
// REVOCATION_CACHE_TTL.
func TestLogoutEverywhereReachesTheOtherServerWithinTheTTL(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(t *testing.T) []string
	}{
		{"postgres", func(t *testing.T) []string { return []string{"DATABASE_URL=" + exampletest.PostgresURL(t)} }},
		{"redis", func(t *testing.T) []string { return exampletest.RedisEnv(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const ttl = 2 * time.Second
			env := append(tc.env(t), "REVOCATION_CACHE_TTL="+ttl.String())
			a := exampletest.Start(t, "nethttp", env...)
			b := exampletest.Start(t, "fiber", env...)
			access, _ := a.Tokens("alice")
			me := func(s *exampletest.Server) int {
				return s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: access}).Status
			}
			if me(a) != 200 || me(b) != 200 {
				t.Fatal("the token is not accepted by both servers before log out everywhere")
			}
			exampletest.Expect(t, "DELETE /api/sessions on the first server", a.Do(exampletest.Req{Method: "DELETE", Path: "/api/sessions", Bearer: access}), 204)
			revoked := time.Now()
			if got := me(a); got != 401 {
				t.Errorf("the server that logged out accepted the token afterwards: %d", got)
			}
			for me(b) != 401 {
				if time.Since(revoked) > ttl+time.Second {
					t.Fatalf("the other server still accepted the token %v after log out everywhere (TTL %v)", time.Since(revoked), ttl)
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Logf("the other server refused the token %v after log out everywhere", time.Since(revoked).Round(time.Millisecond))
		})
	}
}
