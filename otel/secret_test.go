package otel_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/authapi"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/limiter"
	gobotel "github.com/gobware/gobware/otel"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

const (
	testUser     = "carol-the-tester"
	testUserID   = "uid-5b1e9c"
	testPassword = "correct horse battery staple"
)

// users knows one user.
type users struct{}

func (users) Verify(_ context.Context, username, password string) (string, error) {
	if username == testUser && password == testPassword {
		return testUserID, nil
	}
	return "", core.ErrInvalidCredential
}

func (users) Name(context.Context, string) (string, error) { return testUser, nil }

// TestSpansAndMetricsCarryNoSecret drives the auth endpoints over HTTP with
// every store and strategy observed (logins both ways, a wrong password,
// authenticated requests, a refresh, a reuse, logouts) and then searches
// every span name, attribute, status and event, and every metric attribute,
// for the cookie, the session ID, the tokens, their hashes, the username,
// the user ID, the password and the limiter's key hashes.
func TestSpansAndMetricsCarryNoSecret(t *testing.T) {
	reader, spans := sdkmetric.NewManualReader(), tracetest.NewSpanRecorder()
	tel, err := gobotel.New(gobotel.Options{
		MeterProvider:  sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)),
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)),
	})
	if err != nil {
		t.Fatal(err)
	}
	events := tel.Events(func(context.Context, core.Event) {})
	sessions, err := cookie.New([][]byte{key(t)}, tel.SessionStore(cookie.NewMemoryStore()), cookie.Options{InsecureCookies: true, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{key(t)}, tel.RefreshStore(jwt.NewMemoryStore()), jwt.Options{Events: events})
	if err != nil {
		t.Fatal(err)
	}
	logins, err := limiter.New(limiter.Options{Store: tel.LimiterStore(limiter.NewMemoryStore()), Events: events})
	if err != nil {
		t.Fatal(err)
	}
	api := &authapi.API{Users: users{}, Sessions: sessions, Tokens: tokens, Limiter: logins, Measure: tel.Strategy}
	srv := httptest.NewServer(nethttp.Handler(httpapi.Prefix("/api", api.Routes())))
	defer srv.Close()

	call := func(method, path, body string, header ...string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	decode := func(resp *http.Response, v any) {
		t.Helper()
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
	creds := `{"username":"` + testUser + `","password":"` + testPassword + `"}`
	wrong := `{"username":"` + testUser + `","password":"` + testPassword + `x"}`

	var secrets []string
	call(http.MethodPost, "/api/session", wrong).Body.Close()
	resp := call(http.MethodPost, "/api/session", creds)
	resp.Body.Close()
	var cookieValue string
	for _, c := range resp.Cookies() {
		cookieValue = c.Value
	}
	if cookieValue == "" {
		t.Fatalf("login answered %d without a cookie", resp.StatusCode)
	}
	sessionID, _, _ := strings.Cut(cookieValue, ".")
	sessionHash := cookie.HashID(sessionID)
	secrets = append(secrets, cookieValue, sessionID, hex.EncodeToString(sessionHash[:]),
		base64.RawURLEncoding.EncodeToString(sessionHash[:]), base64.StdEncoding.EncodeToString(sessionHash[:]))
	withCookie := []string{"Cookie", cookie.InsecureCookieName + "=" + cookieValue}
	call(http.MethodGet, "/api/me", "", withCookie...).Body.Close()
	call(http.MethodGet, "/api/sessions", "", withCookie...).Body.Close()

	var first, second struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	decode(call(http.MethodPost, "/api/token", creds), &first)
	call(http.MethodGet, "/api/me", "", "Authorization", "Bearer "+first.AccessToken).Body.Close()
	decode(call(http.MethodPost, "/api/token/refresh", `{"refresh_token":"`+first.RefreshToken+`"}`), &second)
	call(http.MethodPost, "/api/token/refresh", `{"refresh_token":"`+first.RefreshToken+`"}`).Body.Close() // reuse
	call(http.MethodPost, "/api/token/revoke", `{"refresh_token":"`+second.RefreshToken+`"}`).Body.Close()
	for _, tok := range []string{first.AccessToken, first.RefreshToken, second.AccessToken, second.RefreshToken} {
		if tok == "" {
			t.Fatal("the token walk did not get its tokens")
		}
		h := jwt.HashToken(tok)
		secrets = append(secrets, tok, hex.EncodeToString(h[:]), base64.RawURLEncoding.EncodeToString(h[:]))
	}
	call(http.MethodDelete, "/api/session", "", withCookie...).Body.Close()
	for _, k := range []string{limiter.Account(testUser), limiter.IP("127.0.0.1")} {
		sum := sha256.Sum256([]byte(k))
		secrets = append(secrets, hex.EncodeToString(sum[:]))
	}
	secrets = append(secrets, testUser, testUserID, testPassword)

	var seen []string // every string the telemetry carries
	kvs := func(where string, attrs []attribute.KeyValue) {
		for _, a := range attrs {
			seen = append(seen, where+" "+string(a.Key)+"="+a.Value.String())
		}
	}
	ended := spans.Ended()
	if len(ended) < 10 {
		t.Fatalf("the walk made %d spans; want the store calls", len(ended))
	}
	for _, s := range ended {
		seen = append(seen, "span name "+s.Name(), "span status "+s.Status().Description)
		kvs("span "+s.Name(), s.Attributes())
		for _, e := range s.Events() {
			seen = append(seen, "span event "+e.Name)
			kvs("span event", e.Attributes)
		}
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			seen = append(seen, "metric "+m.Name)
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					kvs("metric "+m.Name, p.Attributes.ToSlice())
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					kvs("metric "+m.Name, p.Attributes.ToSlice())
				}
			}
		}
	}
	for _, s := range seen {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("telemetry carries a secret: %q contains %q", s, secret)
			}
		}
	}
	// The walk must have produced what the scan is about.
	all := strings.Join(seen, "\n")
	for _, want := range []string{"gobware.session_store.Create", "gobware.refresh_store.Rotate", "gobware.limiter_store.CompareAndSwap",
		"gobware.outcome=reused", "metric gobware.authentications", "gobware.strategy=cookie", "gobware.strategy=jwt"} {
		if !strings.Contains(all, want) {
			t.Errorf("the telemetry lacks %q", want)
		}
	}
}
