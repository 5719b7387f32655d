package jwt

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// A refresh token is 57 bytes in unpadded base64url (76 characters):
//
//	version  1 byte, 1
//	family   16 bytes: the family's ID (its base64url is Family.ID)
//	gen      8 bytes, big-endian: the token's generation
//	secret   16 bytes: random for generation 0, then derived (see next)
//	tag      16 bytes: HMAC-SHA256 of the 41 bytes above, truncated
//
// The tag is keyed by a key derived from the access-token key ring (the
// primary key mints, every key verifies), so that a token of an earlier
// generation is known to be genuine without the store keeping it: presenting
// it is reuse. Only the current token's SHA-256 is stored; a leaked store
// cannot be replayed, and a forged token costs no store query.
//
// The secret of generation g+1 is derived from the whole token of
// generation g by another keyed HMAC. Presenting the token just spent again
// (within Options.ReuseGrace) therefore yields the very token its first
// presentation did, and no second token needs to be stored.
const (
	refreshVersion   = 1
	familyBytes      = 16
	refreshBodyBytes = 1 + familyBytes + 8 + 16
	refreshBytes     = refreshBodyBytes + 16
	refreshLen       = 76 // base64url of refreshBytes
	legacyRefreshLen = 43 // earlier versions: 32 random bytes
)

// refreshKey holds the two keys derived from one key of the ring.
type refreshKey struct {
	tag  []byte // authenticates tokens
	next []byte // derives the next generation's secret
}

func newRefreshKey(key []byte) refreshKey {
	derive := func(label string) []byte {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(label))
		return mac.Sum(nil)
	}
	return refreshKey{tag: derive("gobware jwt refresh tag"), next: derive("gobware jwt refresh next")}
}

// refreshParts is what a well-formed refresh token names.
type refreshParts struct {
	family [familyBytes]byte
	gen    uint64
}

func (p refreshParts) familyID() string { return base64.RawURLEncoding.EncodeToString(p.family[:]) }

// familyBytesOf decodes a family ID that the Strategy made (or an earlier
// version did: 16 random bytes, base64url). ok is false for anything else.
func familyBytesOf(id string) (b [familyBytes]byte, ok bool) {
	if len(id) != 22 || !canonicalBase64URL(id) {
		return b, false
	}
	n, err := base64.RawURLEncoding.Decode(b[:], []byte(id))
	return b, err == nil && n == familyBytes
}

// mintRefresh returns the token of generation gen of family with secret.
func (s *Strategy) mintRefresh(family [familyBytes]byte, gen uint64, secret []byte) string {
	var b [refreshBytes]byte
	b[0] = refreshVersion
	copy(b[1:], family[:])
	binary.BigEndian.PutUint64(b[1+familyBytes:], gen)
	copy(b[1+familyBytes+8:refreshBodyBytes], secret)
	mac := hmac.New(sha256.New, s.refreshKeys[0].tag)
	mac.Write(b[:refreshBodyBytes])
	copy(b[refreshBodyBytes:], mac.Sum(nil))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// firstRefresh returns generation 0 of family, with a random secret.
func (s *Strategy) firstRefresh(family [familyBytes]byte) (string, error) {
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("jwt: %w", err)
	}
	return s.mintRefresh(family, 0, secret), nil
}

// nextRefresh returns the token that succeeds tok, generation gen, in
// family: always the same for the same tok (while the primary key stays).
func (s *Strategy) nextRefresh(tok string, family [familyBytes]byte, gen uint64) string {
	mac := hmac.New(sha256.New, s.refreshKeys[0].next)
	mac.Write([]byte(tok))
	return s.mintRefresh(family, gen, mac.Sum(nil)[:16])
}

// parseRefresh checks the shape and tag of tok, costing no store query.
// legacy reports a token of the earlier format (43 characters), which names
// no family and is looked up by its hash.
func (s *Strategy) parseRefresh(tok string) (p refreshParts, legacy bool, err error) {
	switch {
	case len(tok) == legacyRefreshLen && canonicalBase64URL(tok):
		return p, true, nil
	case len(tok) != refreshLen || !canonicalBase64URL(tok):
		return p, false, ErrMalformed
	}
	var b [refreshBytes]byte
	if n, err := base64.RawURLEncoding.Decode(b[:], []byte(tok)); err != nil || n != refreshBytes {
		return p, false, ErrMalformed
	}
	if b[0] != refreshVersion {
		return p, false, ErrMalformed
	}
	ok := false
	for _, k := range s.refreshKeys {
		mac := hmac.New(sha256.New, k.tag)
		mac.Write(b[:refreshBodyBytes])
		if hmac.Equal(mac.Sum(nil)[:16], b[refreshBodyBytes:]) {
			ok = true
			break
		}
	}
	if !ok {
		// Not minted by this ring: a forgery, or a key since removed.
		return p, false, ErrNotFound
	}
	copy(p.family[:], b[1:])
	p.gen = binary.BigEndian.Uint64(b[1+familyBytes:])
	return p, false, nil
}
