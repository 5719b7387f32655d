package jwt

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gobware/gobware/core"
)

// The only algorithms go-jose is allowed to accept.
var (
	keyAlgorithms      = []jose.KeyAlgorithm{jose.DIRECT}
	contentEncryptions = []jose.ContentEncryption{jose.A256GCM}
)

// Part lengths fixed by A256GCM: a 96-bit IV and a 128-bit tag, in unpadded
// base64url.
const (
	ivLen  = 16
	tagLen = 22
)

// AccessToken mints an access token for userID, valid for Options.Lifetime
// from now, and returns it with its expiry. No store is written. The token
// belongs to no refresh family (it has no sid claim); log out everywhere
// (RevokeUser) still ends it when Options.Watermarks is set. iat has
// one-second precision, so with Watermarks a token AccessToken mints in the
// very second of a RevokeUser of userID is refused too; Issue and Refresh,
// which read the watermark, mint after it.
func (s *Strategy) AccessToken(userID string) (token string, expiresAt time.Time, err error) {
	return s.accessToken(userID, "", time.Time{}, grant{})
}

// grant is what an access token carries of its login.
type grant struct {
	method   string
	authTime time.Time // zero: none
	attrs    core.Attributes
}

// accessToken mints an access token for userID in family sid (none when
// empty), issued no earlier than notBefore (see mintAfter), carrying g.
func (s *Strategy) accessToken(userID, sid string, notBefore time.Time, g grant) (token string, expiresAt time.Time, err error) {
	if userID == "" {
		return "", time.Time{}, ErrEmptyUserID
	}
	now := s.now()
	if now.Before(notBefore) {
		now = notBefore
	}
	exp := now.Add(s.lifetime)
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", time.Time{}, fmt.Errorf("jwt: %w", err)
	}
	nd := newNumericDate(now)
	w := wireClaims{
		Subject:    userID,
		Issuer:     s.issuer,
		Audience:   audience{s.audience},
		Expiry:     newNumericDate(exp),
		NotBefore:  nd,
		IssuedAt:   nd,
		ID:         base64.RawURLEncoding.EncodeToString(jti[:]),
		Session:    sid,
		Method:     g.method,
		Attributes: g.attrs,
	}
	if len(w.Attributes) == 0 {
		w.Attributes = nil
	}
	if !g.authTime.IsZero() {
		w.AuthTime = newNumericDate(g.authTime)
	}
	payload, err := json.Marshal(w)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("jwt: %w", err)
	}
	obj, err := s.encrypter.Encrypt(payload)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("jwt: %w", err)
	}
	token, err = obj.CompactSerialize()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("jwt: %w", err)
	}
	if len(token) > s.maxSize && len(g.attrs) > 0 {
		// The application chose more than the cap allows: its bug (500),
		// not the client's credential.
		return "", time.Time{}, fmt.Errorf("jwt: the access token with these attributes would be %d bytes, over MaxTokenSize (%d): %w", len(token), s.maxSize, core.ErrAttributesTooLarge)
	}
	if len(token) > s.maxSize {
		return "", time.Time{}, fmt.Errorf("jwt: token for this user ID would be %d bytes, over MaxTokenSize: %w", len(token), ErrTooLarge)
	}
	return token, time.Unix(exp.Unix(), 0), nil
}

// Verify decrypts and validates an access token and returns its claims. It
// is the check Authenticate runs, without the request; it consults
// Options.Revocations with a background context (see VerifyContext).
//
// Every refusal wraps core.ErrInvalidCredential and one of ErrTooLarge,
// ErrMalformed, ErrHeader, ErrUnknownKey, ErrDecrypt, ErrClaims, ErrExpired,
// ErrNotYetValid or ErrRevoked. A failing revocation list is reported as
// its own error, not as an invalid token.
func (s *Strategy) Verify(token string) (Claims, error) {
	return s.VerifyContext(context.Background(), token)
}

// VerifyContext is Verify with a context for the revocation list.
//
// The checks run cheapest first, and a token is refused at the first that
// fails: size; exactly five dot-separated parts; canonical unpadded
// base64url in every part, an empty encrypted-key part, IV and tag of the
// lengths A256GCM requires; the protected header (see the package
// documentation) and its kid; then decryption; then the claims; then the
// revocation list.
//
// Decryption has two paths. A token whose header is byte for byte one the
// ring mints (every token gobware issued) is opened directly with
// AES-256-GCM, keyed once per key: its header was written by go-jose and
// checked by comparison, so parsing it again would be repeated work. Any
// other header that passed the checks (a token minted elsewhere following
// the package documentation) is parsed and decrypted by go-jose, allowing
// only dir and A256GCM.
//
// With Options.CacheSize set, a token verified before is answered from the
// cache: exp and nbf are checked against the clock again and the
// revocation list is consulted again, every time.
func (s *Strategy) VerifyContext(ctx context.Context, token string) (Claims, error) {
	c, err := s.verify(ctx, token)
	if err == nil && s.cache != nil {
		c.Audience = append([]string(nil), c.Audience...) // the cache keeps its own
		c.Attributes = c.Attributes.Clone()
	}
	return c, err
}

// verify is VerifyContext; with the cache on, the Claims it returns share
// Audience with the cache and must not be modified.
func (s *Strategy) verify(ctx context.Context, token string) (Claims, error) {
	if len(token) > s.maxSize {
		return Claims{}, ErrTooLarge
	}
	if s.cache != nil {
		if c, ok := s.cache.get(token); ok {
			if err := s.checkTimes(c, s.now()); err != nil {
				return Claims{}, err
			}
			if err := s.checkRevoked(ctx, c); err != nil {
				return Claims{}, err
			}
			if err := s.checkWatermarks(ctx, c); err != nil {
				return Claims{}, err
			}
			return *c, nil
		}
	}
	var dots [4]int
	n := 0
	for i := 0; i < len(token); i++ {
		if token[i] == '.' {
			if n == len(dots) {
				return Claims{}, ErrMalformed
			}
			dots[n] = i
			n++
		}
	}
	if n != len(dots) {
		return Claims{}, ErrMalformed
	}
	header := token[:dots[0]]
	encryptedKey := token[dots[0]+1 : dots[1]]
	iv := token[dots[1]+1 : dots[2]]
	ciphertext := token[dots[2]+1 : dots[3]]
	tag := token[dots[3]+1:]
	if header == "" || encryptedKey != "" || len(iv) != ivLen || ciphertext == "" || len(tag) != tagLen ||
		!canonicalBase64URL(header) || !canonicalBase64URL(iv) || !canonicalBase64URL(ciphertext) || !canonicalBase64URL(tag) {
		return Claims{}, ErrMalformed
	}
	k, minted, err := s.ring.checkHeader(header)
	if err != nil {
		return Claims{}, err
	}
	var payload []byte
	if minted {
		payload, err = s.ring.open(k, header, iv, ciphertext, tag)
	} else {
		payload, err = s.ring.openWithJOSE(k, token)
	}
	if err != nil {
		return Claims{}, err
	}
	c, err := s.checkClaims(payload)
	if err != nil {
		return Claims{}, err
	}
	if err := s.checkRevoked(ctx, &c); err != nil {
		return Claims{}, err
	}
	if err := s.checkWatermarks(ctx, &c); err != nil {
		return Claims{}, err
	}
	if s.cache != nil {
		cached := c
		s.cache.put(token, &cached)
	}
	return c, nil
}

// checkRevoked consults the revocation list, if any, about c.
func (s *Strategy) checkRevoked(ctx context.Context, c *Claims) error {
	if s.revocations == nil {
		return nil
	}
	revoked, err := s.revocations.Revoked(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("jwt: revocation list: %w", err)
	}
	if revoked {
		return ErrRevoked
	}
	return nil
}

// open decrypts the parts of a token whose header the ring minted, with
// key k or, for allKeys, each key in turn. The parts are canonical
// base64url of the right lengths already. The header, ciphertext and tag
// share one buffer, which the plaintext then reuses.
func (r *keyRing) open(k int, header, iv, ciphertext, tag string) ([]byte, error) {
	var nonce [12]byte
	if n, err := base64.RawURLEncoding.Decode(nonce[:], []byte(iv)); err != nil || n != len(nonce) {
		return nil, ErrMalformed
	}
	ctLen := base64.RawURLEncoding.DecodedLen(len(ciphertext))
	buf := make([]byte, len(header)+ctLen+16)
	aad := buf[:copy(buf, header)]
	sealed := buf[len(aad):]
	if n, err := base64.RawURLEncoding.Decode(sealed, []byte(ciphertext)); err != nil || n != ctLen {
		return nil, ErrMalformed
	}
	if n, err := base64.RawURLEncoding.Decode(sealed[ctLen:], []byte(tag)); err != nil || n != 16 {
		return nil, ErrMalformed
	}
	if k != allKeys {
		payload, err := r.keys[k].aead.Open(sealed[:0], nonce[:], sealed, aad)
		if err != nil {
			return nil, ErrDecrypt
		}
		return payload, nil
	}
	for i := range r.keys {
		// A failed Open may have scribbled on its output: open into a
		// copy when another key may follow.
		in := sealed
		if i < len(r.keys)-1 {
			in = append([]byte(nil), sealed...)
		}
		if payload, err := r.keys[i].aead.Open(in[:0], nonce[:], in, aad); err == nil {
			return payload, nil
		}
	}
	return nil, ErrDecrypt
}

// openWithJOSE parses and decrypts token with go-jose, allowing dir and
// A256GCM only, with key k or, for allKeys, each key in turn.
func (r *keyRing) openWithJOSE(k int, token string) ([]byte, error) {
	obj, err := jose.ParseEncryptedCompact(token, keyAlgorithms, contentEncryptions)
	if err != nil {
		return nil, ErrMalformed
	}
	var payload []byte
	if k != allKeys {
		payload, err = obj.Decrypt(r.keys[k].key)
	} else {
		for i := range r.keys {
			if payload, err = obj.Decrypt(r.keys[i].key); err == nil {
				break
			}
		}
	}
	if err != nil {
		return nil, ErrDecrypt
	}
	return payload, nil
}

// b64 maps a byte to its value in the base64url alphabet, or 0xff.
var b64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// canonicalBase64URL reports whether p is unpadded base64url in its one
// canonical form: only alphabet characters, a possible length, and zero
// unused bits in the last character. Without the last rule several strings
// decode to the same bytes, and a token could be rewritten without breaking
// it.
func canonicalBase64URL(p string) bool {
	for i := 0; i < len(p); i++ {
		if b64[p[i]] == 0xff {
			return false
		}
	}
	switch len(p) % 4 {
	case 1:
		return false
	case 2:
		return b64[p[len(p)-1]]&0x0f == 0
	case 3:
		return b64[p[len(p)-1]]&0x03 == 0
	}
	return true
}
