package cookie

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// Layout of a cookie value: <id>.<sig>, both unpadded base64url of 32 bytes.
const (
	idBytes  = 32
	idLen    = 43 // base64.RawURLEncoding.EncodedLen(idBytes)
	sigLen   = 43 // base64.RawURLEncoding.EncodedLen(sha256.Size)
	valueLen = idLen + 1 + sigLen
)

// b64 decodes strictly: a value whose last character carries non-zero
// padding bits is refused, so each ID and signature has exactly one text.
var b64 = base64.RawURLEncoding.Strict()

// newID returns a fresh session ID: 32 bytes from crypto/rand, base64url.
// It carries no user data.
func newID() string {
	var b [idBytes]byte
	rand.Read(b[:]) // never fails; crashes the program if the system has no randomness
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// mac is HMAC-SHA256 over the cookie name and the ID. Covering the name
// means a value cut from one cookie does not verify under another name.
func mac(key []byte, name, id string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(id))
	return m.Sum(nil)
}

// encode returns the cookie value for id, signed with the first key.
func (s *Strategy) encode(id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(mac(s.keys[0], s.name, id))
}

// decode checks a cookie value and returns the session ID it carries. The
// length and alphabet are checked before any decoding, and the signature is
// compared in constant time against every key of the ring. It touches no
// store: a forged value costs a few microseconds and nothing else.
func (s *Strategy) decode(v string) (string, error) {
	if len(v) != valueLen || v[idLen] != '.' {
		return "", ErrMalformed
	}
	for i := 0; i < len(v); i++ {
		if i != idLen && !isBase64URL(v[i]) {
			return "", ErrMalformed
		}
	}
	id := v[:idLen]
	var raw [idBytes]byte
	if n, err := b64.Decode(raw[:], []byte(id)); err != nil || n != idBytes {
		return "", ErrMalformed
	}
	var sig [sha256.Size]byte
	if n, err := b64.Decode(sig[:], []byte(v[idLen+1:])); err != nil || n != sha256.Size {
		return "", ErrMalformed
	}
	for _, k := range s.keys {
		if hmac.Equal(sig[:], mac(k, s.name, id)) {
			return id, nil
		}
	}
	return "", ErrBadSignature
}

func isBase64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}
