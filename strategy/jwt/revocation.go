package jwt

import (
	"context"
	"errors"
	"sync"
	"time"
)

// RevocationList records access tokens refused before their expiry, by
// jti. Applications that need logout to take effect at once, and not only
// when the access token expires, set Options.Revocations and call
// RevokeAccess on logout. MemoryRevocationList serves one process;
// storage/redis has one that several servers share.
//
// Implementations must be safe for concurrent use. Revoked is called on
// every verification, so it must be fast; a failure must wrap
// core.ErrUnavailable when the backend cannot be reached.
type RevocationList interface {
	// Revoke lists jti until the given time, after which the token it
	// names has expired anyway and the entry may be forgotten.
	Revoke(ctx context.Context, jti string, until time.Time) error
	// Revoked reports whether jti is listed and its entry has not lapsed.
	Revoked(ctx context.Context, jti string) (bool, error)
}

// MemoryRevocationList is a RevocationList in process memory. It is safe for
// concurrent use. Lapsed entries are never reported and are pruned as new
// ones are added, so its size stays proportional to the number of live
// revoked tokens.
type MemoryRevocationList struct {
	// Now is the clock. Default time.Now. Set it before first use.
	Now func() time.Time

	mu        sync.RWMutex
	entries   map[string]time.Time
	pruneSize int // prune when len(entries) reaches this
}

// NewMemoryRevocationList returns an empty MemoryRevocationList.
func NewMemoryRevocationList() *MemoryRevocationList {
	return &MemoryRevocationList{entries: make(map[string]time.Time)}
}

func (l *MemoryRevocationList) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Revoke implements RevocationList. Entries that have lapsed are pruned
// whenever the list has doubled since the last pruning, which keeps the
// cost of pruning constant per entry added.
func (l *MemoryRevocationList) Revoke(_ context.Context, jti string, until time.Time) error {
	if jti == "" {
		return errors.New("jwt: empty jti")
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = make(map[string]time.Time)
	}
	if !now.Before(until) {
		return nil
	}
	if prev, ok := l.entries[jti]; !ok || prev.Before(until) {
		l.entries[jti] = until
	}
	if len(l.entries) >= l.pruneSize {
		l.prune(now)
		l.pruneSize = max(2*len(l.entries), 64)
	}
	return nil
}

// Revoked implements RevocationList.
func (l *MemoryRevocationList) Revoked(_ context.Context, jti string) (bool, error) {
	l.mu.RLock()
	until, ok := l.entries[jti]
	l.mu.RUnlock()
	return ok && l.now().Before(until), nil
}

// Prune removes the entries that have lapsed at now.
func (l *MemoryRevocationList) Prune(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
}

func (l *MemoryRevocationList) prune(now time.Time) {
	for jti, until := range l.entries {
		if !now.Before(until) {
			delete(l.entries, jti)
		}
	}
}

// Len returns the number of entries held, lapsed or not.
func (l *MemoryRevocationList) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.entries)
}
