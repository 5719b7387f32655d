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
	"net/http"
	"time"

	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/examples/demo"
)

func main() {
	demo.Main("nethttp", serve)
}

func serve(ctx context.Context, app *demo.App, ln net.Listener) error {
	srv := &http.Server{
		Handler:           nethttp.Handler(app.Routes()),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
