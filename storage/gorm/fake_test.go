package gorm_test

import (
	"context"
	"net/http"
)

// request is an empty core.Request; response keeps the cookie it is given.
type request struct{}

func (request) Context() context.Context { return context.Background() }
func (request) Method() string           { return http.MethodPost }
func (request) Host() string             { return "example.com" }
func (request) Header(string) []string   { return nil }
func (request) Cookies(string) []string  { return nil }
func (request) RemoteIP() string         { return "192.0.2.1" }

type response struct{ cookie *http.Cookie }

func (w *response) SetCookie(c *http.Cookie) { w.cookie = c }
func (w *response) SetHeader(string, string) {}
