package refresh

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/gobware/gobware/core"
)

// Hash is the SHA-256 of a refresh token. Stores keep tokens by it and never
// see the token itself, so a leaked table cannot be replayed.
type Hash [sha256.Size]byte

// HashToken returns the Hash under which the refresh token tok is stored.
func HashToken(tok string) Hash { return sha256.Sum256([]byte(tok)) }

// Family is the stored state of one refresh-token family: the tokens
// descending from one login ([github.com/gobware/gobware/strategy/jwt.Strategy.Issue])
// by rotation. Its size does not grow with rotations: only the current
// token's hash, and the one spent last (for the strategy's
// Options.ReuseGrace), are kept. Every refresh token names its family and
// generation and is authenticated by the strategy's key ring, so an earlier
// token is recognised as such without being stored.
type Family struct {
	ID         string    // random, opaque; not a credential
	UserID     string    // whose family this is
	Generation uint64    // generation of Current: 0 for the token Issue made, +1 per rotation
	Current    Hash      // hash of the one token that may be rotated now
	Previous   Hash      // hash of the token spent last (generation Generation-1); zero before the first rotation
	RotatedAt  time.Time // when Previous was spent; zero before the first rotation (UTC)
	CreatedAt  time.Time // when the login started the family (UTC)
	ExpiresAt  time.Time // end of the family: no token of it is accepted from then on (UTC)
	Revoked    bool      // the family was revoked (logout, or reuse detected)

	// What the login recorded, carried by every access token of the
	// family (see the jwt package's IssueWith): how the user signed in,
	// when (UTC; zero when unknown, as for families stored before it was
	// recorded), and the application's attributes. Rotate never changes
	// them.
	Method     string
	AuthTime   time.Time
	Attributes core.Attributes
}

// Store keeps refresh-token families for the token strategy, one record of
// constant size per family. Implementations must be safe for concurrent
// use, report a missing family as ErrNotFound, and report any other failure
// as an error that is none of this package's sentinels (wrapping
// [core.ErrUnavailable] when the backend cannot be reached).
//
// [github.com/gobware/gobware/storage/gorm] provides one for SQLite,
// PostgreSQL and MySQL, [github.com/gobware/gobware/storage/redis] one for
// Redis, and NewMemoryStore one for tests and single-process servers.
// jwttest.TestRefreshStore (in strategy/jwt/jwttest) checks an
// implementation against this contract.
type Store interface {
	// Create stores f, a new family. IDs are unique; a duplicate is an
	// error.
	Create(ctx context.Context, f Family) error

	// Rotate spends the current token of family id and makes next the
	// current one, atomically, if and only if the family exists, is not
	// revoked, now is before ExpiresAt, and its Generation is gen and its
	// Current is old. Then Previous becomes old, Current next, Generation
	// gen+1 and RotatedAt now, and Rotate returns the updated family.
	//
	// Of any number of concurrent calls for one (id, gen, old), at most
	// one succeeds. The others, and every later call, fail with, in this
	// order of precedence: ErrNotFound (unknown family), ErrRevoked (the
	// family is revoked), ErrExpired (now is not before ExpiresAt),
	// ErrReused (gen is older than Generation: that token was spent), and
	// ErrNotFound again when gen is Generation but old is not Current, or
	// gen is newer (no such token was issued). With ErrRevoked, ErrExpired
	// and ErrReused, Rotate also returns the family as stored.
	Rotate(ctx context.Context, id string, gen uint64, old, next Hash, now time.Time) (Family, error)

	// Find returns the family id, whatever its state, or ErrNotFound.
	Find(ctx context.Context, id string) (Family, error)

	// RevokeFamily marks family id as revoked. When it returns, no token of
	// the family can be rotated any more. Revoking an unknown or already
	// revoked family is not an error.
	RevokeFamily(ctx context.Context, id string) error

	// RevokeUser revokes every family of userID, with the same guarantee as
	// RevokeFamily.
	RevokeUser(ctx context.Context, userID string) error
}

// LegacyStore is implemented by stores that were migrated from the layout
// of earlier gobware versions, which kept one row per refresh token. Their
// tokens (43 characters, without family or generation) keep working: the
// store still knows every such token of a live family by its hash.
type LegacyStore interface {
	// FindLegacy returns the family of the earlier-format token with hash
	// h, and whether h was the family's unspent token when it was
	// migrated (then it is the family's generation 0). A token it does not
	// know is ErrNotFound.
	FindLegacy(ctx context.Context, h Hash) (f Family, current bool, err error)
}
