package otel

import (
	"context"

	"github.com/gobware/gobware/core"
)

// Events returns an EventFunc that counts each security event and then
// passes it to next; set it as Options.Events of cookie.New, jwt.New and
// limiter.New. A nil next means core.LogEvents(nil), the strategies'
// default, so the slog records stay as they were; pass a function that does
// nothing to drop them.
//
// Only the event's type and strategy become attributes: never its user ID,
// ref or reason.
func (t *Telemetry) Events(next core.EventFunc) core.EventFunc {
	if next == nil {
		next = core.LogEvents(nil)
	}
	return func(ctx context.Context, e core.Event) {
		t.count(ctx, e)
		next(ctx, e)
	}
}

// count moves the counters e concerns.
func (t *Telemetry) count(ctx context.Context, e core.Event) {
	strategy := KeyStrategy.String(e.Strategy)
	event := KeyEvent.String(string(e.Type))
	add(ctx, t.events, strategy, event)
	switch e.Type {
	case core.EventLogin:
		add(ctx, t.logins, strategy)
	case core.EventLoginFailed:
		add(ctx, t.loginFailures)
	case core.EventRateLimited:
		add(ctx, t.rateLimited)
	case core.EventRefresh:
		add(ctx, t.refreshes, strategy)
	case core.EventRefreshReuse:
		add(ctx, t.reuses, strategy)
	case core.EventLogout, core.EventLogoutEverywhere, core.EventRevoke:
		add(ctx, t.revocations, strategy, event)
	}
}
