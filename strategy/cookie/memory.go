package cookie

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// errDuplicateHash is returned by MemoryStore.Create for a hash already stored.
var errDuplicateHash = errors.New("cookie: memory store: duplicate session hash")

// MemoryStore is a Store that keeps sessions in process memory. It suits
// tests and single-process servers that accept losing every session on
// restart. It is safe for concurrent use and enforces expiry in Find, Touch
// and List; Cleanup frees the memory of expired sessions.
type MemoryStore struct {
	mu       sync.Mutex
	sessions map[Hash]Session
	byUser   map[string]map[Hash]struct{}
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{sessions: make(map[Hash]Session), byUser: make(map[string]map[Hash]struct{})}
}

// Create implements Store.
func (m *MemoryStore) Create(_ context.Context, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[s.Hash]; ok {
		return errDuplicateHash
	}
	m.sessions[s.Hash] = s
	u := m.byUser[s.UserID]
	if u == nil {
		u = make(map[Hash]struct{})
		m.byUser[s.UserID] = u
	}
	u[s.Hash] = struct{}{}
	return nil
}

// Find implements Store.
func (m *MemoryStore) Find(_ context.Context, h Hash, now time.Time) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[h]
	if !ok || !s.Live(now) {
		return Session{}, ErrNotFound
	}
	return s, nil
}

// Touch implements Store. A session that is missing or no longer live at
// seen is left alone, so a late Touch cannot revive it.
func (m *MemoryStore) Touch(_ context.Context, h Hash, seen, idleUntil time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[h]
	if !ok || !s.Live(seen) {
		return nil
	}
	s.LastSeenAt, s.IdleUntil = seen, idleUntil
	m.sessions[h] = s
	return nil
}

// Delete implements Store.
func (m *MemoryStore) Delete(_ context.Context, h Hash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remove(h)
	return nil
}

// DeleteUser implements Store. Expired sessions not yet cleaned up count.
func (m *MemoryStore) DeleteUser(_ context.Context, userID string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for h := range m.byUser[userID] {
		m.remove(h)
		n++
	}
	return n, nil
}

// List implements Store.
func (m *MemoryStore) List(_ context.Context, userID string, now time.Time) ([]Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Session
	for h := range m.byUser[userID] {
		if s := m.sessions[h]; s.Live(now) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return bytes.Compare(out[i].Hash[:], out[j].Hash[:]) < 0
	})
	return out, nil
}

// Cleanup deletes the sessions that are no longer live at now and returns
// how many it deleted. Call it periodically; expiry is enforced without it.
func (m *MemoryStore) Cleanup(now time.Time) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for h, s := range m.sessions {
		if !s.Live(now) {
			m.remove(h)
			n++
		}
	}
	return n
}

// remove deletes h; m.mu must be held.
func (m *MemoryStore) remove(h Hash) {
	s, ok := m.sessions[h]
	if !ok {
		return
	}
	delete(m.sessions, h)
	if u := m.byUser[s.UserID]; u != nil {
		delete(u, h)
		if len(u) == 0 {
			delete(m.byUser, s.UserID)
		}
	}
}
