package httpapi_test

import (
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
