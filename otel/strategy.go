package otel

import (
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/gobware/gobware/core"
)

// The outcomes of an authentication, the values of KeyOutcome on
// gobware.authentications and gobware.authentication.duration.
const (
	OutcomeOK           = "ok"
	OutcomeNoCredential = "no_credential"
	OutcomeInvalid      = "invalid"
	OutcomeUnavailable  = "unavailable"
	OutcomeError        = "error"
)

var authOutcomes = [...]string{OutcomeOK, OutcomeNoCredential, OutcomeInvalid, OutcomeUnavailable, OutcomeError}

// AuthOutcome classifies the result of Authenticate as the HTTP layer
// answers it: nil is ok, core.ErrNoCredential no_credential (401 without a
// credential), core.ErrInvalidCredential invalid (401), an outage
// (core.IsUnavailable) unavailable (503), anything else error (500).
func AuthOutcome(err error) string {
	switch {
	case err == nil:
		return OutcomeOK
	case errors.Is(err, core.ErrNoCredential):
		return OutcomeNoCredential
	case errors.Is(err, core.ErrInvalidCredential):
		return OutcomeInvalid
	case core.IsUnavailable(err):
		return OutcomeUnavailable
	default:
		return OutcomeError
	}
}

// Strategy returns s measured: each Authenticate adds one to
// gobware.authentications and records its duration in
// gobware.authentication.duration, both with gobware.strategy = name and
// the outcome (AuthOutcome). name should be a fixed word such as "cookie"
// or "jwt"; wrap each member of a chain to count them apart:
//
//	core.Chain(tel.Strategy("cookie", sessions), tel.Strategy("jwt", tokens))
//
// The result answers as s does, and adapters see through it: it has s's
// challenge (core.Challenge) and s's cookies (core.CookieNames, through
// Unwrap), so cross-origin protection and WWW-Authenticate are unchanged.
func (t *Telemetry) Strategy(name string, s core.Strategy) core.Strategy {
	m := &measured{inner: s, t: t}
	for i, o := range authOutcomes {
		m.opts[i] = metric.WithAttributeSet(attribute.NewSet(KeyStrategy.String(name), KeyOutcome.String(o)))
	}
	return m
}

// measured is a Strategy with its instruments' attribute sets made once.
type measured struct {
	inner core.Strategy
	t     *Telemetry
	opts  [len(authOutcomes)]metric.MeasurementOption
}

// Authenticate authenticates r with the wrapped strategy and measures it.
func (m *measured) Authenticate(r core.Request) (core.Identity, error) {
	start := time.Now()
	id, err := m.inner.Authenticate(r)
	elapsed := since(start)
	var i int
	switch AuthOutcome(err) {
	case OutcomeOK:
		i = 0
	case OutcomeNoCredential:
		i = 1
	case OutcomeInvalid:
		i = 2
	case OutcomeUnavailable:
		i = 3
	default:
		i = 4
	}
	ctx := r.Context()
	m.t.authentications.Add(ctx, 1, m.opts[i])
	m.t.authDuration.Record(ctx, elapsed, m.opts[i])
	return id, err
}

// Challenge returns the wrapped strategy's WWW-Authenticate challenge.
func (m *measured) Challenge() string { return core.Challenge(m.inner) }

// Unwrap returns the wrapped strategy, for core.CookieNames.
func (m *measured) Unwrap() core.Strategy { return m.inner }
