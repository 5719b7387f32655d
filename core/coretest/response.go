package coretest

import "net/http"

// Response is a core.Response that keeps what it is given. Its zero value
// is ready to use.
type Response struct {
	// Cookies are the cookies set, in order.
	Cookies []*http.Cookie
	// Headers are the headers set; SetHeader replaces earlier values.
	Headers http.Header
}

// SetCookie appends c to w.Cookies.
func (w *Response) SetCookie(c *http.Cookie) { w.Cookies = append(w.Cookies, c) }

// SetHeader replaces the named header in w.Headers.
func (w *Response) SetHeader(name, value string) {
	if w.Headers == nil {
		w.Headers = http.Header{}
	}
	w.Headers.Set(name, value)
}
