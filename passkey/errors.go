package passkey

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
	"github.com/gobware/gobware/passkey/passkeystore"
)

// ErrBadOption is returned by New when the relying-party ID or the allowed
// origins are missing or inconsistent (an origin whose host is neither the
// RP ID nor one of its subdomains, an origin with a path), or another
// option is invalid. Every error New returns wraps it. It wraps
// core.ErrInvalidArgument.
var ErrBadOption = errclass.New(core.ErrInvalidArgument, "passkey: invalid option")

// ErrMalformed is returned by FinishRegistration and FinishLogin when the
// body is not a WebAuthn credential response of the expected kind: not
// JSON, a missing or mistyped field, bad base64url, an attestation or
// authenticator data that does not decode, a body over MaxBodyBytes, or a
// body or client data that could be read two ways (a member named twice, a
// WebAuthn member name matched only case-insensitively, invalid UTF-8).
// Nothing is stored and no challenge is consumed, since none can be read.
// It wraps core.ErrInvalidCredential.
var ErrMalformed = errclass.New(core.ErrInvalidCredential, "passkey: malformed credential response")

// ErrChallenge is returned when the response's challenge is not one this
// server issued and still holds: never issued, already used (challenges
// are single use, a failed attempt uses one up too), past its five
// minutes, issued for the other ceremony or, for a registration, to
// another signed-in user. It wraps core.ErrInvalidCredential.
var ErrChallenge = errclass.New(core.ErrInvalidCredential, "passkey: unknown, used or expired challenge")

// ErrUnknownCredential is returned by FinishLogin when the credential the
// authenticator used is not registered (it was deleted, or belongs to
// another site), or its user handle does not match the stored owner. It
// wraps core.ErrInvalidCredential.
var ErrUnknownCredential = errclass.New(core.ErrInvalidCredential, "passkey: unknown credential")

// ErrVerification is returned when the response decodes but fails a check
// of the WebAuthn verification procedure: the origin is not allowed, the
// RP ID hash differs, the user was not verified, the signature or the
// attestation does not verify, the algorithm was not offered. It wraps
// core.ErrInvalidCredential.
var ErrVerification = errclass.New(core.ErrInvalidCredential, "passkey: credential response failed verification")

// ErrCounter is returned by FinishLogin when the authenticator's signature
// counter did not move past the stored one (the library's clone warning):
// the credential may have been copied. The sign-in is refused and the
// stored counter is left as it was. Authenticators that always report 0
// (most synced passkeys) never trigger it. It wraps
// core.ErrInvalidCredential.
var ErrCounter = errclass.New(core.ErrInvalidCredential, "passkey: signature counter did not increase (possible cloned authenticator)")

// ErrBadName is returned by Rename and FinishRegistration for a name that
// is longer than MaxNameLen bytes, not valid UTF-8 or holds control
// characters. It is a client error: HTTP layers answer 422 (its
// HTTPStatus method says so).
var ErrBadName = errclass.Client(http.StatusUnprocessableEntity, "passkey: name must be at most 64 bytes of UTF-8 without control characters")

// ErrBadUserID is returned for a user ID that is empty, longer than 255
// bytes, not valid UTF-8 or contains a NUL byte (the limits of
// cookie.Strategy.Login). It wraps core.ErrInvalidArgument: the
// application passed it.
var ErrBadUserID = errclass.New(core.ErrInvalidArgument, "passkey: user ID must be 1 to 255 bytes of UTF-8 without NUL")

// ErrNotFound is returned by a Store, and by Rename and Delete, when the
// user has no passkey with that ID (another user's passkey is not found
// either). It is "not found", not a refusal of a credential: HTTP layers
// answer 404. It is passkeystore.ErrNotFound.
var ErrNotFound = passkeystore.ErrNotFound

// ErrExists is returned by FinishRegistration when the credential ID is
// already registered, to this user or another. It wraps
// core.ErrInvalidCredential. It is passkeystore.ErrExists.
var ErrExists = passkeystore.ErrExists

// ErrStore is wrapped by every error a Store or ChallengeStore returned
// other than its "not found". It never wraps core.ErrInvalidCredential, so
// a failing database is answered with a 5xx, never as a refused passkey;
// it keeps core.ErrUnavailable when the store reported it (a 503). It
// wraps core.ErrBackend (a 500 otherwise).
var ErrStore = errclass.New(core.ErrBackend, "passkey: store failed")

// storeError wraps a store failure in ErrStore, dropping a credential
// class that a store has no business reporting.
func storeError(op string, err error) error {
	if errors.Is(err, core.ErrInvalidCredential) || errors.Is(err, core.ErrNoCredential) {
		return fmt.Errorf("%w: %s: %v", ErrStore, op, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrStore, op, err)
}

// ErrTooManyChallenges is wrapped by the *LimitedError that
// BeginRegistration and BeginLogin return when the request's client
// address has been issued Options.MaxChallengesPerMinute challenges in the
// current minute. It wraps core.ErrRateLimited: HTTP layers answer 429.
var ErrTooManyChallenges = errclass.New(core.ErrRateLimited, "passkey: too many passkey challenges requested from this address")

// LimitedError is the error of a client over Options.MaxChallengesPerMinute.
// Its text is safe to show the client: it names no address.
type LimitedError struct {
	// Wait is how long until the client may ask again; always > 0.
	Wait time.Duration
}

func (e *LimitedError) Error() string {
	return fmt.Sprintf("%v; try again in %v", ErrTooManyChallenges, (e.Wait + time.Second - 1).Truncate(time.Second))
}

// Unwrap returns ErrTooManyChallenges, so errors.Is(err,
// ErrTooManyChallenges) and errors.Is(err, [core.ErrRateLimited]) are true.
func (e *LimitedError) Unwrap() error { return ErrTooManyChallenges }

// RetryAfter returns Wait, which HTTP layers send as Retry-After.
func (e *LimitedError) RetryAfter() time.Duration { return e.Wait }

// HTTPStatus returns 429: the error is the client's, and its text is what
// HTTP layers show it.
func (e *LimitedError) HTTPStatus() int { return http.StatusTooManyRequests }
