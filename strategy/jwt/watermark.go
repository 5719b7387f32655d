package jwt

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// WatermarkStore keeps revocation watermarks: for a user, or for one
// refresh family (session), the instant up to which every access token
// issued is refused. Log out everywhere (RevokeUser) raises the user's;
// Revoke, RevokeSession and detected reuse raise the family's. With
// Options.Watermarks set, Verify refuses an access token whose iat is not
// after the watermark of its user or of its family (sid claim).
//
// A Strategy reads a watermark at most once per Options.WatermarkTTL per
// user and per family, so the store is not read on every request.
//
// Implementations must be safe for concurrent use, and report a failure as
// an error wrapping core.ErrUnavailable when the backend cannot be reached.
// storage/gorm and storage/redis provide one; NewMemoryWatermarks one for a
// single process.
type WatermarkStore interface {
	// Raise sets the watermark of subject to at, unless it is later
	// already. The entry may be forgotten from until on: every access
	// token it concerns has expired by then.
	Raise(ctx context.Context, subject string, at, until time.Time) error

	// Watermarks returns the watermark of each subject, in order: the
	// zero time for a subject that has none.
	Watermarks(ctx context.Context, subjects []string) ([]time.Time, error)
}

// Watermark subjects: "u:" and the user ID, "f:" and the family ID.
func userSubject(userID string) string { return "u:" + userID }
func familySubject(id string) string   { return "f:" + id }

// DefaultWatermarkTTL is how long a Strategy trusts a watermark it read,
// when Options.Watermarks is set and Options.WatermarkTTL is not.
const DefaultWatermarkTTL = 10 * time.Second

// MemoryWatermarks is a WatermarkStore in process memory, for tests and
// single-process servers. It is safe for concurrent use. Entries are
// pruned once they lapse, as new ones are added.
type MemoryWatermarks struct {
	// Now is the clock used to prune. Default time.Now. Set it before
	// first use.
	Now func() time.Time

	mu        sync.RWMutex
	entries   map[string]watermark
	pruneSize int
}

type watermark struct{ at, until time.Time }

// NewMemoryWatermarks returns an empty MemoryWatermarks.
func NewMemoryWatermarks() *MemoryWatermarks {
	return &MemoryWatermarks{entries: make(map[string]watermark)}
}

// Raise implements WatermarkStore.
func (m *MemoryWatermarks) Raise(_ context.Context, subject string, at, until time.Time) error {
	if subject == "" {
		return errors.New("jwt: empty watermark subject")
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = make(map[string]watermark)
	}
	w := m.entries[subject]
	if at.After(w.at) {
		w.at = at
	}
	if until.After(w.until) {
		w.until = until
	}
	m.entries[subject] = w
	if len(m.entries) >= m.pruneSize {
		t := now()
		for k, e := range m.entries {
			if !t.Before(e.until) {
				delete(m.entries, k)
			}
		}
		m.pruneSize = max(2*len(m.entries), 64)
	}
	return nil
}

// Watermarks implements WatermarkStore.
func (m *MemoryWatermarks) Watermarks(_ context.Context, subjects []string) ([]time.Time, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]time.Time, len(subjects))
	for i, s := range subjects {
		out[i] = m.entries[s].at
	}
	return out, nil
}

// watermarkCache remembers the watermarks a Strategy read, each for ttl.
// Subjects without a watermark are remembered too: they are nearly all.
type watermarkCache struct {
	store WatermarkStore
	ttl   time.Duration
	max   int

	mu      sync.RWMutex
	entries map[string]cachedWatermark
}

type cachedWatermark struct {
	at      time.Time // zero: none
	fetched time.Time
}

// maxCachedWatermarks bounds the cache; past it, stale entries are dropped,
// and if none are stale, all.
const maxCachedWatermarks = 1 << 16

func newWatermarkCache(store WatermarkStore, ttl time.Duration) *watermarkCache {
	return &watermarkCache{store: store, ttl: ttl, max: maxCachedWatermarks, entries: make(map[string]cachedWatermark)}
}

// latest returns the latest watermark of subjects at now, reading from the
// store those not cached within the TTL (in one call).
func (c *watermarkCache) latest(ctx context.Context, now time.Time, subjects ...string) (time.Time, error) {
	var latest time.Time
	var missing []string
	c.mu.RLock()
	for _, s := range subjects {
		e, ok := c.entries[s]
		if !ok || now.Sub(e.fetched) >= c.ttl || now.Before(e.fetched) {
			missing = append(missing, s)
			continue
		}
		if e.at.After(latest) {
			latest = e.at
		}
	}
	c.mu.RUnlock()
	if len(missing) == 0 {
		return latest, nil
	}
	got, err := c.store.Watermarks(ctx, missing)
	if err == nil && len(got) != len(missing) {
		err = errors.New("jwt: watermark store answered for the wrong number of subjects")
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("jwt: revocation watermarks: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.makeRoom(now, len(missing))
	for i, s := range missing {
		at := got[i]
		// A raise this server made since the read began wins.
		if e, ok := c.entries[s]; ok && e.at.After(at) {
			at = e.at
		}
		c.entries[s] = cachedWatermark{at: at, fetched: now}
		if at.After(latest) {
			latest = at
		}
	}
	return latest, nil
}

// set records a watermark this server just raised, so that it applies here
// at once.
func (c *watermarkCache) set(subject string, at, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.makeRoom(now, 1)
	if e, ok := c.entries[subject]; ok && e.at.After(at) {
		at = e.at
	}
	c.entries[subject] = cachedWatermark{at: at, fetched: now}
}

func (c *watermarkCache) makeRoom(now time.Time, n int) {
	if len(c.entries)+n <= c.max {
		return
	}
	for s, e := range c.entries {
		if now.Sub(e.fetched) >= c.ttl {
			delete(c.entries, s)
		}
	}
	if len(c.entries)+n > c.max {
		clear(c.entries)
	}
}

// raise sets subject's watermark to now, in the store and in this server's
// cache. Without Options.Watermarks it does nothing.
//
// A token minted after an earlier watermark carries the second after it
// as its iat (mintAfter), possibly a moment ahead of the clock: a second
// raise within that second goes to that second, so that it refuses those
// tokens too.
func (s *Strategy) raise(ctx context.Context, subject string) error {
	if s.watermarks == nil {
		return nil
	}
	now := s.now().UTC().Truncate(time.Microsecond) // every store keeps microseconds
	prev, err := s.watermarks.latest(ctx, now, subject)
	if err != nil {
		return err
	}
	at := now
	if minted := time.Unix(prev.Unix()+1, 0).UTC(); !prev.IsZero() && minted.After(at) {
		at = minted
	}
	// Access tokens issued until at live at most lifetime + leeway more.
	if err := s.watermarks.store.Raise(ctx, subject, at, at.Add(s.lifetime+s.leeway+time.Second)); err != nil {
		return fmt.Errorf("jwt: raising revocation watermark: %w", err)
	}
	s.watermarks.set(subject, at, now)
	return nil
}

// checkWatermarks refuses c when it was issued at or before the watermark
// of its user or of its family.
func (s *Strategy) checkWatermarks(ctx context.Context, c *Claims) error {
	if s.watermarks == nil {
		return nil
	}
	subjects := [2]string{userSubject(c.Subject)}
	n := 1
	if c.Session != "" {
		subjects[1] = familySubject(c.Session)
		n = 2
	}
	w, err := s.watermarks.latest(ctx, s.now(), subjects[:n]...)
	if err != nil {
		return err
	}
	// iat has one-second precision: a token issued in the second of the
	// watermark cannot be told from one issued just before it, and is
	// refused. mintAfter keeps this server's new tokens out of that second.
	if !w.IsZero() && !c.IssuedAt.After(w) {
		return ErrRevoked
	}
	return nil
}

// mintAfter returns the earliest iat a new access token of userID may carry
// to be accepted: after the user's watermark, or zero for no constraint.
func (s *Strategy) mintAfter(ctx context.Context, userID string) (time.Time, error) {
	if s.watermarks == nil {
		return time.Time{}, nil
	}
	w, err := s.watermarks.latest(ctx, s.now(), userSubject(userID))
	if err != nil || w.IsZero() {
		return time.Time{}, err
	}
	return time.Unix(w.Unix()+1, 0), nil
}
