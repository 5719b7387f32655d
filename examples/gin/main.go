// Command gin is the demo shop served by gin and gobware's adapters/gin.
// Run it from the repository root:
//
//	go run ./examples/gin
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/examples/demo"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	demo.Main("gin", serve)
}

func serve(ctx context.Context, app *demo.App, ln net.Listener) error {
	r := gin.New()
	gobgin.Mount(r, app.Routes())
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
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
