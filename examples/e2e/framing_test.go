package e2e_test

import (
	"strings"
	"testing"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestConformanceRawFraming sends requests whose framing or Host two
// readers could understand differently. Each targets a route that answers
// 200 when the request is accepted, so only a refusal by the server passes:
// every framework answers 400, as net/http does.
func TestConformanceRawFraming(t *testing.T) {
	cases := []struct{ name, request string }{
		{"two Host headers", "GET /healthz HTTP/1.1\r\nHost: evil.example\r\nHost: x\r\n\r\n"},
		{"no Host header on HTTP/1.1", "GET /healthz HTTP/1.1\r\nAccept: */*\r\n\r\n"},
		{"two different Content-Length headers", "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}"},
		{"a bare CR in a header value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\rb\r\n\r\n"},
		{"a NUL in a header value", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\x00b\r\n\r\n"},
		{"a bare CR in the Host header", "GET /healthz HTTP/1.1\r\nHost: x\revil.example\r\n\r\n"},
	}
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			addr := strings.TrimPrefix(s.URL, "http://")
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					if status := rawStatus(t, addr, tc.request); status != 400 {
						t.Errorf("status %d; want 400", status)
					}
				})
			}
		})
	}
}
