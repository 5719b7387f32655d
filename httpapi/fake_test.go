package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"strings"
)

// fakeRequest is a minimal httpapi.Request for tests.
type fakeRequest struct {
	method, host string
	header       http.Header
	cookies      map[string][]string
	params       map[string]string
	body         string
}

func newFake(method string) *fakeRequest {
	return &fakeRequest{method: method, host: "shop.example", header: http.Header{}, cookies: map[string][]string{}}
}

func (r *fakeRequest) Context() context.Context     { return context.Background() }
func (r *fakeRequest) Method() string               { return r.method }
func (r *fakeRequest) Host() string                 { return r.host }
func (r *fakeRequest) Header(name string) []string  { return r.header.Values(name) }
func (r *fakeRequest) Cookies(name string) []string { return r.cookies[name] }
func (r *fakeRequest) RemoteIP() string             { return "192.0.2.1" }
func (r *fakeRequest) Param(name string) string     { return r.params[name] }
func (r *fakeRequest) Body() io.Reader              { return strings.NewReader(r.body) }
