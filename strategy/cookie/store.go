package cookie

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// ErrNotFound is returned by a Store when no live session has the given hash:
// it never existed, was deleted, or has passed its idle or absolute deadline.
// It wraps [core.ErrInvalidCredential]: the cookie naming it is refused.
var ErrNotFound = errclass.New(core.ErrInvalidCredential, "cookie: session not found")

// Hash is the SHA-256 of a session ID. Stores key sessions by it and never
// see the ID itself, so a leaked table cannot be replayed as cookies.
type Hash [sha256.Size]byte

// HashID returns the Hash under which the session ID id is stored.
func HashID(id string) Hash {
	// Copying a session ID (43 bytes) into an array keeps the conversion
	// off the heap; other lengths take the ordinary path.
	var b [idLen]byte
	if len(id) == idLen {
		copy(b[:], id)
		return sha256.Sum256(b[:])
	}
	return sha256.Sum256([]byte(id))
}

// Handle returns an opaque, stable name for the session with this hash, for
// listing and ending sessions. It reveals neither the ID nor its hash.
func (h Hash) Handle() string {
	sum := sha256.Sum256(append([]byte("gobware session handle\x00"), h[:]...))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// Session is one row of the session table.
type Session struct {
	Hash       Hash
	UserID     string
	CreatedAt  time.Time // UTC
	LastSeenAt time.Time // UTC; refreshed at most once per Options.TouchInterval
	IdleUntil  time.Time // UTC; the session dies if not used before this
	ExpiresAt  time.Time // UTC; absolute end of the session, whatever its use
	UserAgent  string
	IP         string

	// Method is how the user signed in (core.LoginOptions.Method); "" when
	// unknown, as for sessions stored before it was recorded.
	Method string
	// AuthTime is when the user last proved who they are (UTC): the
	// login, or the last Update with Reauthenticated. Touch never changes
	// it. Zero when unknown.
	AuthTime time.Time
	// Attributes are the application's values chosen at login or by
	// Update (at most core.MaxAttributesSize). Nil when none.
	Attributes core.Attributes
	// Persistent records whether the session's cookie was set to persist
	// ("remember me"), so that a cookie reissued by Update persists alike.
	Persistent bool
}

// Live reports whether s may still be used at now: before both deadlines.
func (s Session) Live(now time.Time) bool {
	return now.Before(s.IdleUntil) && now.Before(s.ExpiresAt)
}

// Store keeps sessions. Implementations must be safe for concurrent use,
// report a missing or dead session as ErrNotFound, and report any other
// failure as an error that is not ErrNotFound (wrapping [core.ErrUnavailable]
// when the backend cannot be reached).
//
// Expiry is enforced by the store itself: Find and List never return a
// session for which Live(now) is false, even before expired rows are
// cleaned up.
type Store interface {
	// Create inserts s. Hashes are unique; a duplicate is an error.
	Create(ctx context.Context, s Session) error
	// Find returns the live session with hash h at now, or ErrNotFound.
	Find(ctx context.Context, h Hash, now time.Time) (Session, error)
	// Touch records use of session h: LastSeenAt = seen, IdleUntil = idleUntil.
	// Touching a missing session is not an error.
	Touch(ctx context.Context, h Hash, seen, idleUntil time.Time) error
	// Delete removes session h. Deleting a missing session is not an error.
	Delete(ctx context.Context, h Hash) error
	// DeleteUser removes every session of userID and returns how many.
	DeleteUser(ctx context.Context, userID string) (int, error)
	// List returns the live sessions of userID at now, newest first.
	List(ctx context.Context, userID string, now time.Time) ([]Session, error)
}

// Capper is an optional interface a Store implements to enforce
// Options.MaxSessionsPerUser; New refuses a cap for a store without it.
type Capper interface {
	// CreateCapped is Create followed, in the same atomic step, by the end
	// of s.UserID's oldest sessions beyond max: afterwards at most max
	// sessions of the user are live at s.CreatedAt, s among them. s itself
	// is never ended, however its CreatedAt compares with the others'.
	// "Oldest" is List's order read backwards (CreatedAt, then Hash
	// descending). Sessions that are no longer live neither count nor are
	// reported. It returns the hashes of the sessions it ended, oldest
	// first; on error nothing was created or ended.
	//
	// Atomic means that concurrent calls for one user, from any number of
	// processes sharing the backend, never leave more than max of the
	// user's sessions live, not even for an instant another reader could
	// observe. max is at least 1.
	CreateCapped(ctx context.Context, s Session, max int) ([]Hash, error)
}

// Looker is an optional interface a Store implements when it can read a
// session more cheaply than Find by leaving out what authentication does
// not need. Authenticate uses it when present.
type Looker interface {
	// Lookup is Find for authentication: the same contract, except that
	// the Session returned need only have UserID, LastSeenAt, IdleUntil,
	// ExpiresAt, Method, AuthTime and Attributes set (not CreatedAt,
	// UserAgent, IP, Persistent).
	Lookup(ctx context.Context, h Hash, now time.Time) (Session, error)
}

// Rotator is an optional interface a Store implements so that
// Strategy.Update can change a live session; Update refuses to run on a
// store without it. The memory, storage/gorm and storage/redis (one Redis
// or Redis Cluster) stores implement it.
type Rotator interface {
	// Rotate replaces the session old, which must be live at now and
	// belong to s.UserID, by s (a new hash) in one atomic step: afterwards
	// old is dead and s live, and no reader, in this process or another,
	// ever finds both live or neither. When old is missing, dead or of
	// another user, including when a concurrent Rotate of old won, it
	// returns ErrNotFound and writes nothing, so of concurrent rotations
	// of one session exactly one succeeds. s keeps the session's place
	// among the user's sessions (same CreatedAt) and counts once against a
	// session cap.
	Rotate(ctx context.Context, old Hash, s Session, now time.Time) error
}

// Colocator is an optional interface of a Rotator whose Rotate needs the
// new session's hash to live beside the old one's (in Redis Cluster, in
// the same hash slot, so that one script changes both atomically).
// Strategy.Update draws new session IDs until Colocated(old, new) holds;
// a Rotator without it takes the first one.
type Colocator interface {
	Colocated(old, new Hash) bool
}
