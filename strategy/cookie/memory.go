package cookie

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// errDuplicateHash is returned by MemoryStore.Create for a hash already stored.
var errDuplicateHash = errclass.New(core.ErrBackend, "cookie: memory store: duplicate session hash")

// errBadCap is returned by MemoryStore.CreateCapped for a cap below 1.
var errBadCap = errclass.New(core.ErrInvalidArgument, "cookie: memory store: session cap must be at least 1")

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
	return m.create(s)
}

// CreateCapped implements Capper: one critical section creates s and ends
// the user's oldest live sessions beyond max.
func (m *MemoryStore) CreateCapped(_ context.Context, s Session, max int) ([]Hash, error) {
	if max < 1 {
		return nil, errBadCap
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.create(s); err != nil {
		return nil, err
	}
	var others []Session
	for h := range m.byUser[s.UserID] {
		if o := m.sessions[h]; h != s.Hash && o.Live(s.CreatedAt) {
			others = append(others, o)
		}
	}
	if len(others) < max {
		return nil, nil
	}
	slices.SortFunc(others, NewestFirst)
	var ended []Hash
	for i := len(others) - 1; i >= max-1; i-- {
		m.remove(others[i].Hash)
		ended = append(ended, others[i].Hash)
	}
	return ended, nil
}

// Rotate implements Rotator: one critical section checks that old is a
// live session of s.UserID, removes it and inserts s.
func (m *MemoryStore) Rotate(_ context.Context, old Hash, s Session, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.sessions[old]
	if !ok || !o.Live(now) || o.UserID != s.UserID {
		return ErrNotFound
	}
	if _, ok := m.sessions[s.Hash]; ok {
		return errDuplicateHash
	}
	m.remove(old)
	return m.create(s)
}

// create inserts s; m.mu must be held.
func (m *MemoryStore) create(s Session) error {
	if _, ok := m.sessions[s.Hash]; ok {
		return errDuplicateHash
	}
	s.Attributes = s.Attributes.Clone() // the caller may reuse its map
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
	slices.SortFunc(out, NewestFirst)
	return out, nil
}

// NewestFirst compares sessions in the order Store.List returns them:
// CreatedAt descending, then Hash ascending. Use it with slices.SortFunc.
func NewestFirst(a, b Session) int {
	return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), bytes.Compare(a.Hash[:], b.Hash[:]))
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
