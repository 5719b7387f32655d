package e2e_test

import (
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	et "github.com/gobware/gobware/examples/internal/exampletest"
	"github.com/gobware/gobware/passkey/passkeytest"
)

// TestPasskeys walks each example server's passkey routes with a software
// authenticator behind a page at http://localhost:<port> (the default
// PASSKEY_ORIGINS): alice signs in with her password, adds a passkey, and
// signs in with it alone (a session cookie, as from POST /api/session);
// she lists it, bob cannot delete it, she deletes it, and it no longer
// signs in. Bad input is a 4xx problem with a security event in the log;
// every unsafe passkey route refuses another origin.
func TestPasskeys(t *testing.T) {
	jsonBody := http.Header{"Content-Type": {"application/json"}}
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := et.Start(t, fw)
			u, _ := url.Parse(s.URL)
			auth := passkeytest.NewAuthenticator("http://localhost:" + u.Port())
			alice := s.Login("alice")

			reg, answer := et.RegisterPasskey(t, auth, s, s, alice)
			id, _ := reg.JSON(t)["id"].(string)
			et.Expect(t, "the same answer again", s.Do(et.Req{Method: "POST", Path: "/api/passkeys/register", Cookie: alice, Header: jsonBody, Body: answer}), 400)
			et.Expect(t, "registration options signed out", s.Do(et.Req{Method: "POST", Path: "/api/passkeys/register/options"}), 401)

			signIn := func() et.Resp {
				opts := s.Do(et.Req{Method: "POST", Path: "/api/passkeys/login/options"})
				et.Expect(t, "sign-in options", opts, 200)
				answer, err := auth.Get(opts.Body)
				if err != nil {
					t.Fatal(err)
				}
				return s.Do(et.Req{Method: "POST", Path: "/api/passkeys/login", Header: jsonBody, Body: answer})
			}
			login := signIn()
			et.Expect(t, "passkey sign-in", login, 200)
			cookie := login.CookieNamed(strings.SplitN(alice, "=", 2)[0])
			me := s.Do(et.Req{Method: "GET", Path: "/api/me", Cookie: cookie})
			et.Expect(t, "me after a passkey sign-in", me, 200)
			if me.JSON(t)["username"] != "alice" {
				t.Errorf("me = %s; want alice", me.Body)
			}
			// A passkey sign-in carries the roles as a password one does,
			// and is fresh enough for the admin's DELETE.
			if got := roles(t, me.JSON(t)); !slices.Equal(got, []string{"admin"}) {
				t.Errorf("roles after a passkey sign-in = %q; want [admin]", got)
			}
			et.Expect(t, "an admin DELETE after a passkey sign-in", s.Do(et.Req{Method: "DELETE", Path: adminPath("2"), Cookie: cookie}), 204)

			list := s.Do(et.Req{Method: "GET", Path: "/api/passkeys", Cookie: cookie})
			et.Expect(t, "list", list, 200)
			keys, _ := list.JSON(t)["passkeys"].([]any)
			if len(keys) != 1 {
				t.Fatalf("GET /api/passkeys = %s; want one passkey", list.Body)
			}
			k := keys[0].(map[string]any)
			for _, f := range []string{"id", "name", "created_at", "last_used_at"} {
				if k[f] == nil || k[f] == "" {
					t.Errorf("passkey %v lacks %s", k, f)
				}
			}

			bob := s.Login("bob")
			et.Expect(t, "bob deletes alice's passkey", s.Do(et.Req{Method: "DELETE", Path: "/api/passkeys/" + id, Cookie: bob}), 404)
			et.Expect(t, "bob renames alice's passkey", s.Do(et.Req{Method: "PATCH", Path: "/api/passkeys/" + id, Cookie: bob, Header: jsonBody, Body: `{"name":"mine"}`}), 404)
			renamed := s.Do(et.Req{Method: "PATCH", Path: "/api/passkeys/" + id, Cookie: cookie, Header: jsonBody, Body: `{"name":"Work laptop"}`})
			et.Expect(t, "rename", renamed, 200)
			if renamed.JSON(t)["name"] != "Work laptop" || renamed.JSON(t)["id"] != id {
				t.Errorf("PATCH /api/passkeys/%s = %s; want it named Work laptop", id, renamed.Body)
			}
			et.Expect(t, "an empty name", s.Do(et.Req{Method: "PATCH", Path: "/api/passkeys/" + id, Cookie: cookie, Header: jsonBody, Body: `{"name":""}`}), 422)
			et.Expect(t, "an unknown id", s.Do(et.Req{Method: "DELETE", Path: "/api/passkeys/AAAA", Cookie: cookie}), 404)
			for _, rt := range [][2]string{{"POST", "/api/passkeys/register/options"}, {"POST", "/api/passkeys/register"}, {"POST", "/api/passkeys/login/options"}, {"POST", "/api/passkeys/login"}, {"PATCH", "/api/passkeys/" + id}, {"DELETE", "/api/passkeys/" + id}} {
				h := http.Header{"Origin": {"https://evil.example"}, "Content-Type": {"application/json"}}
				et.Expect(t, "cross-origin "+rt[0]+" "+rt[1], s.Do(et.Req{Method: rt[0], Path: rt[1], Cookie: cookie, Header: h, Body: "{}"}), 403)
			}
			et.Expect(t, "malformed sign-in", s.Do(et.Req{Method: "POST", Path: "/api/passkeys/login", Header: jsonBody, Body: `{"id":"AA"}`}), 400)

			et.Expect(t, "delete", s.Do(et.Req{Method: "DELETE", Path: "/api/passkeys/" + id, Cookie: cookie}), 204)
			gone := signIn()
			et.Expect(t, "sign-in with the deleted passkey", gone, 401)
			if gone.Header.Get("Set-Cookie") != "" {
				t.Errorf("a refused passkey sign-in set a cookie: %q", gone.Header.Values("Set-Cookie"))
			}
			logged := func() bool {
				for _, line := range strings.Split(s.Stdout.String()+s.Stderr.String(), "\n") {
					if strings.Contains(line, "event=login_failed") && strings.Contains(line, "strategy=passkey") && strings.Contains(line, "reason=unknown_credential") {
						return true
					}
				}
				return false
			}
			for deadline := time.Now().Add(3 * time.Second); !logged() && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
			}
			if !logged() {
				t.Errorf("no login_failed event of strategy passkey, reason unknown_credential, in the log")
			}
		})
	}
}

// With REDIS_URL set, passkey challenges live in Redis, one pk: key each,
// expiring within the challenge TTL and gone once answered, and both
// ceremonies work over them.
func TestPasskeyChallengesLiveInRedis(t *testing.T) {
	env := et.RedisEnv(t)
	opt, err := goredis.ParseURL(os.Getenv("GOBWARE_TEST_REDIS_URL"))
	if err != nil {
		t.Fatal(err)
	}
	rc := goredis.NewClient(opt)
	t.Cleanup(func() { rc.Close() })
	pattern := strings.TrimPrefix(env[1], "REDIS_KEY_PREFIX=") + "pk:*"
	challenges := func(what string, want int) {
		t.Helper()
		keys, err := rc.Keys(t.Context(), pattern).Result()
		if err != nil || len(keys) != want {
			t.Fatalf("%s: keys %s = %q, %v; want %d", what, pattern, keys, err, want)
		}
		for _, k := range keys {
			if ttl := rc.PTTL(t.Context(), k).Val(); ttl <= 0 || ttl > 5*time.Minute+time.Millisecond {
				t.Errorf("%s: PTTL %s = %v; want within the 5-minute challenge TTL", what, k, ttl)
			}
		}
	}
	jsonBody := http.Header{"Content-Type": {"application/json"}}
	s := et.Start(t, "nethttp", env...)
	u, _ := url.Parse(s.URL)
	auth := passkeytest.NewAuthenticator("http://localhost:" + u.Port())
	alice := s.Login("alice")

	opts := s.Do(et.Req{Method: "POST", Path: "/api/passkeys/register/options", Cookie: alice})
	et.Expect(t, "registration options", opts, 200)
	challenges("after registration options", 1)
	answer, err := auth.Create(opts.Body)
	if err != nil {
		t.Fatal(err)
	}
	et.Expect(t, "registration", s.Do(et.Req{Method: "POST", Path: "/api/passkeys/register", Cookie: alice, Header: jsonBody, Body: answer}), 201)
	challenges("after registration", 0)

	opts = s.Do(et.Req{Method: "POST", Path: "/api/passkeys/login/options"})
	et.Expect(t, "sign-in options", opts, 200)
	challenges("after sign-in options", 1)
	if answer, err = auth.Get(opts.Body); err != nil {
		t.Fatal(err)
	}
	et.Expect(t, "passkey sign-in", s.Do(et.Req{Method: "POST", Path: "/api/passkeys/login", Header: jsonBody, Body: answer}), 200)
	challenges("after sign-in", 0)
}
