package authapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeytest"
	"github.com/gobware/gobware/strategy/cookie"
)

// aliceAndBob is alice (1) and bob (2), each with the password "<name>-password".
type aliceAndBob struct{}

func (aliceAndBob) Verify(_ context.Context, name, password string) (string, error) {
	switch {
	case name == "alice" && password == "alice-password":
		return "1", nil
	case name == "bob" && password == "bob-password":
		return "2", nil
	}
	return "", core.ErrInvalidCredential
}

func (aliceAndBob) Name(_ context.Context, id string) (string, error) {
	return map[string]string{"1": "alice", "2": "bob"}[id], nil
}

// passkeyServer serves the auth endpoints with passkeys under /api on a
// test server whose origin the passkey Service allows; events go to log.
func passkeyServer(t *testing.T, log *eventLog) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	origin := "http://localhost:" + strings.Split(srv.Listener.Addr().String(), ":")[1]
	sessions, err := cookie.New([][]byte{testSessionKey}, cookie.NewMemoryStore(), cookie.Options{InsecureCookies: true, Events: log.record})
	if err != nil {
		t.Fatal(err)
	}
	passkeys, err := passkey.New("localhost", []string{origin}, passkey.NewMemoryStore(), passkey.Options{Events: log.record})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/api", (&authapi.API{Users: aliceAndBob{}, Sessions: sessions, Passkeys: passkeys}).Routes())
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// browser is a client with a cookie jar and a software authenticator, as
// a browser with a platform authenticator is.
type browser struct {
	t    *testing.T
	srv  *httptest.Server
	c    *http.Client
	auth *passkeytest.Authenticator
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	origin := "http://localhost:" + strings.Split(srv.Listener.Addr().String(), ":")[1]
	return &browser{t: t, srv: srv, c: &http.Client{Jar: jar}, auth: passkeytest.NewAuthenticator(origin)}
}

// do sends a same-origin request (as fetch from the page does) and
// returns the status and body.
func (b *browser) do(method, path string, body []byte, header ...string) (int, []byte) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.srv.URL+path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (b *browser) expect(what string, want int, method, path string, body []byte, header ...string) []byte {
	b.t.Helper()
	got, out := b.do(method, path, body, header...)
	if got != want {
		b.t.Fatalf("%s: %s %s = %d %s; want %d", what, method, path, got, out, want)
	}
	return out
}

func (b *browser) passwordLogin(user string) {
	b.t.Helper()
	b.expect("password login", 200, "POST", "/api/session", []byte(`{"username":"`+user+`","password":"`+user+`-password"}`))
}

func (b *browser) addPasskey() string {
	b.t.Helper()
	options := b.expect("registration options", 200, "POST", "/api/passkeys/register/options", nil)
	answer, err := b.auth.Create(options)
	if err != nil {
		b.t.Fatal(err)
	}
	var v authapi.PasskeyView
	if err := json.Unmarshal(b.expect("registration", 201, "POST", "/api/passkeys/register", answer), &v); err != nil {
		b.t.Fatal(err)
	}
	return v.ID
}

func (b *browser) passkeyAnswer() []byte {
	b.t.Helper()
	options := b.expect("sign-in options", 200, "POST", "/api/passkeys/login/options", nil)
	answer, err := b.auth.Get(options)
	if err != nil {
		b.t.Fatal(err)
	}
	return answer
}

func TestPasskeyEndpointsAddSignInListAndDelete(t *testing.T) {
	b := newBrowser(t, passkeyServer(t, &eventLog{}))
	b.passwordLogin("alice")
	id := b.addPasskey()
	b.expect("log out", 204, "DELETE", "/api/session", nil)
	b.expect("me, signed out", 401, "GET", "/api/me", nil)

	out := b.expect("passkey sign-in", 200, "POST", "/api/passkeys/login", b.passkeyAnswer())
	if !strings.Contains(string(out), `"username":"alice"`) {
		t.Errorf("passkey sign-in body %s; want alice", out)
	}
	b.expect("me, signed in by passkey", 200, "GET", "/api/me", nil)

	var list struct{ Passkeys []map[string]any }
	json.Unmarshal(b.expect("list", 200, "GET", "/api/passkeys", nil), &list) //nolint:errcheck // checked below
	if len(list.Passkeys) != 1 || list.Passkeys[0]["id"] != id || list.Passkeys[0]["name"] != passkey.DefaultName ||
		list.Passkeys[0]["created_at"] == nil || list.Passkeys[0]["last_used_at"] == nil {
		t.Fatalf("GET /api/passkeys = %+v; want the one passkey, used", list)
	}
	b.expect("delete", 204, "DELETE", "/api/passkeys/"+id, nil)
	b.expect("delete again", 404, "DELETE", "/api/passkeys/"+id, nil)
	b.expect("delete a malformed id", 404, "DELETE", "/api/passkeys/!!", nil)
	b.expect("log out", 204, "DELETE", "/api/session", nil)
	out = b.expect("sign-in with the deleted passkey", 401, "POST", "/api/passkeys/login", b.passkeyAnswer())
	if !strings.Contains(string(out), "not registered") {
		t.Errorf("refusal %s does not say the passkey is unknown", out)
	}
}

func TestPasskeyRegistrationNeedsASignedInUser(t *testing.T) {
	b := newBrowser(t, passkeyServer(t, &eventLog{}))
	b.expect("registration options, signed out", 401, "POST", "/api/passkeys/register/options", nil)
	b.expect("registration, signed out", 401, "POST", "/api/passkeys/register", []byte(`{}`))
	b.expect("list, signed out", 401, "GET", "/api/passkeys", nil)
}

func TestAnotherUsersPasskeyIsNotFound(t *testing.T) {
	srv := passkeyServer(t, &eventLog{})
	alice, bob := newBrowser(t, srv), newBrowser(t, srv)
	alice.passwordLogin("alice")
	id := alice.addPasskey()
	bob.passwordLogin("bob")
	bob.expect("bob deleting alice's passkey", 404, "DELETE", "/api/passkeys/"+id, nil)
	var list struct{ Passkeys []any }
	json.Unmarshal(bob.expect("bob's list", 200, "GET", "/api/passkeys", nil), &list) //nolint:errcheck // checked below
	if len(list.Passkeys) != 0 {
		t.Errorf("bob sees %v", list.Passkeys)
	}
	bob.expect("bob renaming alice's passkey", 404, "PATCH", "/api/passkeys/"+id, []byte(`{"name":"mine now"}`))
	var v authapi.PasskeyView
	json.Unmarshal(alice.expect("alice's passkey", 200, "PATCH", "/api/passkeys/"+id, []byte(`{"name":"Laptop"}`)), &v) //nolint:errcheck // checked below
	if v.Name != "Laptop" {
		t.Errorf("alice's passkey is named %q; bob's rename must not have landed", v.Name)
	}
	alice.expect("alice's passkey is still there", 204, "DELETE", "/api/passkeys/"+id, nil)
}

func TestRenamingAPasskeyChangesItsNameOnly(t *testing.T) {
	b := newBrowser(t, passkeyServer(t, &eventLog{}))
	b.passwordLogin("alice")
	id := b.addPasskey()
	var before struct{ Passkeys []authapi.PasskeyView }
	json.Unmarshal(b.expect("list", 200, "GET", "/api/passkeys", nil), &before) //nolint:errcheck // checked below

	var v authapi.PasskeyView
	if err := json.Unmarshal(b.expect("rename", 200, "PATCH", "/api/passkeys/"+id, []byte(`{"name":"Work laptop"}`)), &v); err != nil {
		t.Fatal(err)
	}
	if len(before.Passkeys) != 1 || v.ID != id || v.Name != "Work laptop" || !v.CreatedAt.Equal(before.Passkeys[0].CreatedAt) {
		t.Errorf("renamed = %+v; want %s named Work laptop, created as before (%+v)", v, id, before.Passkeys)
	}
	var after struct{ Passkeys []authapi.PasskeyView }
	json.Unmarshal(b.expect("list", 200, "GET", "/api/passkeys", nil), &after) //nolint:errcheck // checked below
	if len(after.Passkeys) != 1 || after.Passkeys[0].Name != "Work laptop" {
		t.Errorf("list after the rename = %+v", after.Passkeys)
	}

	for _, tt := range []struct {
		what, path, body string
		want             int
	}{
		{"an empty name", "/api/passkeys/" + id, `{"name":""}`, 422},
		{"no name", "/api/passkeys/" + id, `{}`, 422},
		{"a name over 64 bytes", "/api/passkeys/" + id, `{"name":"` + strings.Repeat("x", passkey.MaxNameLen+1) + `"}`, 422},
		{"a control character", "/api/passkeys/" + id, `{"name":"a\u0007b"}`, 422},
		{"an unknown field", "/api/passkeys/" + id, `{"name":"x","owner":"bob"}`, 400},
		{"a duplicate key", "/api/passkeys/" + id, `{"name":"x","name":"y"}`, 400},
		{"an unknown passkey", "/api/passkeys/AAAA", `{"name":"x"}`, 404},
		{"an id that is not base64url", "/api/passkeys/%2A%2A", `{"name":"x"}`, 404},
	} {
		if got, body := b.do("PATCH", tt.path, []byte(tt.body)); got != tt.want {
			t.Errorf("%s: PATCH = %d %s; want %d", tt.what, got, body, tt.want)
		}
	}
	json.Unmarshal(b.expect("list", 200, "GET", "/api/passkeys", nil), &after) //nolint:errcheck // checked below
	if after.Passkeys[0].Name != "Work laptop" {
		t.Errorf("a refused rename changed the name to %q", after.Passkeys[0].Name)
	}
}

func TestEveryUnsafePasskeyRouteRefusesCrossOriginRequests(t *testing.T) {
	log := &eventLog{}
	b := newBrowser(t, passkeyServer(t, log))
	b.passwordLogin("alice")
	id := b.addPasskey()
	for _, rt := range []struct{ method, path string }{
		{"POST", "/api/passkeys/register/options"},
		{"POST", "/api/passkeys/register"},
		{"POST", "/api/passkeys/login/options"},
		{"POST", "/api/passkeys/login"},
		{"PATCH", "/api/passkeys/" + id},
		{"DELETE", "/api/passkeys/" + id},
	} {
		for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "", "Origin", "https://evil.example"}} {
			got, body := b.do(rt.method, rt.path, []byte(`{}`), h...)
			if got != 403 || !strings.Contains(string(body), "forbidden_origin") {
				t.Errorf("%s %s with %q = %d %s; want 403 forbidden_origin", rt.method, rt.path, h, got, body)
			}
		}
	}
	// A signed-out page of another site cannot start a sign-in either.
	signedOut := newBrowser(t, b.srv)
	if got, _ := signedOut.do("POST", "/api/passkeys/login/options", nil, "Sec-Fetch-Site", "cross-site"); got != 403 {
		t.Errorf("cross-site sign-in options without a cookie = %d; want 403", got)
	}
	b.expect("the passkey survived", 204, "DELETE", "/api/passkeys/"+id, nil)
	log.mu.Lock()
	defer log.mu.Unlock()
	denied := 0
	for _, e := range log.events {
		if e.Type == core.EventCrossOriginDenied {
			denied++
		}
	}
	if denied < 13 {
		t.Errorf("%d cross_origin_denied events; want one per refusal (13)", denied)
	}
}

func TestPasskeyBadInputIsA4xxProblem(t *testing.T) {
	log := &eventLog{}
	b := newBrowser(t, passkeyServer(t, log))
	b.passwordLogin("alice")
	options := b.expect("registration options", 200, "POST", "/api/passkeys/register/options", nil)
	answer, _ := b.auth.Create(options)
	for _, tt := range []struct {
		name, path string
		body       []byte
		want       int
		code       string
	}{
		{"registration: not JSON", "/api/passkeys/register", []byte(`{"id":`), 400, "bad_request"},
		{"registration: JSON that is not a credential", "/api/passkeys/register", []byte(`{"id":"AA"}`), 400, "bad_request"},
		{"registration: a member named twice", "/api/passkeys/register", []byte(`{"id":"AA","id":"BB"}`), 400, "bad_request"},
		{"registration: over 64 KiB", "/api/passkeys/register", []byte(`{"x":"` + strings.Repeat("x", 70<<10) + `"}`), 400, "bad_request"},
		{"registration: over 1 MiB", "/api/passkeys/register", []byte(`{"x":"` + strings.Repeat("x", 1<<20) + `"}`), 413, "payload_too_large"},
		{"registration: a challenge never issued", "/api/passkeys/register", swapChallengeText(t, answer), 400, "bad_request"},
		{"sign-in: not JSON", "/api/passkeys/login", []byte(`nope`), 400, "bad_request"},
		{"sign-in: malformed assertion", "/api/passkeys/login", []byte(`{"id":"AA","rawId":"AA","type":"public-key","response":{}}`), 400, "bad_request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, body := b.do("POST", tt.path, tt.body)
			var p struct{ Code, Detail string }
			json.Unmarshal(body, &p) //nolint:errcheck // checked below
			if got != tt.want || p.Code != tt.code || p.Detail == "" {
				t.Errorf("POST %s = %d %s; want %d %s with a detail", tt.path, got, body, tt.want, tt.code)
			}
		})
	}
	b.expect("the real answer still registers", 201, "POST", "/api/passkeys/register", answer)
	b.expect("the same answer again is refused", 400, "POST", "/api/passkeys/register", answer)
	var list struct{ Passkeys []any }
	json.Unmarshal(b.expect("list", 200, "GET", "/api/passkeys", nil), &list) //nolint:errcheck // checked below
	if len(list.Passkeys) != 1 {
		t.Errorf("%d passkeys stored; want only the genuine one", len(list.Passkeys))
	}
	replay := b.passkeyAnswer()
	b.expect("sign-in", 200, "POST", "/api/passkeys/login", replay)
	b.expect("replayed sign-in", 401, "POST", "/api/passkeys/login", replay)
}

// swapChallengeText replaces the challenge in answer's client data with one
// never issued.
func swapChallengeText(t *testing.T, answer []byte) []byte {
	var m map[string]any
	if err := json.Unmarshal(answer, &m); err != nil {
		t.Fatal(err)
	}
	resp := m["response"].(map[string]any)
	cd, _ := decodeB64(resp["clientDataJSON"].(string))
	var c map[string]any
	json.Unmarshal(cd, &c) //nolint:errcheck // made by the authenticator
	c["challenge"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	cd, _ = json.Marshal(c)
	resp["clientDataJSON"] = encodeB64(cd)
	out, _ := json.Marshal(m)
	return out
}

func decodeB64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
func encodeB64(b []byte) string          { return base64.RawURLEncoding.EncodeToString(b) }

// Sign-in options are handed to anyone, and each stores a challenge: one
// client may not ask for more than passkey.DefaultMaxChallengesPerMinute a
// minute, so that it cannot fill the challenge store.
func TestAnonymousPasskeySignInOptionsAreBoundedPerClient(t *testing.T) {
	var log eventLog
	b := newBrowser(t, passkeyServer(t, &log))
	for i := 0; i < passkey.DefaultMaxChallengesPerMinute; i++ {
		b.expect("sign-in options", 200, "POST", "/api/passkeys/login/options", nil)
	}
	req, _ := http.NewRequest("POST", b.srv.URL+"/api/passkeys/login/options", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p httpapi.Problem
	json.NewDecoder(resp.Body).Decode(&p)
	if resp.StatusCode != 429 || p.Code != httpapi.CodeTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("options beyond the bound = %d %q, Retry-After %q; want 429 too_many_requests with Retry-After",
			resp.StatusCode, p.Code, resp.Header.Get("Retry-After"))
	}
}
