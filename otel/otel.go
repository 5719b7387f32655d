package otel

import (
	"context"
	"fmt"
	"time"

	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of every meter and tracer this
// package creates.
const ScopeName = "github.com/gobware/gobware/otel"

// The attribute keys this package sets. Their values are only the fixed
// words documented in the package comment, never request data.
const (
	KeyStrategy  = attribute.Key("gobware.strategy")
	KeyOutcome   = attribute.Key("gobware.outcome")
	KeyEvent     = attribute.Key("gobware.event")
	KeyStore     = attribute.Key("gobware.store")
	KeyOperation = attribute.Key("gobware.operation")
)

// Options configures a Telemetry. The zero value uses OpenTelemetry's
// global providers, so a Telemetry made before the application installs
// its SDK reports through it once installed.
type Options struct {
	// MeterProvider makes the instruments. Default (nil):
	// the global provider (otel.GetMeterProvider()).
	MeterProvider metric.MeterProvider
	// TracerProvider makes the store spans. Default (nil):
	// the global provider (otel.GetTracerProvider()).
	TracerProvider trace.TracerProvider
}

// Telemetry holds the instruments. Make one per process with New and
// attach it with its wrappers; it is safe for concurrent use.
type Telemetry struct {
	tracer trace.Tracer

	authentications metric.Int64Counter
	authDuration    metric.Float64Histogram
	logins          metric.Int64Counter
	loginFailures   metric.Int64Counter
	rateLimited     metric.Int64Counter
	refreshes       metric.Int64Counter
	reuses          metric.Int64Counter
	revocations     metric.Int64Counter
	events          metric.Int64Counter
	storeDuration   metric.Float64Histogram
}

// durationBuckets are the histogram bounds in seconds: from 50 µs (a
// cached token) to 10 s (a store timing out).
var durationBuckets = []float64{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// New makes the instruments of a Telemetry from opts. It fails only if
// the meter provider refuses an instrument.
func New(opts Options) (*Telemetry, error) {
	mp := opts.MeterProvider
	if mp == nil {
		mp = otelapi.GetMeterProvider()
	}
	tp := opts.TracerProvider
	if tp == nil {
		tp = otelapi.GetTracerProvider()
	}
	m := mp.Meter(ScopeName)
	t := &Telemetry{tracer: tp.Tracer(ScopeName)}
	var err error
	counter := func(dst *metric.Int64Counter, name, unit, desc string) {
		if err == nil {
			*dst, err = m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		}
	}
	histogram := func(dst *metric.Float64Histogram, name, desc string) {
		if err == nil {
			*dst, err = m.Float64Histogram(name, metric.WithUnit("s"), metric.WithDescription(desc),
				metric.WithExplicitBucketBoundaries(durationBuckets...))
		}
	}
	counter(&t.authentications, "gobware.authentications", "{authentication}", "Authentications by strategy and outcome.")
	histogram(&t.authDuration, "gobware.authentication.duration", "Time to authenticate a request, by strategy and outcome.")
	counter(&t.logins, "gobware.logins", "{login}", "Sessions or token pairs issued.")
	counter(&t.loginFailures, "gobware.login.failures", "{failure}", "Wrong passwords counted by the login limiter.")
	counter(&t.rateLimited, "gobware.login.rate_limited", "{attempt}", "Login attempts refused by the login limiter.")
	counter(&t.refreshes, "gobware.refreshes", "{refresh}", "Refresh tokens rotated.")
	counter(&t.reuses, "gobware.refresh.reuses", "{reuse}", "Spent refresh tokens presented again; each revoked its family.")
	counter(&t.revocations, "gobware.revocations", "{revocation}", "Sessions, token families or access tokens ended early: logout, logout_everywhere, revoke.")
	counter(&t.events, "gobware.security_events", "{event}", "Security events by type.")
	histogram(&t.storeDuration, "gobware.store.duration", "Time of a store call, by store, operation and outcome.")
	if err != nil {
		return nil, fmt.Errorf("otel: making instruments: %w", err)
	}
	return t, nil
}

// since returns the seconds elapsed since start.
func since(start time.Time) float64 { return time.Since(start).Seconds() }

// add adds one to c with the attributes kv.
func add(ctx context.Context, c metric.Int64Counter, kv ...attribute.KeyValue) {
	c.Add(ctx, 1, metric.WithAttributeSet(attribute.NewSet(kv...)))
}
