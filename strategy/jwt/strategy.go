package jwt

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/clock"
)

// Name is the Identity.Strategy of users authenticated by this package.
const Name = "jwt"

// Strategy authenticates requests by their encrypted bearer token, and issues,
// rotates and revokes tokens. It is safe for concurrent use.
type Strategy struct {
	ring            keyRing
	encrypter       jose.Encrypter
	store           RefreshStore
	issuer          string
	audience        string
	lifetime        time.Duration
	leeway          time.Duration
	refreshLifetime time.Duration
	maxSize         int
	revocations     RevocationList
	now             func() time.Time
	events          core.EventFunc
	refKey          []byte          // keys the event Ref of refresh families
	cache           *tokenCache     // nil unless Options.CacheSize is set
	refreshKeys     []refreshKey    // one per ring key; the first mints
	watermarks      *watermarkCache // nil unless Options.Watermarks is set
	grace           time.Duration   // Options.ReuseGrace
	refreshAttrs    func(ctx context.Context, userID string, current core.Attributes) (core.Attributes, error)
}

// New returns a Strategy. keys is the key ring (see core.ParseKeyRing): each
// key exactly 32 bytes; the first encrypts new tokens, every one decrypts.
// store keeps refresh tokens and must not be nil. New refuses invalid
// options instead of correcting them: every error it returns wraps
// ErrBadOption.
func New(keys [][]byte, store RefreshStore, opts Options) (*Strategy, error) {
	if store == nil {
		return nil, badOption("a RefreshStore is required (NewMemoryStore for tests)")
	}
	ring, err := newKeyRing(keys, opts.KeyIDs)
	if err != nil {
		return nil, err
	}
	if err := core.ClaimKeys(Name, keys); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOption, err)
	}
	s := &Strategy{
		ring:            ring,
		store:           store,
		issuer:          cmp.Or(opts.Issuer, DefaultIssuer),
		audience:        cmp.Or(opts.Audience, DefaultAudience),
		lifetime:        cmp.Or(opts.Lifetime, DefaultLifetime),
		leeway:          cmp.Or(opts.Leeway, DefaultLeeway),
		refreshLifetime: cmp.Or(opts.RefreshLifetime, DefaultRefreshLifetime),
		maxSize:         cmp.Or(opts.MaxTokenSize, DefaultMaxTokenSize),
		revocations:     opts.Revocations,
		refreshAttrs:    opts.RefreshAttributes,
		now:             opts.Now,
		events:          opts.Events,
	}
	if s.now == nil {
		s.now = clock.Now
	}
	if s.events == nil {
		s.events = core.LogEvents(nil)
	}
	switch {
	case opts.Lifetime < 0, opts.RefreshLifetime < 0, opts.MaxTokenSize < 0, opts.CacheSize < 0:
		return nil, badOption("Lifetime, RefreshLifetime, MaxTokenSize and CacheSize must not be negative")
	case opts.Leeway < 0 || opts.Leeway > MaxLeeway:
		return nil, badOption("Leeway must be between 0 and %v", MaxLeeway)
	case opts.WatermarkTTL < 0 || opts.WatermarkTTL > MaxWatermarkTTL:
		return nil, badOption("WatermarkTTL must be between 0 and %v", MaxWatermarkTTL)
	case opts.ReuseGrace < 0 || opts.ReuseGrace > MaxReuseGrace:
		return nil, badOption("ReuseGrace must be between 0 and %v", MaxReuseGrace)
	}
	if opts.Watermarks != nil {
		s.watermarks = newWatermarkCache(opts.Watermarks, cmp.Or(opts.WatermarkTTL, DefaultWatermarkTTL))
	}
	s.grace = opts.ReuseGrace
	for _, k := range keys {
		s.refreshKeys = append(s.refreshKeys, newRefreshKey(k))
	}
	if opts.CacheSize > 0 {
		s.cache = newTokenCache(opts.CacheSize)
	}
	key, kid := ring.primary()
	if s.encrypter, err = newEncrypter(key, kid); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOption, err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("gobware jwt event ref"))
	s.refKey = mac.Sum(nil)
	return s, nil
}

// Authenticate implements core.Strategy. It reads the bearer token of the
// Authorization header and verifies it (see VerifyContext), consulting the
// revocation list with the request's context.
//
// A request without an Authorization header, or with one of another scheme
// (Basic, say), is core.ErrNoCredential. A bearer token that fails any check
// is core.ErrInvalidCredential, and is reported to Options.Events as
// core.EventInvalidToken with the cause as Reason.
func (s *Strategy) Authenticate(r core.Request) (core.Identity, error) {
	token, err := BearerToken(r)
	if err == nil {
		var c Claims
		if c, err = s.verify(r.Context(), token); err == nil {
			return core.Identity{
				UserID:     c.Subject,
				Strategy:   Name,
				Method:     c.Method,
				AuthTime:   c.AuthTime,
				Expires:    c.Expiry,
				Attributes: c.Attributes,
			}, nil
		}
	}
	if errors.Is(err, core.ErrInvalidCredential) {
		s.events(r.Context(), core.Event{Type: core.EventInvalidToken, Strategy: Name, Reason: reason(err)})
	}
	return core.Identity{}, err
}

// Challenge implements core.Challenger: 401 responses carry
// WWW-Authenticate: Bearer.
func (s *Strategy) Challenge() string { return "Bearer" }

// BearerToken returns the token of r's Authorization header when its scheme
// is Bearer (in any case). It returns core.ErrNoCredential when no
// Authorization header uses that scheme, and an error wrapping
// core.ErrInvalidCredential and ErrMalformed when the bearer token is empty
// or the request has several Authorization headers, which is ambiguous.
func BearerToken(r core.Request) (string, error) {
	first, n := core.HeaderValue(r, "Authorization")
	if n == 1 { // nearly every request: no slice to build
		if !bearer(first) {
			return "", core.ErrNoCredential
		}
		return bearerToken(first)
	}
	values := r.Header("Authorization")
	found := -1
	for i, v := range values {
		if bearer(v) {
			found = i
		}
	}
	switch {
	case found < 0:
		return "", core.ErrNoCredential
	case len(values) > 1:
		return "", fmt.Errorf("%w: several Authorization headers", ErrMalformed)
	}
	return bearerToken(values[found])
}

// bearer reports whether the Authorization value v uses the Bearer scheme
// (in any case).
func bearer(v string) bool {
	v = trimSpace(v)
	return len(v) >= 6 && strings.EqualFold(v[:6], "Bearer") && (len(v) == 6 || v[6] == ' ' || v[6] == '\t')
}

// trimSpace trims spaces and tabs (HTTP's optional whitespace) from both
// ends of v; strings.Trim would build its set on every request.
func trimSpace(v string) string {
	for v != "" && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	for v != "" && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	return v
}

// bearerToken returns the token of v, an Authorization value using the
// Bearer scheme.
func bearerToken(v string) (string, error) {
	token := trimSpace(trimSpace(v)[6:])
	if token == "" {
		return "", fmt.Errorf("%w: empty bearer token", ErrMalformed)
	}
	return token, nil
}

// reasons names each rejection sentinel in events.
var reasons = []struct {
	err  error
	name string
}{
	{ErrTooLarge, "too_large"},
	{ErrMalformed, "malformed"},
	{ErrHeader, "header"},
	{ErrUnknownKey, "unknown_key"},
	{ErrDecrypt, "decrypt"},
	{ErrExpired, "expired"},
	{ErrNotYetValid, "not_yet_valid"},
	{ErrClaims, "claims"},
	{ErrRevoked, "revoked"},
	{ErrReused, "reused"},
	{ErrNotFound, "unknown_token"},
}

func reason(err error) string {
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.name
		}
	}
	return "invalid"
}

// ref is the event Ref of a refresh family: a keyed hash that lets log
// readers correlate events about one family without learning its ID.
func (s *Strategy) ref(family string) string {
	mac := hmac.New(sha256.New, s.refKey)
	mac.Write([]byte(family))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:12])
}

func (s *Strategy) emit(ctx context.Context, e core.Event) {
	e.Strategy = Name
	s.events(ctx, e)
}
