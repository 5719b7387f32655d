package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Serve serves app on ln until ctx is done. Each example implements it with
// its framework; it must return once ctx is done and the server has stopped.
type Serve func(ctx context.Context, app *App, ln net.Listener) error

// Main is every example's main: configuration, assembly, listening, and a
// clean shutdown on SIGINT or SIGTERM. A configuration or connection problem
// is reported on stderr with a non-zero exit. Once listening it prints
// "listening on http://ADDR" on stdout.
func Main(name string, serve Serve) {
	if err := run(name, serve); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func run(name string, serve Serve) error {
	cfg, err := LoadConfig(Getenv)
	if err != nil {
		return err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(os.Stderr, "%s: warning: %s\n", name, w)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("ADDR: %w", err)
	}
	if len(cfg.PasskeyOrigins) == 0 { // ADDR's port was 0: now it is known
		cfg.PasskeyOrigins = []string{LocalOrigin(ln.Addr())}
	}
	app, err := Build(ctx, cfg)
	if err != nil {
		ln.Close()
		return err
	}
	defer app.Close()
	fmt.Printf("%s: listening on http://%s\n", name, ln.Addr())
	if app.MetricsAddr != "" {
		fmt.Printf("%s: metrics on http://%s/metrics\n", name, app.MetricsAddr)
	}
	if err := serve(ctx, app, ln); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// ServeHTTP serves srv on ln until ctx is done, then shuts it down
// gracefully, giving requests in flight 5 s: the lifecycle of the
// examples built on net/http (net/http and gin alike), which configure
// srv themselves.
func ServeHTTP(ctx context.Context, srv *http.Server, ln net.Listener) error {
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
