package cookie

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"sync"
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

// signer computes the cookie MAC, HMAC-SHA256 over the cookie name, a zero
// byte and the ID, with one key. Covering the name means a value cut from
// one cookie does not verify under another name.
//
// Keyed HMAC states are pooled: Reset restores the keyed state from a saved
// copy instead of hashing the key again, and the bytes hashed are copied
// into the pooled state, so a signature check allocates nothing.
type signer struct {
	key    []byte
	prefix []byte // cookie name and a zero byte
	pool   sync.Pool
}

// macState is one pooled HMAC with room for the ID and the sum.
type macState struct {
	h   hash.Hash
	id  [idLen]byte
	sum [sha256.Size]byte
}

func newSigner(key []byte, name string) *signer {
	sg := &signer{key: key, prefix: append([]byte(name), 0)}
	sg.pool.New = func() any { return &macState{h: hmac.New(sha256.New, sg.key)} }
	return sg
}

// mac returns the MAC of id, which must be idLen bytes long.
func (sg *signer) mac(id string) (sum [sha256.Size]byte) {
	st := sg.pool.Get().(*macState)
	st.h.Reset()
	st.h.Write(sg.prefix)
	copy(st.id[:], id)
	st.h.Write(st.id[:])
	st.h.Sum(st.sum[:0])
	sum = st.sum
	sg.pool.Put(st)
	return sum
}

// verify reports in constant time whether sig is the MAC of id.
func (sg *signer) verify(id string, sig *[sha256.Size]byte) bool {
	sum := sg.mac(id)
	return hmac.Equal(sum[:], sig[:])
}

// encode returns the cookie value for id, signed with the first key.
func (s *Strategy) encode(id string) string {
	sum := s.signers[0].mac(id)
	return id + "." + base64.RawURLEncoding.EncodeToString(sum[:])
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
	// The ID is not decoded: the MAC covers its text, and only IDs this
	// package issued (canonical base64url of 32 bytes) carry a valid one.
	id := v[:idLen]
	var sig [sha256.Size]byte
	if n, err := b64.Decode(sig[:], []byte(v[idLen+1:])); err != nil || n != sha256.Size {
		return "", ErrMalformed
	}
	for _, sg := range s.signers {
		if sg.verify(id, &sig) {
			return id, nil
		}
	}
	return "", ErrBadSignature
}

func isBase64URL(c byte) bool { return base64URL[c] }

// base64URL marks the bytes of the base64url alphabet: a table lookup per
// byte of the cookie value, on every request.
var base64URL = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
		t[c] = true
	}
	return t
}()
