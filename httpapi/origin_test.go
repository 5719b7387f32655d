package httpapi_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// TestCheckOriginMatchesCrossOriginProtection puts the same requests to
// CheckOrigin and to net/http's CrossOriginProtection (without trusted
// origins): they agree, except where CheckOrigin's documentation says it
// differs, and those cases check the difference.
func TestCheckOriginMatchesCrossOriginProtection(t *testing.T) {
	tests := []struct {
		name   string
		method string
		host   string
		header [][2]string
		// differs is set where CheckOrigin decides otherwise on purpose;
		// refused is then CheckOrigin's verdict.
		differs bool
		refused bool
	}{
		{name: "GET cross-site", method: "GET", header: [][2]string{{"Sec-Fetch-Site", "cross-site"}}},
		{name: "HEAD cross-site", method: "HEAD", header: [][2]string{{"Sec-Fetch-Site", "cross-site"}}},
		{name: "OPTIONS cross-site", method: "OPTIONS", header: [][2]string{{"Sec-Fetch-Site", "cross-site"}}},
		{name: "TRACE cross-site is checked", method: "TRACE", header: [][2]string{{"Sec-Fetch-Site", "cross-site"}}},
		{name: "POST same-origin", method: "POST", header: [][2]string{{"Sec-Fetch-Site", "same-origin"}}},
		{name: "POST user navigation", method: "POST", header: [][2]string{{"Sec-Fetch-Site", "none"}}},
		{name: "POST same-site", method: "POST", header: [][2]string{{"Sec-Fetch-Site", "same-site"}}},
		{name: "POST cross-site with a matching Origin", method: "POST", header: [][2]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://shop.example"}}},
		{name: "POST without browser headers", method: "POST"},
		{name: "POST Origin of the host", method: "POST", header: [][2]string{{"Origin", "https://shop.example"}}},
		{name: "POST Origin of the host on another scheme", method: "POST", header: [][2]string{{"Origin", "http://shop.example"}}},
		{name: "POST Origin on another port", method: "POST", header: [][2]string{{"Origin", "https://shop.example:8443"}}},
		{name: "POST Origin of another host", method: "POST", header: [][2]string{{"Origin", "https://evil.example"}}},
		{name: "POST null Origin", method: "POST", header: [][2]string{{"Origin", "null"}}},
		{name: "POST unparsable Origin", method: "POST", header: [][2]string{{"Origin", "://"}}},
		{name: "PUT Origin of the host with the port in Host", method: "PUT", host: "shop.example:8443", header: [][2]string{{"Origin", "https://shop.example:8443"}}},

		{name: "two Origin headers, the first of the host, are refused", method: "POST",
			header: [][2]string{{"Origin", "https://shop.example"}, {"Origin", "https://evil.example"}}, differs: true, refused: true},
		{name: "two Sec-Fetch-Site headers, the first same-origin, are refused", method: "POST",
			header: [][2]string{{"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Site", "cross-site"}}, differs: true, refused: true},
		{name: "a Host in upper case matches its Origin", method: "POST", host: "SHOP.example",
			header: [][2]string{{"Origin", "https://shop.example"}}, differs: true, refused: false},
	}
	cop := http.NewCrossOriginProtection()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/x", nil)
			req.Host = "shop.example"
			if tt.host != "" {
				req.Host = tt.host
			}
			for _, h := range tt.header {
				req.Header.Add(h[0], h[1])
			}
			ours := errors.Is(httpapi.CheckOrigin(httpapi.HTTPRequest(req, nil)), core.ErrForbiddenOrigin)
			theirs := cop.Check(req) != nil
			switch {
			case !tt.differs && ours != theirs:
				t.Errorf("CheckOrigin refused=%v; http.CrossOriginProtection refused=%v", ours, theirs)
			case tt.differs && (ours != tt.refused || theirs == tt.refused):
				t.Errorf("CheckOrigin refused=%v (want %v); http.CrossOriginProtection refused=%v (want %v): the documented difference is gone",
					ours, tt.refused, theirs, !tt.refused)
			}
		})
	}
}
