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

	"github.com/gin-gonic/gin"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/examples/demo"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	demo.Main("gin", func(ctx context.Context, app *demo.App, ln net.Listener) error {
		r := gin.New()
		r.Use(gobgin.RequestInfo(app.TrustedProxies))
		gobgin.Mount(r, app.Routes())
		r.HandleMethodNotAllowed = true
		r.NoMethod(gobgin.MethodNotAllowed)
		r.NoRoute(gobgin.NotFound)
		return demo.ServeHTTP(ctx, r, ln)
	})
}
