package passkeystore

import (
	"net/http"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// ErrNotFound is returned by a Store when there is no credential with
// that ID for that user (another user's credential is not found either),
// and by a ChallengeStore for a challenge it does not hold. It is "not
// found", not a refusal of a credential: a client error, which HTTP layers
// answer with 404 (its HTTPStatus method says so).
var ErrNotFound = errclass.Client(http.StatusNotFound, "passkeystore: no such passkey")

// ErrExists is returned by Store.Create when the credential ID is already
// stored, for any user. It wraps core.ErrInvalidCredential: a second
// registration of one authenticator key is refused.
var ErrExists = errclass.New(core.ErrInvalidCredential, "passkeystore: credential already registered")
