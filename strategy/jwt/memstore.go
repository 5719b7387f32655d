package jwt

import (
	"context"
	"errors"
	"sync"
	"time"
)

// MemoryStore is a RefreshStore in process memory, for tests and for servers
// that run as a single process and accept that a restart logs everyone out.
// It is safe for concurrent use. Call Cleanup now and then to drop expired
// families; until then they are kept (and refused).
type MemoryStore struct {
	mu     sync.Mutex
	tokens map[Hash]*RefreshToken
	family map[string][]Hash
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{tokens: make(map[Hash]*RefreshToken), family: make(map[string][]Hash)}
}

// Create implements RefreshStore.
func (m *MemoryStore) Create(_ context.Context, t RefreshToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.insert(t)
}

func (m *MemoryStore) insert(t RefreshToken) error {
	if _, dup := m.tokens[t.Hash]; dup {
		return errors.New("jwt: memory store: duplicate refresh token hash")
	}
	t.IssuedAt, t.ExpiresAt = t.IssuedAt.UTC(), t.ExpiresAt.UTC()
	m.tokens[t.Hash] = &t
	m.family[t.Family] = append(m.family[t.Family], t.Hash)
	return nil
}

// Rotate implements RefreshStore.
func (m *MemoryStore) Rotate(_ context.Context, old, next Hash, now time.Time) (RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[old]
	switch {
	case !ok:
		return RefreshToken{}, ErrNotFound
	case t.Revoked:
		return *t, ErrRevoked
	case !now.Before(t.ExpiresAt):
		return *t, ErrExpired
	case t.Used():
		return *t, ErrReused
	}
	succ := RefreshToken{Hash: next, Family: t.Family, UserID: t.UserID, IssuedAt: now, ExpiresAt: t.ExpiresAt}
	if err := m.insert(succ); err != nil {
		return RefreshToken{}, err
	}
	t.UsedAt = now.UTC()
	return *m.tokens[next], nil
}

// Find implements RefreshStore.
func (m *MemoryStore) Find(_ context.Context, h Hash) (RefreshToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[h]
	if !ok {
		return RefreshToken{}, ErrNotFound
	}
	return *t, nil
}

// RevokeFamily implements RefreshStore.
func (m *MemoryStore) RevokeFamily(_ context.Context, family string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.revoke(family)
	return nil
}

func (m *MemoryStore) revoke(family string) {
	for _, h := range m.family[family] {
		m.tokens[h].Revoked = true
	}
}

// RevokeUser implements RefreshStore.
func (m *MemoryStore) RevokeUser(_ context.Context, userID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for f, hs := range m.family {
		if len(hs) > 0 && m.tokens[hs[0]].UserID == userID {
			m.revoke(f)
		}
	}
	return nil
}

// Cleanup deletes every token whose family has expired at now and returns
// how many it deleted.
func (m *MemoryStore) Cleanup(_ context.Context, now time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for f, hs := range m.family {
		if len(hs) > 0 && !now.Before(m.tokens[hs[0]].ExpiresAt) {
			for _, h := range hs {
				delete(m.tokens, h)
				n++
			}
			delete(m.family, f)
		}
	}
	return n, nil
}
