package limiter

import (
	"context"
	"sync"
	"time"
)

// MemoryStore is a Store in this process's memory: counters vanish on
// restart and are not shared between servers. It is safe for concurrent use.
// Records are dropped once their forget period has passed, so it holds only
// the keys that failed recently.
type MemoryStore struct {
	mu        sync.Mutex
	records   map[string]memoryRecord
	nextSweep time.Time
}

type memoryRecord struct {
	Record
	expires time.Time
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{records: map[string]memoryRecord{}}
}

// Get implements Store.
func (m *MemoryStore) Get(ctx context.Context, key string) (Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.records[key].Record, nil
}

// CompareAndSwap implements Store.
func (m *MemoryStore) CompareAndSwap(ctx context.Context, key string, old, next Record, expires time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.records[key].Version != old.Version {
		return false, nil
	}
	if next.Failures <= 0 {
		delete(m.records, key)
		return true, nil
	}
	next.Last = next.Last.UTC()
	m.sweep(next.Last)
	m.records[key] = memoryRecord{Record: next, expires: expires}
	return true, nil
}

// Reset implements Store.
func (m *MemoryStore) Reset(ctx context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.records, key)
	return nil
}

// Len returns the number of keys held, for tests and metrics.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.records)
}

// sweep drops expired records, at most once a minute of the store's clock,
// so that memory follows recent failures, not all failures ever.
func (m *MemoryStore) sweep(now time.Time) {
	if now.Before(m.nextSweep) {
		return
	}
	m.nextSweep = now.Add(time.Minute)
	for k, r := range m.records {
		if !now.Before(r.expires) {
			delete(m.records, k)
		}
	}
}
