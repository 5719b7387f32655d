package demo

import (
	"context"
	_ "embed"
	"net/http"

	"github.com/gobware/gobware/httpapi"
)

//go:embed web/index.html
var indexHTML []byte

// pageRoute serves the demo page at GET /. The page loads nothing from
// elsewhere, so its Content-Security-Policy allows only this origin.
func pageRoute() httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Pattern: "/", Handler: func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		reply := httpapi.NewReply(http.StatusOK)
		reply.Header.Set("Content-Type", "text/html; charset=utf-8")
		reply.Header.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
		reply.Header.Set("X-Frame-Options", "DENY")
		reply.Body = indexHTML
		return reply
	}}
}
