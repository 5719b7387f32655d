package jwt

import (
	"time"

	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// The refresh-token contract lives in [refresh], which imports neither this
// package nor the JOSE library, so that the stores implementing it build
// without them. These names keep code written against this package
// working.

// Hash is [refresh.Hash].
type Hash = refresh.Hash

// Family is [refresh.Family].
type Family = refresh.Family

// RefreshStore is [refresh.Store]: it keeps the refresh-token families of a
// Strategy.
type RefreshStore = refresh.Store

// LegacyStore is [refresh.LegacyStore].
type LegacyStore = refresh.LegacyStore

// MemoryStore is [refresh.MemoryStore].
type MemoryStore = refresh.MemoryStore

// HashToken returns the Hash under which the refresh token tok is stored
// ([refresh.HashToken]).
func HashToken(tok string) Hash { return refresh.HashToken(tok) }

// NewMemoryStore returns an empty MemoryStore ([refresh.NewMemoryStore]).
func NewMemoryStore() *MemoryStore { return refresh.NewMemoryStore() }

// CheckRotation is [refresh.CheckRotation].
func CheckRotation(f Family, gen uint64, old Hash, now time.Time) error {
	return refresh.CheckRotation(f, gen, old, now)
}
