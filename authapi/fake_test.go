package authapi_test

import (
	"encoding/json"
	"testing"

	"github.com/gobware/gobware/httpapi"
	"io"
	"net/http"
	"strings"

	"github.com/gobware/gobware/core/coretest"
)

// fakeRequest is an httpapi.Request for tests: a coretest.Request plus the
// route parameters and body httpapi reads.
type fakeRequest struct {
	coretest.Request
	params map[string]string
	body   string
}

// newFake returns a request with the given method to shop.example from
// 192.0.2.1, with no headers, cookies or body yet.
func newFake(method string) *fakeRequest {
	return &fakeRequest{Request: coretest.Request{HTTPMethod: method, HTTPHost: "shop.example", Headers: http.Header{}, IP: "192.0.2.1"}}
}

func (r *fakeRequest) Param(name string) string { return r.params[name] }
func (r *fakeRequest) Body() io.Reader          { return strings.NewReader(r.body) }

// problemCode checks that r is a complete problem document and returns its code.
func problemCode(t *testing.T, r *httpapi.Reply) string {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q; want application/problem+json", ct)
	}
	var p httpapi.Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != r.Status || p.Title == "" || p.Detail == "" || p.Type == "" {
		t.Fatalf("incomplete problem %s for status %d", r.Body, r.Status)
	}
	return p.Code
}
