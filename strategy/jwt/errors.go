package jwt

import (
	"errors"
	"fmt"

	"github.com/gobware/gobware/core"
)

// Every rejection of a credential by this package wraps core.ErrInvalidCredential
// and one of the sentinels below, so a caller can tell the HTTP layer "401"
// with errors.Is(err, core.ErrInvalidCredential) and log the precise cause
// with errors.Is(err, jwt.ErrExpired) and friends.

// ErrTooLarge is returned when a token is longer than Options.MaxTokenSize.
// The length is checked before anything else is done with the token.
var ErrTooLarge = errors.New("jwt: token too large")

// ErrMalformed is returned when a credential does not have the expected
// shape: an access token that is not five base64url parts with an empty
// encrypted-key part, a refresh token that is not 43 base64url characters,
// or an Authorization header that is ambiguous or empty.
var ErrMalformed = errors.New("jwt: malformed token")

// ErrHeader is returned when an access token's protected header is not
// gobware's: wrong alg, enc or typ, or any parameter outside alg, enc, typ
// and kid (zip, crit, jku, jwk, x5u, x5c and the rest are all refused).
var ErrHeader = errors.New("jwt: unacceptable token header")

// ErrUnknownKey is returned when an access token names a kid that is not in
// the key ring. No other key is tried.
var ErrUnknownKey = errors.New("jwt: unknown key id")

// ErrDecrypt is returned when an access token does not decrypt: it was
// tampered with or encrypted with a key that is not in the ring.
var ErrDecrypt = errors.New("jwt: token does not decrypt")

// ErrExpired is returned for an access token past its exp (plus leeway) and
// for a refresh token whose family has passed its lifetime.
var ErrExpired = errors.New("jwt: token expired")

// ErrNotYetValid is returned for an access token whose nbf or iat is in the
// future by more than the leeway.
var ErrNotYetValid = errors.New("jwt: token not yet valid")

// ErrClaims is returned when a decrypted access token lacks a required claim
// (exp, jti, sub), carries the wrong iss or aud, or has claims that are not
// one strict JSON object: a name twice, a case variant of a claim name,
// invalid UTF-8, a value of the wrong type.
var ErrClaims = errors.New("jwt: unacceptable claims")

// ErrRevoked is returned for an access token whose jti is on the revocation
// list, and by a RefreshStore (and then Refresh) for a refresh token whose
// family has been revoked.
var ErrRevoked = errors.New("jwt: token revoked")

// ErrReused is returned by a RefreshStore (and then Refresh) when a refresh
// token that was already spent is presented again. Refresh revokes the whole
// family when it sees it: either the client or an attacker holds a stolen copy.
var ErrReused = errors.New("jwt: refresh token reused")

// ErrNotFound is returned by a RefreshStore when no refresh token has the
// given hash: it was never issued or its row has been cleaned up.
var ErrNotFound = errors.New("jwt: refresh token not found")

// ErrNoRevocationList is returned by RevokeAccess when Options.Revocations
// is nil.
var ErrNoRevocationList = errors.New("jwt: no revocation list configured")

// invalid marks err, one of the sentinels above, as an invalid credential.
func invalid(err error) error {
	return fmt.Errorf("%w: %w", core.ErrInvalidCredential, err)
}

// Pre-wrapped rejections of the verification path, so that refusing a forged
// token costs no allocation.
var (
	errTooLarge     = invalid(ErrTooLarge)
	errMalformed    = invalid(ErrMalformed)
	errUnknownKey   = invalid(ErrUnknownKey)
	errDecrypt      = invalid(ErrDecrypt)
	errExpired      = invalid(ErrExpired)
	errNotYetValid  = invalid(ErrNotYetValid)
	errRevoked      = invalid(ErrRevoked)
	errNoExpiry     = fmt.Errorf("%w: %w: exp missing", core.ErrInvalidCredential, ErrClaims)
	errNoSubject    = fmt.Errorf("%w: %w: sub missing", core.ErrInvalidCredential, ErrClaims)
	errNoID         = fmt.Errorf("%w: %w: jti missing", core.ErrInvalidCredential, ErrClaims)
	errIssuer       = fmt.Errorf("%w: %w: wrong iss", core.ErrInvalidCredential, ErrClaims)
	errAudience     = fmt.Errorf("%w: %w: wrong aud", core.ErrInvalidCredential, ErrClaims)
	errClaimsSyntax = fmt.Errorf("%w: %w: claims are not a JSON object of the documented types", core.ErrInvalidCredential, ErrClaims)
)
