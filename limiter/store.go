package limiter

import (
	"context"
	"time"
)

// Record is what a Store keeps about one key.
type Record struct {
	// Failures is the number of attempts in a row counted against the key
	// (each attempt is counted when it is reserved; a successful one is
	// given back), since the record was last reset or forgotten.
	Failures int
	// Last is the time of the latest counted attempt, in UTC.
	Last time.Time
	// Version identifies this write of the record: the Limiter gives every
	// record it writes a new random non-zero Version, and CompareAndSwap
	// compares it. It is 0 for a key with no record, and for a record
	// written before versions existed.
	Version int64
}

// Store keeps attempt counters. Keys are opaque: the Limiter gives a store
// the hex SHA-256 of each key. Implementations must be safe for concurrent
// use, also by several processes when the store is shared: every decision
// the Limiter takes is written back with CompareAndSwap, which is what
// makes a reservation atomic.
type Store interface {
	// Get returns key's record, or the zero Record (and no error) for a key
	// with no record. It may return a record older than the forget period;
	// the Limiter ignores those.
	Get(ctx context.Context, key string) (Record, error)
	// CompareAndSwap replaces key's record with next if the stored record's
	// Version still equals old.Version (0: there is no record, or one
	// without a version), all in one atomic step, and reports whether it
	// did. A next with no Failures deletes the record. The store may drop
	// the record at expires.
	CompareAndSwap(ctx context.Context, key string, old, next Record, expires time.Time) (swapped bool, err error)
	// Reset deletes key's record. Resetting an unknown key is not an error.
	Reset(ctx context.Context, key string) error
}
