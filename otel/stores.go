package otel

import (
	"context"
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// The outcomes of a store call besides OutcomeOK, OutcomeUnavailable and
// OutcomeError: the values of KeyOutcome on store spans and on
// gobware.store.duration.
const (
	OutcomeNotFound = "not_found" // the store's ErrNotFound
	OutcomeReused   = "reused"    // refresh.ErrReused from Rotate
	OutcomeRevoked  = "revoked"   // refresh.ErrRevoked from Rotate
	OutcomeExpired  = "expired"   // refresh.ErrExpired from Rotate
)

// The values of KeyStore.
const (
	StoreSession    = "session"
	StoreRefresh    = "refresh"
	StoreLimiter    = "limiter"
	StoreRevocation = "revocation"
	StoreWatermark  = "watermark"
)

// storeOutcome classifies a store's error; sentinels are checked before
// outages, since an answer from the store is not an outage.
func storeOutcome(err error) string {
	switch {
	case err == nil:
		return OutcomeOK
	case errors.Is(err, cookie.ErrNotFound), errors.Is(err, refresh.ErrNotFound):
		return OutcomeNotFound
	case errors.Is(err, refresh.ErrReused):
		return OutcomeReused
	case errors.Is(err, refresh.ErrRevoked):
		return OutcomeRevoked
	case errors.Is(err, refresh.ErrExpired):
		return OutcomeExpired
	case core.IsUnavailable(err):
		return OutcomeUnavailable
	default:
		return OutcomeError
	}
}

// call is one store call in progress: its span and its start.
type call struct {
	t     *Telemetry
	span  trace.Span
	store attribute.KeyValue
	op    attribute.KeyValue
	start time.Time
}

// begin starts the span of store's method op as a child of ctx's span.
func (t *Telemetry) begin(ctx context.Context, store, op string) (context.Context, call) {
	c := call{t: t, store: KeyStore.String(store), op: KeyOperation.String(op), start: time.Now()}
	ctx, c.span = t.tracer.Start(ctx, "gobware."+store+"_store."+op,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(c.store, c.op))
	return ctx, c
}

// end records the call's outcome, classified from err alone, and ends its
// span. The error's text is never recorded: drivers' messages can quote
// the values of a statement.
func (c call) end(ctx context.Context, err error) {
	outcome := storeOutcome(err)
	o := KeyOutcome.String(outcome)
	c.span.SetAttributes(o)
	if outcome == OutcomeUnavailable || outcome == OutcomeError {
		c.span.SetStatus(codes.Error, outcome)
	}
	c.span.End()
	c.t.storeDuration.Record(ctx, since(c.start), metric.WithAttributeSet(attribute.NewSet(c.store, c.op, o)))
}

// SessionStore returns s traced and measured, for cookie.New. The result
// is a cookie.Looker whether s is one or not (Lookup falls back to Find,
// which satisfies the same contract), so cookie's cheaper lookup is kept
// when s has it; it is a cookie.Capper exactly when s is one, so
// Options.MaxSessionsPerUser works, or is refused, as it would be with s;
// and it is a cookie.Rotator (and a cookie.Colocator) exactly when s is a
// Rotator, so Strategy.Update works, or is refused, as it would be with s.
func (t *Telemetry) SessionStore(s cookie.Store) cookie.Store {
	looker, _ := s.(cookie.Looker)
	base := &sessionStore{t: t, inner: s, looker: looker}
	capper, capping := s.(cookie.Capper)
	rotator, rotating := s.(cookie.Rotator)
	var rot *rotatingSessionStore
	if rotating {
		colocator, _ := s.(cookie.Colocator)
		rot = &rotatingSessionStore{t: t, rotator: rotator, colocator: colocator}
	}
	switch {
	case capping && rotating:
		return &struct {
			*cappedSessionStore
			*rotatingSessionStore
		}{&cappedSessionStore{base, capper}, rot}
	case capping:
		return &cappedSessionStore{base, capper}
	case rotating:
		return &struct {
			*sessionStore
			*rotatingSessionStore
		}{base, rot}
	}
	return base
}

// rotatingSessionStore adds Rotate and Colocated over a cookie.Rotator.
type rotatingSessionStore struct {
	t         *Telemetry
	rotator   cookie.Rotator
	colocator cookie.Colocator // nil when the rotator places new hashes anywhere
}

func (s *rotatingSessionStore) Rotate(ctx context.Context, old cookie.Hash, sess cookie.Session, now time.Time) error {
	ctx, c := s.t.begin(ctx, StoreSession, "Rotate")
	err := s.rotator.Rotate(ctx, old, sess, now)
	c.end(ctx, err)
	return err
}

// Colocated is the wrapped store's, or true when it has no constraint.
func (s *rotatingSessionStore) Colocated(old, new cookie.Hash) bool {
	return s.colocator == nil || s.colocator.Colocated(old, new)
}

// cappedSessionStore is a sessionStore over a cookie.Capper.
type cappedSessionStore struct {
	*sessionStore
	capper cookie.Capper
}

func (s *cappedSessionStore) CreateCapped(ctx context.Context, sess cookie.Session, max int) ([]cookie.Hash, error) {
	ctx, c := s.t.begin(ctx, StoreSession, "CreateCapped")
	ended, err := s.capper.CreateCapped(ctx, sess, max)
	c.end(ctx, err)
	return ended, err
}

type sessionStore struct {
	t      *Telemetry
	inner  cookie.Store
	looker cookie.Looker
}

func (s *sessionStore) Create(ctx context.Context, sess cookie.Session) error {
	ctx, c := s.t.begin(ctx, StoreSession, "Create")
	err := s.inner.Create(ctx, sess)
	c.end(ctx, err)
	return err
}

func (s *sessionStore) Find(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	ctx, c := s.t.begin(ctx, StoreSession, "Find")
	sess, err := s.inner.Find(ctx, h, now)
	c.end(ctx, err)
	return sess, err
}

func (s *sessionStore) Lookup(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	if s.looker == nil {
		return s.Find(ctx, h, now)
	}
	ctx, c := s.t.begin(ctx, StoreSession, "Lookup")
	sess, err := s.looker.Lookup(ctx, h, now)
	c.end(ctx, err)
	return sess, err
}

func (s *sessionStore) Touch(ctx context.Context, h cookie.Hash, seen, idleUntil time.Time) error {
	ctx, c := s.t.begin(ctx, StoreSession, "Touch")
	err := s.inner.Touch(ctx, h, seen, idleUntil)
	c.end(ctx, err)
	return err
}

func (s *sessionStore) Delete(ctx context.Context, h cookie.Hash) error {
	ctx, c := s.t.begin(ctx, StoreSession, "Delete")
	err := s.inner.Delete(ctx, h)
	c.end(ctx, err)
	return err
}

func (s *sessionStore) DeleteUser(ctx context.Context, userID string) (int, error) {
	ctx, c := s.t.begin(ctx, StoreSession, "DeleteUser")
	n, err := s.inner.DeleteUser(ctx, userID)
	c.end(ctx, err)
	return n, err
}

func (s *sessionStore) List(ctx context.Context, userID string, now time.Time) ([]cookie.Session, error) {
	ctx, c := s.t.begin(ctx, StoreSession, "List")
	list, err := s.inner.List(ctx, userID, now)
	c.end(ctx, err)
	return list, err
}

// RefreshStore returns s traced and measured, for jwt.New. The result is
// a jwt.LegacyStore exactly when s is one, so refresh tokens of the earlier
// format keep working through it.
func (t *Telemetry) RefreshStore(s jwt.RefreshStore) jwt.RefreshStore {
	base := &refreshStore{t: t, inner: s}
	if legacy, ok := s.(jwt.LegacyStore); ok {
		return &legacyRefreshStore{base, legacy}
	}
	return base
}

// legacyRefreshStore is a refreshStore over a jwt.LegacyStore.
type legacyRefreshStore struct {
	*refreshStore
	legacy jwt.LegacyStore
}

func (s *legacyRefreshStore) FindLegacy(ctx context.Context, h jwt.Hash) (jwt.Family, bool, error) {
	ctx, c := s.t.begin(ctx, StoreRefresh, "FindLegacy")
	f, current, err := s.legacy.FindLegacy(ctx, h)
	c.end(ctx, err)
	return f, current, err
}

type refreshStore struct {
	t     *Telemetry
	inner jwt.RefreshStore
}

func (s *refreshStore) Create(ctx context.Context, f jwt.Family) error {
	ctx, c := s.t.begin(ctx, StoreRefresh, "Create")
	err := s.inner.Create(ctx, f)
	c.end(ctx, err)
	return err
}

func (s *refreshStore) Rotate(ctx context.Context, id string, gen uint64, old, next jwt.Hash, now time.Time) (jwt.Family, error) {
	ctx, c := s.t.begin(ctx, StoreRefresh, "Rotate")
	f, err := s.inner.Rotate(ctx, id, gen, old, next, now)
	c.end(ctx, err)
	return f, err
}

func (s *refreshStore) Find(ctx context.Context, id string) (jwt.Family, error) {
	ctx, c := s.t.begin(ctx, StoreRefresh, "Find")
	f, err := s.inner.Find(ctx, id)
	c.end(ctx, err)
	return f, err
}

func (s *refreshStore) RevokeFamily(ctx context.Context, id string) error {
	ctx, c := s.t.begin(ctx, StoreRefresh, "RevokeFamily")
	err := s.inner.RevokeFamily(ctx, id)
	c.end(ctx, err)
	return err
}

func (s *refreshStore) RevokeUser(ctx context.Context, userID string) error {
	ctx, c := s.t.begin(ctx, StoreRefresh, "RevokeUser")
	err := s.inner.RevokeUser(ctx, userID)
	c.end(ctx, err)
	return err
}

// WatermarkStore returns w traced and measured, for jwt.Options.Watermarks.
func (t *Telemetry) WatermarkStore(w jwt.WatermarkStore) jwt.WatermarkStore {
	return &watermarkStore{t: t, inner: w}
}

type watermarkStore struct {
	t     *Telemetry
	inner jwt.WatermarkStore
}

func (w *watermarkStore) Raise(ctx context.Context, subject string, at, until time.Time) error {
	ctx, c := w.t.begin(ctx, StoreWatermark, "Raise")
	err := w.inner.Raise(ctx, subject, at, until)
	c.end(ctx, err)
	return err
}

func (w *watermarkStore) Watermarks(ctx context.Context, subjects []string) ([]time.Time, error) {
	ctx, c := w.t.begin(ctx, StoreWatermark, "Watermarks")
	marks, err := w.inner.Watermarks(ctx, subjects)
	c.end(ctx, err)
	return marks, err
}

// RevocationList returns l traced and measured, for jwt.Options.Revocations.
func (t *Telemetry) RevocationList(l jwt.RevocationList) jwt.RevocationList {
	return &revocationList{t: t, inner: l}
}

type revocationList struct {
	t     *Telemetry
	inner jwt.RevocationList
}

func (l *revocationList) Revoke(ctx context.Context, jti string, until time.Time) error {
	ctx, c := l.t.begin(ctx, StoreRevocation, "Revoke")
	err := l.inner.Revoke(ctx, jti, until)
	c.end(ctx, err)
	return err
}

func (l *revocationList) Revoked(ctx context.Context, jti string) (bool, error) {
	ctx, c := l.t.begin(ctx, StoreRevocation, "Revoked")
	ok, err := l.inner.Revoked(ctx, jti)
	c.end(ctx, err)
	return ok, err
}

// LimiterStore returns s traced and measured, for limiter.Options.Store.
func (t *Telemetry) LimiterStore(s limiter.Store) limiter.Store {
	return &limiterStore{t: t, inner: s}
}

type limiterStore struct {
	t     *Telemetry
	inner limiter.Store
}

func (s *limiterStore) Get(ctx context.Context, key string) (limiter.Record, error) {
	ctx, c := s.t.begin(ctx, StoreLimiter, "Get")
	rec, err := s.inner.Get(ctx, key)
	c.end(ctx, err)
	return rec, err
}

func (s *limiterStore) CompareAndSwap(ctx context.Context, key string, old, next limiter.Record, expires time.Time) (bool, error) {
	ctx, c := s.t.begin(ctx, StoreLimiter, "CompareAndSwap")
	ok, err := s.inner.CompareAndSwap(ctx, key, old, next, expires)
	c.end(ctx, err)
	return ok, err
}

func (s *limiterStore) Reset(ctx context.Context, key string) error {
	ctx, c := s.t.begin(ctx, StoreLimiter, "Reset")
	err := s.inner.Reset(ctx, key)
	c.end(ctx, err)
	return err
}
