package core

import (
	"context"
	"log/slog"
)

// EventType names a security event.
type EventType string

// The security events gobware reports. Applications add their own as needed.
const (
	EventLogin             EventType = "login"
	EventLoginFailed       EventType = "login_failed"
	EventLogout            EventType = "logout"
	EventLogoutEverywhere  EventType = "logout_everywhere"
	EventSessionEnded      EventType = "session_ended"
	EventSessionUpdated    EventType = "session_updated" // attributes or auth time changed, with a new session ID
	EventInvalidSignature  EventType = "invalid_signature"
	EventUnknownSession    EventType = "unknown_session"
	EventInvalidToken      EventType = "invalid_token"
	EventRefresh           EventType = "refresh"
	EventRefreshReuse      EventType = "refresh_reuse_detected"
	EventRevoke            EventType = "revoke"
	EventRateLimited       EventType = "rate_limited"
	EventCrossOriginDenied EventType = "cross_origin_denied"
	EventPasskeyAdded      EventType = "passkey_added"
	EventPasskeyRemoved    EventType = "passkey_removed"
	EventPasskeyRefused    EventType = "passkey_refused" // a registration refused; a refused sign-in is EventLoginFailed
)

// Event is a security-relevant occurrence. It never carries a credential:
// Ref, when set, is a salted hash that correlates events about one session
// or token family without revealing it.
type Event struct {
	Type     EventType
	Strategy string // "cookie", "jwt", or "" when not tied to one
	UserID   string // "" when unknown
	Ref      string // salted, truncated hash of the session or family; never the credential
	Reason   string // short machine-readable cause, e.g. "expired"
}

// EventFunc receives security events. It must be safe for concurrent use and
// must not block for long: it runs on the request path.
type EventFunc func(ctx context.Context, e Event)

// LogEvents returns an EventFunc that writes each event as one structured
// record at level Info (Warn for suspicious events) to l, or to slog.Default()
// when l is nil. It is the default sink of every gobware strategy.
//
// A record has the message "gobware security event" and the attributes
// event, strategy, user_id, ref and reason (each only when set), and
// request_id and client_ip when ctx carries a RequestInfo. Nothing else of
// the request is logged: no cookie, header, token, session ID or key.
func LogEvents(l *slog.Logger) EventFunc {
	return func(ctx context.Context, e Event) {
		lg := l
		if lg == nil {
			lg = slog.Default()
		}
		level := slog.LevelInfo
		switch e.Type {
		case EventInvalidSignature, EventRefreshReuse, EventRateLimited, EventCrossOriginDenied, EventInvalidToken, EventLoginFailed, EventPasskeyRefused:
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{slog.String("event", string(e.Type))}
		for _, kv := range [...][2]string{{"strategy", e.Strategy}, {"user_id", e.UserID}, {"ref", e.Ref}, {"reason", e.Reason}} {
			if kv[1] != "" {
				attrs = append(attrs, slog.String(kv[0], kv[1]))
			}
		}
		if info, ok := RequestInfoFrom(ctx); ok {
			if info.ID != "" {
				attrs = append(attrs, slog.String("request_id", info.ID))
			}
			if info.ClientIP != "" {
				attrs = append(attrs, slog.String("client_ip", info.ClientIP))
			}
		}
		lg.LogAttrs(ctx, level, "gobware security event", attrs...)
	}
}

// Reporter is implemented by strategies that send security events to a
// sink of their own (their Options.Events). The HTTP layer reports what it
// detects about their requests, such as a refused cross-origin write,
// through the same sink.
type Reporter interface {
	ReportEvent(ctx context.Context, e Event)
}

// ReportEvent sends e to s's event sink: s's own when s is a Reporter, the
// first Reporter member's when s is a Chain, the wrapped strategy's for an
// Unwrapper, else LogEvents(nil). s may be nil.
func ReportEvent(ctx context.Context, s Strategy, e Event) {
	if r := reporter(s); r != nil {
		r.ReportEvent(ctx, e)
		return
	}
	LogEvents(nil)(ctx, e)
}

func reporter(s Strategy) Reporter {
	switch v := s.(type) {
	case *chain:
		for _, m := range v.strategies {
			if r := reporter(m); r != nil {
				return r
			}
		}
	case Reporter:
		return v
	case Unwrapper:
		return reporter(v.Unwrap())
	}
	return nil
}
