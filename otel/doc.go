// Package otel turns what gobware does into OpenTelemetry metrics and spans:
// authentications by strategy and outcome with their latency, logins, login
// failures, rate-limited attempts, refresh rotations, refresh-token reuse,
// revocations, and a span around every store call.
//
// It uses only the OpenTelemetry API (go.opentelemetry.io/otel, /metric,
// /trace): the SDK and the exporter (Prometheus, OTLP, …) are the
// application's choice, and without one every instrument is a no-op. The
// package lives in its own folder so that core and the strategies stay free
// of the dependency. Its name collides with go.opentelemetry.io/otel, so
// import it under another name:
//
//	import gobotel "github.com/gobware/gobware/otel"
//
// # Attaching it
//
// One Telemetry (New) serves every strategy and store of a process.
// Attaching it is one wrapper per thing to observe:
//
//	tel, _ := gobotel.New(gobotel.Options{})              // global providers
//	sessions, _ := cookie.New(keys, tel.SessionStore(store), cookie.Options{Events: tel.Events(nil)})
//	tokens, _ := jwt.New(keys, tel.RefreshStore(refresh), jwt.Options{Events: tel.Events(nil)})
//	logins, _ := limiter.New(limiter.Options{Store: tel.LimiterStore(lstore), Events: tel.Events(nil)})
//	auth := core.Chain(tel.Strategy("cookie", sessions), tel.Strategy("jwt", tokens))
//
// Events(next) counts each security event and passes it on to next (nil:
// core.LogEvents(nil), the strategies' default, so the slog records stay).
// Strategy(name, s) measures each Authenticate; it keeps what adapters look
// for in a strategy (its cookie, for cross-origin protection, and its
// WWW-Authenticate challenge), so the wrapped strategy is used exactly
// where the bare one was. Log in and out with the bare strategies.
//
// # Metrics
//
// Instrument names (the Prometheus exporter writes dots as underscores and
// adds _total to counters and _seconds to the durations):
//
//	gobware.authentications             counter    gobware.strategy, gobware.outcome
//	gobware.authentication.duration     histogram  gobware.strategy, gobware.outcome (seconds)
//	gobware.logins                      counter    gobware.strategy         a session or token pair issued (event login)
//	gobware.login.failures              counter                             a wrong password counted by the limiter (login_failed)
//	gobware.login.rate_limited          counter                             a login refused by the limiter (rate_limited)
//	gobware.refreshes                   counter    gobware.strategy         a refresh token rotated (refresh)
//	gobware.refresh.reuses              counter    gobware.strategy         a spent refresh token presented; family revoked (refresh_reuse_detected)
//	gobware.revocations                 counter    gobware.strategy, gobware.event   logout, logout_everywhere or revoke
//	gobware.security_events             counter    gobware.strategy, gobware.event   every event, by type
//	gobware.store.duration              histogram  gobware.store, gobware.operation, gobware.outcome (seconds)
//
// gobware.outcome of an authentication is one of ok, no_credential,
// invalid, unavailable (the backend did not answer: a 503) and error
// (anything else: a 500), classified as core.Status and core.IsUnavailable
// classify errors. The outcome of a store call is ok, not_found,
// unavailable or error, and for refresh-token rotation also reused,
// revoked or expired. gobware.store is session, refresh, limiter, watermark or
// revocation; gobware.operation is the store method (Find, Rotate, …).
//
// # Spans
//
// Every call through a wrapped store is a client span named
// "gobware.<store>_store.<Method>", e.g. "gobware.session_store.Find",
// with the attributes gobware.store, gobware.operation and
// gobware.outcome, and status Error when the outcome is unavailable or
// error. No attribute, span name or status ever carries a session ID,
// token, hash, key, user ID, username or the error's text: only the fixed
// values above. The spans are children of whatever span the request's
// context carries (e.g. an HTTP server span).
package otel
