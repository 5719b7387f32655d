package passkeystore

import (
	"context"
	"time"
)

// Credential is a registered passkey: the public half of a key pair that
// lives in the user's authenticator, and what is needed to verify its
// signatures. Nothing in it is secret; a leaked table lets nobody sign in.
type Credential struct {
	// ID is the credential ID the authenticator chose (at most 1023
	// bytes). It is unique across users. Clients see it base64url-encoded
	// without padding (see EncodeID).
	ID []byte
	// UserID is the application's ID of the owner.
	UserID string
	// Name is the label the user gave it, "" for none.
	Name string
	// PublicKey is the COSE-encoded public key.
	PublicKey []byte
	// SignCount is the signature counter last seen (0 for authenticators
	// without one).
	SignCount uint32
	// AAGUID identifies the authenticator model (all zero when it does not
	// say).
	AAGUID []byte
	// Transports are the transports the browser reported, such as
	// "internal" or "hybrid".
	Transports []string
	// AttestationFormat is the attestation statement format seen at
	// registration, such as "none" or "packed".
	AttestationFormat string
	// BackupEligible and BackupState are the authenticator's BE and BS
	// flags: whether the passkey can be synced, and whether it is.
	BackupEligible bool
	BackupState    bool
	// CreatedAt is when it was registered; LastUsedAt when it last signed
	// the user in (zero if never). UTC.
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// Store keeps registered passkeys. Implementations must be safe for
// concurrent use. The memory store (NewMemoryStore) and storage/gorm's
// PasskeyStore implement it; passkeytest.TestStore checks an
// implementation.
type Store interface {
	// Create stores c. It returns an error wrapping ErrExists when a
	// credential with c.ID is already stored, for any user.
	Create(ctx context.Context, c Credential) error
	// Find returns the credential with this ID, or ErrNotFound.
	Find(ctx context.Context, id []byte) (Credential, error)
	// List returns the user's credentials, oldest first; none is an empty
	// result, not an error.
	List(ctx context.Context, userID string) ([]Credential, error)
	// Used records a successful sign-in with the credential: its new
	// counter, backup state and time of use. ErrNotFound when it is gone.
	Used(ctx context.Context, id []byte, signCount uint32, backupState bool, at time.Time) error
	// Rename sets the name of the user's credential id, or returns
	// ErrNotFound when the user has none with that ID.
	Rename(ctx context.Context, userID string, id []byte, name string) error
	// Delete removes the user's credential id, or returns ErrNotFound when
	// the user has none with that ID.
	Delete(ctx context.Context, userID string, id []byte) error
}

// ChallengeTTL is how long an issued challenge is accepted: five minutes.
const ChallengeTTL = 5 * time.Minute

// Ceremony names the WebAuthn ceremony a challenge was issued for.
type Ceremony string

// The two ceremonies.
const (
	Registration Ceremony = "registration"
	Login        Ceremony = "login"
)

// Challenge is a challenge the server issued and has not yet seen answered.
type Challenge struct {
	// Hash is the SHA-256 of the challenge bytes (see passkey.HashChallenge): a
	// store never holds the challenge itself.
	Hash [32]byte
	// Ceremony is what it was issued for.
	Ceremony Ceremony
	// UserID is the signed-in user a registration challenge was issued
	// to; "" for a sign-in.
	UserID string
	// ExpiresAt is when it stops being accepted (UTC).
	ExpiresAt time.Time
}

// ChallengeStore keeps issued challenges until they are answered or expire.
// Implementations must be safe for concurrent use. NewMemoryChallenges
// serves a single process; storage/gorm's and storage/redis's
// ChallengeStore are shared by several servers.
// passkeytest.TestChallengeStore checks an implementation.
type ChallengeStore interface {
	// Put stores c.
	Put(ctx context.Context, c Challenge) error
	// Take removes the challenge with this hash and returns it, or returns
	// ErrNotFound. Of concurrent Takes of one hash exactly one succeeds:
	// this is what makes a challenge single use. Take does not check
	// ExpiresAt; the caller does.
	Take(ctx context.Context, hash [32]byte) (Challenge, error)
}
