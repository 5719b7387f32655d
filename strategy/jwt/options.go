package jwt

import (
	"context"
	"time"

	"github.com/gobware/gobware/core"
)

// Defaults applied by New to the zero fields of Options.
const (
	DefaultIssuer          = "gobware"
	DefaultAudience        = "gobware"
	DefaultLifetime        = 15 * time.Minute
	DefaultLeeway          = 30 * time.Second
	MaxLeeway              = 60 * time.Second
	DefaultRefreshLifetime = 30 * 24 * time.Hour
	DefaultMaxTokenSize    = 4096
	MaxWatermarkTTL        = 5 * time.Minute
	MaxReuseGrace          = time.Minute
)

// Options configures a Strategy. The zero value is the secure default; each
// field documents its own.
type Options struct {
	// Issuer is written to and required in the iss claim.
	// Default "gobware".
	Issuer string

	// Audience is written to and required in the aud claim (a token whose
	// aud array contains it is accepted). Default "gobware".
	Audience string

	// Lifetime is how long an access token is valid. Default 15 minutes.
	Lifetime time.Duration

	// Leeway is the clock skew tolerated when checking exp, nbf and iat.
	// Default 30 seconds; New refuses more than 60 seconds or a negative
	// value. NumericDate has one-second precision, so values under a
	// second make little sense.
	Leeway time.Duration

	// RefreshLifetime is the lifetime of a refresh-token family, counted
	// from Issue: rotation does not extend it, so a user logs in again at
	// least this often. Default 30 days.
	RefreshLifetime time.Duration

	// MaxTokenSize caps the length in bytes of an access token; longer
	// tokens are refused before any decoding. Default 4096.
	MaxTokenSize int

	// KeyIDs optionally names the keys given to New, in the same order:
	// each 1 to 64 printable ASCII characters without spaces, all distinct.
	// When set, every token carries the kid of the key that encrypted it.
	//
	// When unset and New is given one key, tokens carry no kid. When unset
	// and New is given several keys, each key's kid is derived from the key
	// itself: the first 8 characters of base64url(SHA-256(key)). That
	// reveals nothing usable about the key and keeps the kid stable across
	// processes that share the same ring.
	//
	// A token naming a kid that is not in the ring is refused without
	// trying any key. A token without a kid is tried against every key of
	// the ring (so that tokens minted before the ring grew keep working).
	KeyIDs []string

	// Revocations, when set, is consulted on every verification: an access
	// token whose jti it lists is refused (see RevokeAccess). Default nil:
	// access tokens live until exp, and logout works by revoking the
	// refresh family.
	Revocations RevocationList

	// Watermarks, when set, makes log out everywhere and the revocation
	// of a refresh family reach access tokens: RevokeUser, Revoke,
	// RevokeSession and detected reuse raise a watermark (see
	// WatermarkStore), and Verify refuses every access token of the user,
	// or of the family (its sid claim), issued until then. Default nil:
	// access tokens live until exp, as without it.
	//
	// The store is not read on every request: each server remembers what
	// it read for WatermarkTTL, per user and per family. The server that
	// revoked applies the watermark at once; the others within
	// WatermarkTTL. A store that cannot be reached makes verification fail
	// with core.ErrUnavailable (503), never accept a token.
	Watermarks WatermarkStore

	// WatermarkTTL is how long a server trusts a watermark it read (or
	// its absence), so how long a revocation may take to reach the other
	// servers. Default DefaultWatermarkTTL (10 seconds); at most
	// MaxWatermarkTTL. Each server reads the store at most once per
	// WatermarkTTL per active user and per active family.
	WatermarkTTL time.Duration

	// ReuseGrace is a window after a refresh during which the refresh
	// token just spent, presented again, yields a valid pair (the same
	// new refresh token, a fresh access token) instead of revoking the
	// family. Default 0: strict, every reuse revokes the family, so a
	// client that refreshes twice concurrently (several tabs, a mobile
	// app retrying) is logged out. At most MaxReuseGrace.
	//
	// The trade-off: a thief who replays a stolen refresh token within the
	// window after its owner used it is not detected and gets a working
	// pair too; after the window, reuse revokes the family as before.
	// Only the token spent last is forgiven, and only within the window.
	// Keep it to a few seconds.
	ReuseGrace time.Duration

	// CacheSize, when positive, turns on a cache of verified access
	// tokens holding at most this many, keyed by the whole token: a token
	// seen again skips decryption and claims parsing. Default 0: no cache.
	//
	// Nothing is taken on trust: on every hit, exp and nbf are checked
	// against the clock and Revocations (if set) is consulted, so expiry
	// and RevokeAccess take effect exactly as without the cache, on every
	// server. Only tokens that passed every check are cached, so a forged
	// token can neither enter nor evict.
	//
	// Cost: each entry keeps its token and claims, about 700 bytes for a
	// gobware token (10000 entries: about 7 MB); least recently used
	// tokens go first.
	CacheSize int

	// RefreshAttributes, when set, derives the attributes of the access
	// token minted at each refresh: it gets the user and the attributes
	// the family recorded at login (a copy), and returns the attributes
	// the new token carries (checked against core.MaxAttributesSize). Read
	// the user's roles from your own tables here, and a role removed takes
	// effect at the user's next refresh, within Options.Lifetime. Default
	// nil: every token of a family carries the login's attributes.
	//
	// It runs before the refresh token is spent, at the cost of one more
	// store read per refresh: when it fails, Refresh returns its error
	// (wrap core.ErrInvalidCredential to refuse the refresh with a 401,
	// say for a deleted user; anything else is a 5xx) and the client keeps
	// its refresh token. The family's recorded attributes never change.
	RefreshAttributes func(ctx context.Context, userID string, current core.Attributes) (core.Attributes, error)

	// Now is the clock. Default time.Now, read from the monotonic clock
	// between wall-clock readings a second apart (a step of the system clock
	// is followed within a second).
	Now func() time.Time

	// Events receives security events (invalid tokens, refreshes, reuse
	// of refresh tokens, revocations). It never sees a token. Default
	// core.LogEvents(nil), which logs through log/slog's default logger.
	Events core.EventFunc
}
