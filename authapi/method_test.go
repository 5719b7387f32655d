package authapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// methodServer serves the auth endpoints (sessions, tokens, passkeys)
// under /api, and GET /method answering how the request's user signed in,
// through the API's own chain.
func methodServer(t *testing.T) *httptest.Server {
	t.Helper()
	log := &eventLog{}
	srv := httptest.NewUnstartedServer(nil)
	origin := "http://localhost:" + strings.Split(srv.Listener.Addr().String(), ":")[1]
	sessions, err := cookie.New([][]byte{testSessionKey}, cookie.NewMemoryStore(), cookie.Options{InsecureCookies: true, Events: log.record})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{testAccessKey}, jwt.NewMemoryStore(), jwt.Options{Events: log.record})
	if err != nil {
		t.Fatal(err)
	}
	passkeys, err := passkey.New("localhost", []string{origin}, passkey.NewMemoryStore(), passkey.Options{Events: log.record})
	if err != nil {
		t.Fatal(err)
	}
	api := &authapi.API{Users: aliceAndBob{}, Sessions: sessions, Tokens: tokens, Passkeys: passkeys}
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/api", api.Routes())
	mux.Handle("GET /method", nethttp.New(nethttp.Config{Strategy: api.Strategy()})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := nethttp.Identity(r)
		if id.AuthTime.IsZero() {
			http.Error(w, "no auth time", 500)
			return
		}
		w.Write([]byte(id.Strategy + ":" + id.Method))
	})))
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// The login routes record how the user signed in: "password" for the
// session and token logins, "passkey" for the passkey sign-in, with the
// time of the sign-in, so handlers can tell them apart.
func TestLoginRoutesRecordTheMethod(t *testing.T) {
	srv := methodServer(t)

	b := newBrowser(t, srv)
	b.passwordLogin("alice")
	if got := string(b.expect("method after a password login", 200, "GET", "/method", nil)); got != "cookie:"+core.MethodPassword {
		t.Errorf("GET /method after POST /api/session = %q; want cookie:password", got)
	}

	b.addPasskey()
	other := newBrowser(t, srv)
	other.auth = b.auth // the same authenticator, in a browser without a session
	other.expect("passkey sign-in", 200, "POST", "/api/passkeys/login", other.passkeyAnswer())
	if got := string(other.expect("method after a passkey sign-in", 200, "GET", "/method", nil)); got != "cookie:"+core.MethodPasskey {
		t.Errorf("GET /method after a passkey sign-in = %q; want cookie:passkey", got)
	}

	_, body := b.do("POST", "/api/token", []byte(`{"username":"bob","password":"bob-password"}`))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("POST /api/token = %s", body)
	}
	bearer := newBrowser(t, srv)
	if got := string(bearer.expect("method of a token", 200, "GET", "/method", nil, "Authorization", "Bearer "+tok.AccessToken)); got != "jwt:"+core.MethodPassword {
		t.Errorf("GET /method with the bearer token = %q; want jwt:password", got)
	}
}
