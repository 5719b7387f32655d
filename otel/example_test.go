package otel_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
	gobotel "github.com/gobware/gobware/otel"
	"github.com/gobware/gobware/strategy/cookie"
)

// Observing a net/http server: the Telemetry wraps the session store and
// the strategy, and counts the strategy's events. Here the SDK is an
// in-memory reader; a real server installs an exporter instead (e.g.
// go.opentelemetry.io/otel/exporters/prometheus, as the example servers do
// with METRICS_ADDR).
func Example() {
	reader := sdkmetric.NewManualReader()
	tel, _ := gobotel.New(gobotel.Options{MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))})

	key := make([]byte, 32)
	rand.Read(key)
	sessions, _ := cookie.New([][]byte{key}, tel.SessionStore(cookie.NewMemoryStore()), cookie.Options{
		Events: tel.Events(func(context.Context, core.Event) {}), // nil keeps the slog records
	})

	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		// … check the password first, then:
		nethttp.Login(w, r, sessions, "42")
	})
	mux.Handle("GET /account", nethttp.Require(tel.Strategy("cookie", sessions))(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello", nethttp.UserID(r)) })))

	login := httptest.NewRecorder()
	mux.ServeHTTP(login, httptest.NewRequest("POST", "https://example.com/login", nil))
	session := login.Result().Cookies()[0]
	for _, c := range []string{session.Name + "=" + session.Value, session.Name + "=forged"} {
		req := httptest.NewRequest("GET", "https://example.com/account", nil)
		req.Header.Set("Cookie", c)
		mux.ServeHTTP(httptest.NewRecorder(), req)
	}

	var rm metricdata.ResourceMetrics
	reader.Collect(context.Background(), &rm)
	for _, m := range rm.ScopeMetrics[0].Metrics {
		if sum, ok := m.Data.(metricdata.Sum[int64]); ok {
			for _, p := range sum.DataPoints {
				outcome, _ := p.Attributes.Value(gobotel.KeyOutcome)
				fmt.Println(m.Name, outcome.String(), p.Value)
			}
		}
	}
	// Unordered output:
	// gobware.authentications ok 1
	// gobware.authentications invalid 1
	// gobware.logins  1
	// gobware.security_events  1
	// gobware.security_events  1
}
