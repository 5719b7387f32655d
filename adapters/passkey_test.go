package adapters_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/strategy/cookie"
)

// An adopter's own passkey sign-in handler gets the bound on challenges
// per client (passkey.Options.MaxChallengesPerMinute) from the request's
// context, as the reference routes do: per real client behind a trusted
// proxy, answered with the adapter's Error as a 429 with Retry-After.
func TestPasskeyOptionsFromAnAdoptersHandlerAreBoundedPerClient(t *testing.T) {
	trusted, err := httpapi.ParseTrustedProxies("127.0.0.1/32")
	if err != nil {
		t.Fatal(err)
	}
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			passkeys, err := passkey.New("localhost", []string{"http://localhost:8080"}, passkey.NewMemoryStore(),
				passkey.Options{MaxChallengesPerMinute: 2, Events: func(context.Context, core.Event) {}})
			if err != nil {
				t.Fatal(err)
			}
			sessions := newSessions(t, cookie.NewMemoryStore())
			app := build(t, appConfig{sessions: sessions, auth: sessions, trusted: trusted, passkeys: passkeys})
			ask := func(client string) (int, string, httpapi.Problem) {
				r := httptest.NewRequest("POST", "/passkey-options", nil)
				r.Header.Set("X-Forwarded-For", client)
				res := app(r)
				var p httpapi.Problem
				if res.StatusCode != 200 {
					json.Unmarshal([]byte(body(t, res)), &p)
				}
				return res.StatusCode, res.Header.Get("Retry-After"), p
			}
			for i := 1; i <= 2; i++ {
				if status, _, _ := ask("203.0.113.7"); status != 200 {
					t.Fatalf("request %d of the client = %d; want 200", i, status)
				}
			}
			status, retry, p := ask("203.0.113.7")
			if wait, err := strconv.Atoi(retry); status != 429 || p.Code != httpapi.CodeTooManyRequests || err != nil || wait < 1 || wait > 60 {
				t.Errorf("third request = %d %q, Retry-After %q; want 429 too_many_requests within a minute", status, p.Code, retry)
			}
			if want := "Too many passkey challenges requested from this address;"; len(p.Detail) < len(want) || p.Detail[:len(want)] != want {
				t.Errorf("detail = %q; want it to say what was refused", p.Detail)
			}
			// Another client behind the same proxy has its own allowance.
			if status, _, _ := ask("198.51.100.9"); status != 200 {
				t.Errorf("another client behind the proxy = %d; want 200", status)
			}
		})
	}
}
