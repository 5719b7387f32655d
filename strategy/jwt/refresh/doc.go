// Package refresh is the contract between the token strategy
// ([github.com/gobware/gobware/strategy/jwt]) and the stores that keep its
// refresh tokens: the stored Family, the Store interface, the sentinels a
// Store reports and the rules of rotation (CheckRotation), plus MemoryStore
// for tests and single-process servers.
//
// It imports nothing outside the standard library and
// [github.com/gobware/gobware/core], so a store that implements it
// (storage/gorm, storage/redis) does not compile the JOSE library the
// strategy itself needs: an application that only uses session cookies
// pays for none of it.
//
// A Family is one login's chain of refresh tokens. Only the SHA-256 of its
// current token (Hash) is stored, plus the hash of the token spent last, so
// a leaked store cannot be replayed and a record never grows with
// rotations. The strategy authenticates every token it mints with its key
// ring; a store only answers "is (family, generation, hash) the current
// token, and may it be spent now", atomically (Store.Rotate).
//
// Every sentinel of this package wraps
// [github.com/gobware/gobware/core.ErrInvalidCredential]: the token it
// concerns must be refused, with a 401.
package refresh
