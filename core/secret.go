package core

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/gobware/gobware/internal/errclass"
)

// SecretSize is the length in bytes of every gobware secret key.
const SecretSize = 32

// ErrBadSecret is returned by ParseSecret and ParseKeyRing for a value that
// is not base64 or base64url of exactly SecretSize bytes.
// It wraps [ErrInvalidArgument].
var ErrBadSecret = errclass.New(ErrInvalidArgument, "core: secret must be base64 or base64url of exactly 32 bytes")

// ParseSecret decodes a secret given as standard base64 or base64url, with or
// without padding, and checks that it is exactly 32 bytes. Make one with
//
//	openssl rand -base64 32
func ParseSecret(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != SecretSize {
				return nil, fmt.Errorf("%w (got %d bytes)", ErrBadSecret, len(b))
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("%w (not valid base64)", ErrBadSecret)
}

// ParseKeyRing decodes a comma-separated list of secrets (see ParseSecret).
// The first key signs or encrypts; every key verifies or decrypts, which is
// how keys rotate without logging anyone out.
func ParseKeyRing(s string) ([][]byte, error) {
	var keys [][]byte
	for i, part := range strings.Split(s, ",") {
		k, err := ParseSecret(part)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// ErrKeyReuse is returned by ClaimKeys, and so by the constructors of the
// strategies, when one key is given two jobs (say, signing session cookies
// and encrypting access tokens). A key must serve one purpose: otherwise a
// weakness or a leak in one use exposes the other. It wraps
// [ErrInvalidArgument].
var ErrKeyReuse = errclass.New(ErrInvalidArgument, "core: the same key serves two purposes")

var keyUses = struct {
	sync.Mutex
	purpose map[[sha256.Size]byte]string
}{purpose: map[[sha256.Size]byte]string{}}

// ClaimKeys records that keys serve purpose in this process, and refuses
// with an error wrapping [ErrKeyReuse] a key that already serves another
// purpose. The strategies call it from their constructors (cookie.New with
// "cookie", jwt.New with "jwt"), so a process given the same secret for
// SESSION_SECRET and ACCESS_TOKEN_SECRET fails at start. Only a hash of
// each key is kept, never the key.
func ClaimKeys(purpose string, keys [][]byte) error {
	keyUses.Lock()
	defer keyUses.Unlock()
	sums := make([][sha256.Size]byte, len(keys))
	for i, k := range keys {
		sums[i] = sha256.Sum256(append([]byte("gobware key use\x00"), k...))
		if other, ok := keyUses.purpose[sums[i]]; ok && other != purpose {
			return fmt.Errorf("%w: key %d for %s is already used for %s", ErrKeyReuse, i+1, purpose, other)
		}
	}
	for _, sum := range sums {
		keyUses.purpose[sum] = purpose
	}
	return nil
}
