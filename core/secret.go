package core

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// SecretSize is the length in bytes of every gobware secret key.
const SecretSize = 32

// ErrBadSecret is returned by ParseSecret and ParseKeyRing for a value that
// is not base64 or base64url of exactly SecretSize bytes.
var ErrBadSecret = errors.New("core: secret must be base64 or base64url of exactly 32 bytes")

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
