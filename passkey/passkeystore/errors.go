package passkeystore

import (
	"errors"
	"fmt"

	"github.com/gobware/gobware/core"
)

// ErrNotFound is returned by a Store when there is no credential with
// that ID for that user (another user's credential is not found either),
// and by a ChallengeStore for a challenge it does not hold. It is "not
// found", not a refusal of a credential.
var ErrNotFound = errors.New("passkey: no such passkey")

// ErrExists is returned by Store.Create when the credential ID is already
// stored, for any user. It wraps core.ErrInvalidCredential: a second
// registration of one authenticator key is refused.
var ErrExists = fmt.Errorf("passkey: credential already registered: %w", core.ErrInvalidCredential)
