// Command fiber is the demo shop served by fiber and gobware's
// adapters/fiber. Run it from the repository root:
//
//	go run ./examples/fiber
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"net"
	"time"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	"github.com/gobware/gobware/examples/demo"
	"github.com/gofiber/fiber/v2"
)

func main() {
	demo.Main("fiber", serve)
}

func serve(ctx context.Context, app *demo.App, ln net.Listener) error {
	f := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ErrorHandler:          gobfiber.ErrorHandler,
		BodyLimit:             4 << 20, // gobware refuses bodies over 1 MiB itself, with a 413 problem
		ReadBufferSize:        64 << 10,
		ReadTimeout:           30 * time.Second,
	})
	f.Use(gobfiber.RequestInfo(app.TrustedProxies))
	gobfiber.Mount(f, app.Routes())
	f.Use(gobfiber.NotFound)
	go func() {
		<-ctx.Done()
		f.ShutdownWithTimeout(5 * time.Second)
	}()
	return f.Listener(ln)
}
