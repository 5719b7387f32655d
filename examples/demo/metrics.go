package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	gobotel "github.com/gobware/gobware/otel"
)

// startMetrics serves GET /metrics in Prometheus text format on
// cfg.MetricsAddr (METRICS_ADDR) through OpenTelemetry's Prometheus
// exporter, and returns the Telemetry that feeds it. It is the only
// listener metrics are ever served on: the public one never has /metrics.
// With METRICS_ADDR unset it returns nil and serves nothing.
func (app *App) startMetrics(cfg Config) (*gobotel.Telemetry, error) {
	if cfg.MetricsAddr == "" {
		return nil, nil
	}
	registry := prometheus.NewRegistry() // this process's own, not the global default
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry))
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	tel, err := gobotel.New(gobotel.Options{MeterProvider: provider})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("METRICS_ADDR: %w", err)
	}
	app.MetricsAddr = ln.Addr().String()
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Printf("metrics: %v\n", err)
		}
	}()
	app.close = append(app.close, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
		provider.Shutdown(ctx)
	})
	return tel, nil
}
