package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
)

// Reply is a complete HTTP response, built by the neutral code and written by
// an adapter in its framework's dialect. It implements core.Response, so a
// strategy can set cookies on it.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
	// Problem is the problem an error reply encodes in Body; nil on success.
	Problem *Problem
}

// SetCookie adds c as a Set-Cookie header.
func (r *Reply) SetCookie(c *http.Cookie) {
	r.header().Add("Set-Cookie", c.String())
}

// SetHeader replaces the header name.
func (r *Reply) SetHeader(name, value string) { r.header().Set(name, value) }

func (r *Reply) header() http.Header {
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	return r.Header
}

// refusalHeaders are the headers of an error reply that belong to the
// protocol rather than to its problem+json body.
var refusalHeaders = [...]string{"Cache-Control", "WWW-Authenticate", "Retry-After", "Allow", RequestIDHeader, "Set-Cookie"}

// Refusal splits an error reply for an application's own error handler
// (the adapters' ErrorHandler options): the headers that must be sent
// whatever the body's format (WWW-Authenticate on a 401, Retry-After on a
// 429, Allow on a 405, Cache-Control, X-Request-ID, and an expiring cookie
// if one was set), and the Problem, which wraps the error that caused it.
func (r *Reply) Refusal() (http.Header, *Problem) {
	h := make(http.Header, len(refusalHeaders))
	for _, k := range refusalHeaders {
		if vs := r.Header.Values(k); len(vs) > 0 {
			h[k] = vs
		}
	}
	p := r.Problem
	if p == nil {
		p = NewProblem(r.Status, CodeInternal, http.StatusText(r.Status))
	}
	return h, p
}

// NewReply returns an empty reply with status and the headers every API
// response carries: its answers are personal, so no cache may keep them.
func NewReply(status int) *Reply {
	r := &Reply{Status: status, Header: make(http.Header, 4)}
	r.Header.Set("Cache-Control", "no-store")
	r.Header.Set("X-Content-Type-Options", "nosniff")
	return r
}

// JSON returns a reply with v encoded as application/json.
func JSON(status int, v any) *Reply {
	body, err := json.Marshal(v)
	if err != nil {
		slog.Error("httpapi: encoding response", "err", err)
		return Error(err)
	}
	r := NewReply(status)
	r.Header.Set("Content-Type", "application/json")
	r.Body = append(body, '\n')
	return r
}

// NoContent returns an empty 204 reply.
func NoContent() *Reply { return NewReply(http.StatusNoContent) }
