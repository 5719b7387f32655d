package e2e_test

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestMetricsEndpoint runs each example server with METRICS_ADDR set,
// walks through logins, a failed login, a lock-out, authenticated requests
// both ways, a refresh and a reuse, and reads /metrics on the metrics
// address: the gobware series have the counts the walk implies. The public
// port never serves /metrics, with or without METRICS_ADDR.
func TestMetricsEndpoint(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := exampletest.Start(t, fw, "METRICS_ADDR=127.0.0.1:0")
			metricsURL := waitForLine(t, s, "metrics on ")

			right := exampletest.Credentials("alice", "alice-password")
			exampletest.Expect(t, "a wrong password", s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("alice", "wrong")}), 401)
			login := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: right})
			exampletest.Expect(t, "a cookie login", login, 200)
			exampletest.Expect(t, "me by cookie", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Cookie: login.Cookie()}), 200)
			access, refresh := s.Tokens("alice")
			exampletest.Expect(t, "me by bearer", s.Do(exampletest.Req{Method: "GET", Path: "/api/me", Bearer: access}), 200)
			exampletest.Expect(t, "a refresh", s.Do(exampletest.Req{Method: "POST", Path: "/api/token/refresh", Body: map[string]string{"refresh_token": refresh}}), 200)
			exampletest.Expect(t, "a reused refresh token", s.Do(exampletest.Req{Method: "POST", Path: "/api/token/refresh", Body: map[string]string{"refresh_token": refresh}}), 401)
			exampletest.Expect(t, "me without a credential", s.Do(exampletest.Req{Method: "GET", Path: "/api/me"}), 401)
			// Five wrong passwords are free and the sixth makes bob wait 1 s,
			// counted from when the attempt was reserved, before its bcrypt
			// check. On a loaded machine the check alone can outlast the
			// wait, so bob goes on guessing, each failure doubling the wait,
			// until one is refused.
			failed := 0
			for refused := false; !refused; {
				switch res := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("bob", "wrong")}); {
				case res.Status == 401:
					failed++
				case res.Status == 429 && failed >= 6:
					refused = true
				default:
					t.Fatalf("bob's wrong password #%d: status %d; want 401 for the first six, then 401 or 429", failed+1, res.Status)
				}
				if failed > 10 {
					t.Fatal("ten wrong passwords and bob was never made to wait")
				}
			}

			exampletest.Expect(t, "/metrics on the public port", s.Do(exampletest.Req{Method: "GET", Path: "/metrics"}), 404)

			res, err := http.Get(metricsURL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
				t.Fatalf("GET %s = %d %s; want 200 in Prometheus text format", metricsURL, res.StatusCode, res.Header.Get("Content-Type"))
			}
			for _, c := range []struct {
				series string
				labels []string
				want   float64
			}{
				{"gobware_logins_total", []string{`gobware_strategy="cookie"`}, 1},
				{"gobware_logins_total", []string{`gobware_strategy="jwt"`}, 1},
				{"gobware_login_failures_total", nil, float64(1 + failed)},
				{"gobware_login_rate_limited_total", nil, 1},
				{"gobware_refreshes_total", []string{`gobware_strategy="jwt"`}, 1},
				{"gobware_refresh_reuses_total", []string{`gobware_strategy="jwt"`}, 1},
				{"gobware_authentications_total", []string{`gobware_strategy="cookie"`, `gobware_outcome="ok"`}, 1},
				{"gobware_authentications_total", []string{`gobware_strategy="cookie"`, `gobware_outcome="no_credential"`}, 2},
				{"gobware_authentications_total", []string{`gobware_strategy="jwt"`, `gobware_outcome="ok"`}, 1},
				{"gobware_authentications_total", []string{`gobware_strategy="jwt"`, `gobware_outcome="no_credential"`}, 1},
				{"gobware_authentication_duration_seconds_count", []string{`gobware_strategy="cookie"`, `gobware_outcome="ok"`}, 1},
				{"gobware_store_duration_seconds_count", []string{`gobware_store="refresh"`, `gobware_operation="Rotate"`, `gobware_outcome="reused"`}, 1},
				{"gobware_store_duration_seconds_count", []string{`gobware_store="session"`, `gobware_operation="Create"`, `gobware_outcome="ok"`}, 1},
			} {
				got, ok := sample(string(body), c.series, c.labels...)
				if !ok || got != c.want {
					t.Errorf("%s%v = %v (found: %v); want %v", c.series, c.labels, got, ok, c.want)
				}
			}
			if t.Failed() {
				t.Logf("/metrics:\n%s", body)
			}
		})
	}
	t.Run("unset METRICS_ADDR serves no metrics", func(t *testing.T) {
		s := exampletest.Start(t, "nethttp")
		exampletest.Expect(t, "/metrics on the public port", s.Do(exampletest.Req{Method: "GET", Path: "/metrics"}), 404)
		if out := s.Stdout.String(); strings.Contains(out, "metrics on") {
			t.Errorf("the server announced metrics without METRICS_ADDR: %s", out)
		}
	})
}

// waitForLine waits for the server to print a line with marker followed by
// a URL, and returns the URL.
func waitForLine(t *testing.T, s *exampletest.Server, marker string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(s.Stdout.String()))
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), marker); ok {
				return url
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the server never printed %q; stdout: %s", marker, s.Stdout)
	return ""
}

// sample returns the value of the first sample of series whose labels
// include every one of labels, in Prometheus text format.
func sample(body, series string, labels ...string) (float64, bool) {
	for _, line := range strings.Split(body, "\n") {
		name, rest, _ := strings.Cut(line, "{")
		if name != series {
			continue
		}
		set, value, ok := strings.Cut(rest, "} ")
		if !ok {
			continue
		}
		match := true
		for _, l := range labels {
			match = match && strings.Contains(","+set+",", ","+l+",")
		}
		if match {
			v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return v, err == nil
		}
	}
	return 0, false
}
