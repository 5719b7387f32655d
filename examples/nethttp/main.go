// Command nethttp is the demo shop served by net/http and gobware's
// adapters/nethttp. Run it from the repository root:
//
//	go run ./examples/nethttp
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"net"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/examples/demo"
)

func main() {
	demo.Main("nethttp", func(ctx context.Context, app *demo.App, ln net.Listener) error {
		h := nethttp.RequestInfo(app.TrustedProxies)(nethttp.Handler(app.Routes()))
		return demo.ServeHTTP(ctx, h, ln)
	})
}
