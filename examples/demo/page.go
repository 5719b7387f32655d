package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"net/http"

	"github.com/gobware/gobware/httpapi"
)

// The page's source is three files (web/index.html, web/style.css and
// web/app.js) so each can be read and edited on its own. They are joined into
// one document at start: the page is then a single response with no
// external or extra requests, and its Content-Security-Policy allows exactly
// this script and this style sheet by hash, with no 'unsafe-inline'.
//
//go:embed web/index.html web/style.css web/app.js
var web embed.FS

var page, pageCSP = buildPage()

// buildPage inlines the style sheet and the script into index.html at their
// placeholders and returns the document and its Content-Security-Policy.
func buildPage() ([]byte, string) {
	read := func(name string) []byte {
		b, err := web.ReadFile(name)
		if err != nil {
			panic("demo: " + err.Error())
		}
		return b
	}
	html, style, script := read("web/index.html"), read("web/style.css"), read("web/app.js")
	inline := func(doc, placeholder, body, closing []byte) []byte {
		if bytes.Count(doc, placeholder) != 1 {
			panic("demo: web/index.html must hold " + string(placeholder) + " exactly once")
		}
		if bytes.Contains(bytes.ToLower(body), closing) {
			panic("demo: an inlined file contains " + string(closing))
		}
		return bytes.Replace(doc, placeholder, body, 1)
	}
	html = inline(html, []byte("/*STYLE*/"), style, []byte("</style"))
	html = inline(html, []byte("/*SCRIPT*/"), script, []byte("</script"))
	csp := "default-src 'none'; " +
		"script-src '" + sourceHash(script) + "'; " +
		"style-src '" + sourceHash(style) + "'; " +
		"connect-src 'self'; img-src 'self' data:; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return html, csp
}

// sourceHash is a CSP hash source for an inline element's exact text.
func sourceHash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// pageRoute serves the demo page at GET /.
func pageRoute() httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Pattern: "/", Handler: func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		reply := httpapi.NewReply(http.StatusOK)
		reply.Header.Set("Content-Type", "text/html; charset=utf-8")
		reply.Header.Set("Content-Security-Policy", pageCSP)
		reply.Header.Set("X-Frame-Options", "DENY")
		reply.Header.Set("X-Content-Type-Options", "nosniff")
		reply.Header.Set("Referrer-Policy", "no-referrer")
		reply.Header.Set("Cache-Control", "no-cache")
		reply.Body = page
		return reply
	}}
}
