package passkeystore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// MemoryStore is a Store in process memory, for tests and single-process
// servers that accept losing every passkey on restart. It is safe for
// concurrent use.
type MemoryStore struct {
	mu    sync.Mutex
	creds map[string]Credential // by string(ID)
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{creds: make(map[string]Credential)}
}

// Create implements Store.
func (m *MemoryStore) Create(_ context.Context, c Credential) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.creds[string(c.ID)]; ok {
		return fmt.Errorf("memory store: %w", ErrExists)
	}
	m.creds[string(c.ID)] = clone(c)
	return nil
}

// Find implements Store.
func (m *MemoryStore) Find(_ context.Context, id []byte) (Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.creds[string(id)]
	if !ok {
		return Credential{}, ErrNotFound
	}
	return clone(c), nil
}

// List implements Store.
func (m *MemoryStore) List(_ context.Context, userID string) ([]Credential, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []Credential{}
	for _, c := range m.creds {
		if c.UserID == userID {
			out = append(out, clone(c))
		}
	}
	slices.SortFunc(out, func(a, b Credential) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return bytes.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Used implements Store.
func (m *MemoryStore) Used(_ context.Context, id []byte, signCount uint32, backupState bool, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.creds[string(id)]
	if !ok {
		return ErrNotFound
	}
	c.SignCount, c.BackupState, c.LastUsedAt = signCount, backupState, at.UTC()
	m.creds[string(id)] = c
	return nil
}

// Rename implements Store.
func (m *MemoryStore) Rename(_ context.Context, userID string, id []byte, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.creds[string(id)]
	if !ok || c.UserID != userID {
		return ErrNotFound
	}
	c.Name = name
	m.creds[string(id)] = c
	return nil
}

// Delete implements Store.
func (m *MemoryStore) Delete(_ context.Context, userID string, id []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.creds[string(id)]
	if !ok || c.UserID != userID {
		return ErrNotFound
	}
	delete(m.creds, string(id))
	return nil
}

func clone(c Credential) Credential {
	c.ID = bytes.Clone(c.ID)
	c.PublicKey = bytes.Clone(c.PublicKey)
	c.AAGUID = bytes.Clone(c.AAGUID)
	c.Transports = slices.Clone(c.Transports)
	return c
}

// DefaultMaxChallenges is how many outstanding challenges a
// MemoryChallenges holds by default.
const DefaultMaxChallenges = 100_000

// MemoryChallenges is a ChallengeStore in process memory, for a single
// server: a challenge issued by one process cannot be answered on another.
// It is safe for concurrent use. It holds at most a fixed number of
// challenges (sign-in options are handed to anyone who asks): when full,
// Put drops the oldest, whose ceremony then fails with ErrChallenge.
// Expired challenges are dropped as new ones arrive.
type MemoryChallenges struct {
	mu    sync.Mutex
	max   int
	byKey map[[32]byte]Challenge
	order [][32]byte // insertion order, which is expiry order for one TTL
}

// NewMemoryChallenges returns an empty MemoryChallenges holding at most max
// challenges (DefaultMaxChallenges when max < 1).
func NewMemoryChallenges(max int) *MemoryChallenges {
	if max < 1 {
		max = DefaultMaxChallenges
	}
	return &MemoryChallenges{max: max, byKey: make(map[[32]byte]Challenge)}
}

// Put implements ChallengeStore.
func (m *MemoryChallenges) Put(_ context.Context, c Challenge) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	issued := c.ExpiresAt.Add(-ChallengeTTL)
	for len(m.order) > 0 {
		old, ok := m.byKey[m.order[0]]
		if ok && old.ExpiresAt.After(issued) && len(m.byKey) < m.max && len(m.order) < 2*m.max {
			break // the oldest is still live and there is room
		}
		delete(m.byKey, m.order[0])
		m.order = m.order[1:]
	}
	m.byKey[c.Hash] = c
	m.order = append(m.order, c.Hash)
	return nil
}

// Take implements ChallengeStore.
func (m *MemoryChallenges) Take(_ context.Context, hash [32]byte) (Challenge, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.byKey[hash]
	if !ok {
		return Challenge{}, ErrNotFound
	}
	delete(m.byKey, hash)
	return c, nil
}

// Len returns how many challenges are held.
func (m *MemoryChallenges) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.byKey)
}
