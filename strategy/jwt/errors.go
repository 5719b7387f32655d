package jwt

import (
	"fmt"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// Every refusal of a credential by this package is (or wraps) one of the
// sentinels below that wrap [core.ErrInvalidCredential]: a caller tells the
// HTTP layer "401" with errors.Is(err, core.ErrInvalidCredential) and logs
// the precise cause with errors.Is(err, jwt.ErrExpired) and friends. The
// class is part of each sentinel, so no return site can forget it.

// ErrTooLarge is returned when a token is longer than Options.MaxTokenSize.
// The length is checked before anything else is done with the token. It
// wraps [core.ErrInvalidCredential].
var ErrTooLarge = errclass.New(core.ErrInvalidCredential, "jwt: token too large")

// ErrMalformed is returned when a credential does not have the expected
// shape: an access token that is not five base64url parts with an empty
// encrypted-key part, a refresh token that is not 76 (or, from earlier
// versions, 43) base64url characters, or an Authorization header that is
// ambiguous or empty. It wraps [core.ErrInvalidCredential].
var ErrMalformed = errclass.New(core.ErrInvalidCredential, "jwt: malformed token")

// ErrHeader is returned when an access token's protected header is not
// gobware's: wrong alg, enc or typ, or any parameter outside alg, enc, typ
// and kid (zip, crit, jku, jwk, x5u, x5c and the rest are all refused). It
// wraps [core.ErrInvalidCredential].
var ErrHeader = errclass.New(core.ErrInvalidCredential, "jwt: unacceptable token header")

// ErrUnknownKey is returned when an access token names a kid that is not in
// the key ring. No other key is tried. It wraps [core.ErrInvalidCredential].
var ErrUnknownKey = errclass.New(core.ErrInvalidCredential, "jwt: unknown key id")

// ErrDecrypt is returned when an access token does not decrypt: it was
// tampered with or encrypted with a key that is not in the ring. It wraps
// [core.ErrInvalidCredential].
var ErrDecrypt = errclass.New(core.ErrInvalidCredential, "jwt: token does not decrypt")

// ErrExpired is returned for an access token past its exp (plus leeway)
// and, by Refresh, for a refresh token whose family has passed its lifetime
// (then the error also wraps [refresh.ErrExpired]). It wraps
// [core.ErrInvalidCredential].
var ErrExpired = errclass.New(core.ErrInvalidCredential, "jwt: token expired")

// ErrNotYetValid is returned for an access token whose nbf or iat is in the
// future by more than the leeway. It wraps [core.ErrInvalidCredential].
var ErrNotYetValid = errclass.New(core.ErrInvalidCredential, "jwt: token not yet valid")

// ErrClaims is returned when a decrypted access token lacks a required claim
// (exp, jti, sub), carries the wrong iss or aud, or has claims that are not
// one strict JSON object: a name twice, a case variant of a claim name,
// invalid UTF-8, a value of the wrong type. It wraps
// [core.ErrInvalidCredential].
var ErrClaims = errclass.New(core.ErrInvalidCredential, "jwt: unacceptable claims")

// ErrRevoked is returned for an access token whose jti is on the revocation
// list or that a watermark ended, and, by Refresh, for a refresh token
// whose family has been revoked (then the error also wraps
// [refresh.ErrRevoked]). It wraps [core.ErrInvalidCredential].
var ErrRevoked = errclass.New(core.ErrInvalidCredential, "jwt: token revoked")

// ErrReused is returned by Refresh when a refresh token that was already
// spent is presented again; Refresh then revokes the whole family, since
// either the client or an attacker holds a stolen copy. It is
// [refresh.ErrReused], which stores return, and wraps
// [core.ErrInvalidCredential].
var ErrReused = refresh.ErrReused

// ErrNotFound is returned by Refresh and Revoke for a refresh token that
// was never issued, was not minted by this key ring, or whose family has
// been cleaned up. It is [refresh.ErrNotFound], which stores return, and
// wraps [core.ErrInvalidCredential].
var ErrNotFound = refresh.ErrNotFound

// ErrNoRevocationList is returned by RevokeAccess when Options.Revocations
// is nil. It wraps [core.ErrInvalidArgument].
var ErrNoRevocationList = errclass.New(core.ErrInvalidArgument, "jwt: no revocation list configured")

// ErrEmptyUserID is returned by Issue (and the other minting methods) when
// asked to issue a token for the user "". It wraps
// [core.ErrInvalidArgument].
var ErrEmptyUserID = errclass.New(core.ErrInvalidArgument, "jwt: user ID must not be empty")

// ErrBadOption is wrapped by every error New returns: a missing store, an
// unusable key ring, an option out of its range. It wraps
// [core.ErrInvalidArgument].
var ErrBadOption = errclass.New(core.ErrInvalidArgument, "jwt: invalid option")

// Rejections of the verification path with their detail, made once so
// that refusing a forged token costs no allocation.
var (
	errNoExpiry     = fmt.Errorf("%w: exp missing", ErrClaims)
	errNoSubject    = fmt.Errorf("%w: sub missing", ErrClaims)
	errNoID         = fmt.Errorf("%w: jti missing", ErrClaims)
	errIssuer       = fmt.Errorf("%w: wrong iss", ErrClaims)
	errAudience     = fmt.Errorf("%w: wrong aud", ErrClaims)
	errClaimsSyntax = fmt.Errorf("%w: claims are not a JSON object of the documented types", ErrClaims)

	// A refresh family the store reports revoked or expired: the
	// strategy's sentinel and the store's.
	errFamilyRevoked = fmt.Errorf("%w: %w", ErrRevoked, refresh.ErrRevoked)
	errFamilyExpired = fmt.Errorf("%w: %w", ErrExpired, refresh.ErrExpired)
)

// badOption returns an error of New wrapping ErrBadOption.
func badOption(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadOption}, args...)...)
}
