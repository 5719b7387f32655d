package nethttp_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/httpapi"
)

// The middleware contract shared by every adapter is tested in ../ (package
// adapters_test); this file covers what only Handler does.

func TestHandlerAnswersUnknownRoutesAndMethods(t *testing.T) {
	h := nethttp.Handler([]httpapi.Route{{Method: "GET", Pattern: "/thing/{id}", Handler: func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		return httpapi.JSON(200, map[string]string{"id": r.Param("id")})
	}}})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/thing/a%2Fb", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"a/b"`) {
		t.Errorf("GET /thing/a%%2Fb = %d %s; want 200 with the decoded parameter", w.Code, w.Body)
	}
	for _, tt := range []struct{ method, path, code, allow string }{
		{"DELETE", "/thing/1", "method_not_allowed", "GET, HEAD"},
		{"GET", "/nothing", "not_found", ""},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		var p httpapi.Problem
		json.Unmarshal(w.Body.Bytes(), &p)
		if p.Code != tt.code || w.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s = %d %s Allow=%q; want %s Allow=%q", tt.method, tt.path, w.Code, p.Code, w.Header().Get("Allow"), tt.code, tt.allow)
		}
	}
}
