package limiter

import (
	"context"
	"time"
)

// Record is what a Store keeps about one key.
type Record struct {
	// Failures is the number of failures in a row, counted since the
	// record was last reset or forgotten.
	Failures int
	// Last is the time of the latest failure, in UTC.
	Last time.Time
}

// Store keeps failure counters. Keys are opaque: the Limiter gives a store
// the hex SHA-256 of each key. Implementations must be safe for concurrent
// use; stores shared by several servers must make Fail atomic.
type Store interface {
	// Get returns key's record, or the zero Record (and no error) for a key
	// with no failures. It may return a record older than the forget period;
	// the Limiter ignores those.
	Get(ctx context.Context, key string) (Record, error)
	// Fail atomically counts one failure of key at time at and returns the
	// updated record, whose Last is the later of at and the previous Last
	// (concurrent calls may arrive out of order). A record whose Last is at
	// or before at-forget counts as empty (the new count is 1). The store
	// may drop the record once forget has passed after its Last.
	Fail(ctx context.Context, key string, at time.Time, forget time.Duration) (Record, error)
	// Reset deletes key's record. Resetting an unknown key is not an error.
	Reset(ctx context.Context, key string) error
}
