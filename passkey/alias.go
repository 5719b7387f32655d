package passkey

import "github.com/gobware/gobware/passkey/passkeystore"

// The storage contract lives in package passkeystore, which needs neither
// the WebAuthn library nor this package; these names make it usable from
// here.
type (
	// Credential is a registered passkey; see passkeystore.Credential.
	Credential = passkeystore.Credential
	// Store keeps registered passkeys; see passkeystore.Store.
	Store = passkeystore.Store
	// Challenge is an issued challenge; see passkeystore.Challenge.
	Challenge = passkeystore.Challenge
	// ChallengeStore keeps issued challenges; see
	// passkeystore.ChallengeStore.
	ChallengeStore = passkeystore.ChallengeStore
	// Ceremony names a WebAuthn ceremony.
	Ceremony = passkeystore.Ceremony
	// MemoryStore is a Store in process memory; see
	// passkeystore.MemoryStore.
	MemoryStore = passkeystore.MemoryStore
	// MemoryChallenges is a ChallengeStore in process memory; see
	// passkeystore.MemoryChallenges.
	MemoryChallenges = passkeystore.MemoryChallenges
)

// The two ceremonies.
const (
	Registration = passkeystore.Registration
	Login        = passkeystore.Login
)

// ChallengeTTL is how long an issued challenge is accepted: five minutes,
// also sent to the browser as the ceremony's timeout.
const ChallengeTTL = passkeystore.ChallengeTTL

// DefaultMaxChallenges is how many outstanding challenges a
// MemoryChallenges holds by default.
const DefaultMaxChallenges = passkeystore.DefaultMaxChallenges

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return passkeystore.NewMemoryStore() }

// NewMemoryChallenges returns an empty MemoryChallenges holding at most max
// challenges (DefaultMaxChallenges when max < 1).
func NewMemoryChallenges(max int) *MemoryChallenges { return passkeystore.NewMemoryChallenges(max) }
