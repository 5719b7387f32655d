package jwt

import (
	"context"
	"crypto/sha256"
	"time"
)

// Hash is the SHA-256 of a refresh token. Stores key tokens by it and never
// see the token itself, so a leaked table cannot be replayed.
type Hash [sha256.Size]byte

// HashToken returns the Hash under which the refresh token tok is stored.
func HashToken(tok string) Hash { return sha256.Sum256([]byte(tok)) }

// RefreshToken is one stored refresh token. The tokens descending from one
// Issue by rotation form a family; they share Family, UserID and ExpiresAt.
type RefreshToken struct {
	Hash      Hash
	Family    string    // random, opaque; not a credential
	UserID    string    // whose family this is
	IssuedAt  time.Time // when this token was issued (UTC)
	ExpiresAt time.Time // end of the family: no token of it is accepted from then on (UTC)
	UsedAt    time.Time // when this token was spent by rotation; zero while unused
	Revoked   bool      // the family was revoked (logout, or reuse detected)
}

// Used reports whether t has been spent.
func (t RefreshToken) Used() bool { return !t.UsedAt.IsZero() }

// RefreshStore keeps refresh tokens for a Strategy. Implementations must be
// safe for concurrent use, report a missing token as ErrNotFound, and report
// any other failure as an error that is none of this package's sentinels
// (wrapping core.ErrUnavailable when the backend cannot be reached).
//
// storage/gorm provides one for SQLite, PostgreSQL and MySQL; NewMemoryStore
// one for tests and single-process servers.
type RefreshStore interface {
	// Create stores t, the first token of a new family. Hashes are unique;
	// a duplicate is an error.
	Create(ctx context.Context, t RefreshToken) error

	// Rotate spends the token with hash old and stores its successor with
	// hash next, atomically: next is stored if and only if old was spent by
	// this very call. The successor inherits Family, UserID and ExpiresAt;
	// its IssuedAt is now. Rotate returns the successor.
	//
	// Of any number of concurrent calls for one old hash, at most one
	// succeeds. The others, and every later call, fail with, in this order
	// of precedence: ErrNotFound (unknown hash), ErrRevoked (the family is
	// revoked), ErrExpired (now is not before ExpiresAt), ErrReused (old
	// was already spent). With ErrRevoked, ErrExpired and ErrReused, Rotate
	// also returns the stored old token, so the caller knows its family.
	Rotate(ctx context.Context, old, next Hash, now time.Time) (RefreshToken, error)

	// Find returns the token with hash h, whatever its state, or ErrNotFound.
	Find(ctx context.Context, h Hash) (RefreshToken, error)

	// RevokeFamily marks every token of family as revoked. When it returns,
	// no token of the family can be rotated any more, including a successor
	// stored by a Rotate that ran concurrently with it. Revoking an unknown
	// or already revoked family is not an error.
	RevokeFamily(ctx context.Context, family string) error

	// RevokeUser revokes every family of userID, with the same guarantee as
	// RevokeFamily.
	RevokeUser(ctx context.Context, userID string) error
}
