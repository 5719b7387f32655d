package refresh

import (
	"context"
	"errors"
	"sync"
	"time"
)

// MemoryStore is a Store in process memory, for tests and for servers
// that run as a single process and accept that a restart logs everyone out.
// It keeps one Family per family, however often it rotates. It is safe for
// concurrent use. Call Cleanup now and then to drop expired families; until
// then they are kept (and refused).
type MemoryStore struct {
	mu       sync.Mutex
	families map[string]Family
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{families: make(map[string]Family)}
}

// Create implements Store.
func (m *MemoryStore) Create(_ context.Context, f Family) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.families[f.ID]; dup {
		return ErrDuplicate
	}
	f.CreatedAt, f.ExpiresAt, f.RotatedAt, f.AuthTime = f.CreatedAt.UTC(), f.ExpiresAt.UTC(), f.RotatedAt.UTC(), f.AuthTime.UTC()
	f.Attributes = f.Attributes.Clone() // the caller may reuse its map
	m.families[f.ID] = f
	return nil
}

// Rotate implements Store.
func (m *MemoryStore) Rotate(_ context.Context, id string, gen uint64, old, next Hash, now time.Time) (Family, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.families[id]
	if !ok {
		return Family{}, ErrNotFound
	}
	if err := CheckRotation(f, gen, old, now); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Family{}, err
		}
		return f, err
	}
	f.Generation, f.Previous, f.Current, f.RotatedAt = gen+1, old, next, now.UTC()
	m.families[id] = f
	return f, nil
}

// CheckRotation applies the rules of Store.Rotate to f, the stored
// family: it returns nil when the token (gen, old) may be rotated at now,
// and otherwise the error Rotate must return. Stores that read the family
// before writing it (in a transaction or a script) can use it.
func CheckRotation(f Family, gen uint64, old Hash, now time.Time) error {
	switch {
	case f.Revoked:
		return ErrRevoked
	case !now.Before(f.ExpiresAt):
		return ErrExpired
	case gen < f.Generation:
		return ErrReused
	case gen > f.Generation || old != f.Current:
		return ErrNotFound
	}
	return nil
}

// Find implements Store.
func (m *MemoryStore) Find(_ context.Context, id string) (Family, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.families[id]
	if !ok {
		return Family{}, ErrNotFound
	}
	return f, nil
}

// RevokeFamily implements Store.
func (m *MemoryStore) RevokeFamily(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.families[id]; ok {
		f.Revoked = true
		m.families[id] = f
	}
	return nil
}

// RevokeUser implements Store.
func (m *MemoryStore) RevokeUser(_ context.Context, userID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, f := range m.families {
		if f.UserID == userID {
			f.Revoked = true
			m.families[id] = f
		}
	}
	return nil
}

// Cleanup deletes every family that has expired at now and returns how
// many it deleted.
func (m *MemoryStore) Cleanup(_ context.Context, now time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for id, f := range m.families {
		if !now.Before(f.ExpiresAt) {
			delete(m.families, id)
			n++
		}
	}
	return n, nil
}

// Len returns the number of families held, for tests and metrics.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.families)
}
