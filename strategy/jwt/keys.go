package jwt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gobware/gobware/core"
)

// TokenType is the typ header of every gobware access token. Tokens with any
// other typ, or none, are refused, so that a JWE made for another purpose
// with the same key is never taken for an access token.
const TokenType = "gobware-at+jwt"

// maxKeyIDLen bounds Options.KeyIDs entries.
const maxKeyIDLen = 64

// ringKey is one key of the ring with the kid that routes tokens to it.
type ringKey struct {
	key []byte
	kid string // never empty: Options.KeyIDs entry, or derived from the key
	// header is the first part (base64url protected header) of the tokens
	// this key mints when it is primary with a kid, as go-jose serialises
	// it. Comparing against it is the fast path of header validation.
	header string
	// aead is AES-256-GCM keyed once with key, for the direct path of
	// VerifyContext. The standard library's GCM is safe for concurrent use.
	aead cipher.AEAD
}

// keyRing holds the keys; the first one encrypts, every one decrypts.
type keyRing struct {
	keys []ringKey
	// mintKid reports whether tokens carry a kid (KeyIDs set, or several keys).
	mintKid bool
	// kidless is the first part of a token minted without a kid.
	kidless string
}

// DeriveKeyID returns the kid gobware gives key when the ring has several
// keys and Options.KeyIDs is unset: the first 8 characters of the unpadded
// base64url encoding of SHA-256(key).
func DeriveKeyID(key []byte) string {
	sum := sha256.Sum256(key)
	return base64.RawURLEncoding.EncodeToString(sum[:6]) // 6 bytes = exactly 8 characters
}

func newKeyRing(keys [][]byte, kids []string) (keyRing, error) {
	var r keyRing
	if len(keys) == 0 {
		return r, badOption("at least one key is required")
	}
	if kids != nil && len(kids) != len(keys) {
		return r, badOption("%d KeyIDs for %d keys", len(kids), len(keys))
	}
	r.mintKid = kids != nil || len(keys) > 1
	seenKid := make(map[string]bool, len(keys))
	for i, k := range keys {
		if len(k) != core.SecretSize {
			return keyRing{}, badOption("key %d: %w (got %d bytes)", i+1, core.ErrBadSecret, len(k))
		}
		for _, prev := range r.keys {
			if bytes.Equal(prev.key, k) {
				return keyRing{}, badOption("key %d appears twice in the ring", i+1)
			}
		}
		kid := DeriveKeyID(k)
		if kids != nil {
			kid = kids[i]
			if err := checkKeyID(kid); err != nil {
				return keyRing{}, badOption("KeyIDs[%d]: %w", i, err)
			}
		}
		if seenKid[kid] {
			return keyRing{}, badOption("kid %q appears twice in the ring", kid)
		}
		seenKid[kid] = true
		rk := ringKey{key: bytes.Clone(k), kid: kid}
		h, err := headerOf(rk.key, kid)
		if err != nil {
			return keyRing{}, badOption("%w", err)
		}
		rk.header = h
		block, err := aes.NewCipher(rk.key)
		if err != nil {
			return keyRing{}, badOption("%w", err)
		}
		if rk.aead, err = cipher.NewGCM(block); err != nil {
			return keyRing{}, badOption("%w", err)
		}
		r.keys = append(r.keys, rk)
	}
	h, err := headerOf(r.keys[0].key, "")
	if err != nil {
		return keyRing{}, badOption("%w", err)
	}
	r.kidless = h
	return r, nil
}

func checkKeyID(kid string) error {
	if kid == "" || len(kid) > maxKeyIDLen {
		return fmt.Errorf("kid must be 1 to %d characters", maxKeyIDLen)
	}
	for i := 0; i < len(kid); i++ {
		if kid[i] < 0x21 || kid[i] > 0x7e {
			return errors.New("kid must be printable ASCII without spaces")
		}
	}
	return nil
}

// newEncrypter returns the go-jose encrypter for key, naming kid when kid is
// not empty. go-jose encrypters are safe for concurrent use.
func newEncrypter(key []byte, kid string) (jose.Encrypter, error) {
	opts := (&jose.EncrypterOptions{}).WithType(TokenType)
	return jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: key, KeyID: kid}, opts)
}

// headerOf returns the protected-header part of tokens minted with key and
// kid, exactly as go-jose writes it.
func headerOf(key []byte, kid string) (string, error) {
	enc, err := newEncrypter(key, kid)
	if err != nil {
		return "", fmt.Errorf("jwt: %w", err)
	}
	obj, err := enc.Encrypt([]byte("{}"))
	if err != nil {
		return "", fmt.Errorf("jwt: %w", err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("jwt: %w", err)
	}
	h, _, _ := strings.Cut(s, ".")
	return h, nil
}

// primary returns the key that encrypts, and the kid its tokens carry ("" for none).
func (r *keyRing) primary() (key []byte, kid string) {
	if r.mintKid {
		return r.keys[0].key, r.keys[0].kid
	}
	return r.keys[0].key, ""
}

// byKid returns the index of the key named kid, or -1.
func (r *keyRing) byKid(kid string) int {
	for i := range r.keys {
		if r.keys[i].kid == kid {
			return i
		}
	}
	return -1
}
