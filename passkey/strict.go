package passkey

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/gobware/gobware/internal/strictjson"
)

// credentialJSON names the members of the PublicKeyCredential JSON a
// browser sends at the end of either ceremony (WebAuthn Level 3,
// RegistrationResponseJSON and AuthenticationResponseJSON), for the strict
// check only: the WebAuthn library decodes the body itself, with
// encoding/json's rules.
type credentialJSON struct {
	ID                      json.RawMessage `json:"id"`
	RawID                   json.RawMessage `json:"rawId"`
	Type                    json.RawMessage `json:"type"`
	AuthenticatorAttachment json.RawMessage `json:"authenticatorAttachment"`
	ClientExtensionResults  json.RawMessage `json:"clientExtensionResults"`
	Response                struct {
		ClientDataJSON     string          `json:"clientDataJSON"`
		AttestationObject  json.RawMessage `json:"attestationObject"`
		AuthenticatorData  json.RawMessage `json:"authenticatorData"`
		Signature          json.RawMessage `json:"signature"`
		UserHandle         json.RawMessage `json:"userHandle"`
		Transports         json.RawMessage `json:"transports"`
		PublicKey          json.RawMessage `json:"publicKey"`
		PublicKeyAlgorithm json.RawMessage `json:"publicKeyAlgorithm"`
	} `json:"response"`
}

// clientDataJSON names the members of the client data the browser signs
// over (WebAuthn's CollectedClientData).
type clientDataJSON struct {
	Type        json.RawMessage `json:"type"`
	Challenge   json.RawMessage `json:"challenge"`
	Origin      json.RawMessage `json:"origin"`
	CrossOrigin json.RawMessage `json:"crossOrigin"`
	TopOrigin   json.RawMessage `json:"topOrigin"`
}

var clientDataType = reflect.TypeFor[clientDataJSON]()

// checkStrict refuses a credential response that could be read two ways:
// in the body or in its client data, a member named twice, a member whose
// name matches a WebAuthn member only case-insensitively ("Origin",
// "chAllenge"), or invalid UTF-8. encoding/json, which the WebAuthn library
// uses, would take the last duplicate and match names case-insensitively,
// so a proxy or log reading the first or exact name would see another
// request. Members WebAuthn does not name (extensions) pass.
func checkStrict(body []byte) error {
	opts := strictjson.Options{AllowUnknown: true}
	var c credentialJSON
	if err := strictjson.Unmarshal(body, &c, opts); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	// Browsers send base64url without padding; the library also takes
	// padding, and decodes (and refuses) anything else itself.
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.Response.ClientDataJSON, "="))
	if err != nil || len(data) == 0 {
		return nil
	}
	if err := strictjson.Check(data, clientDataType, opts); err != nil {
		return fmt.Errorf("%w: client data: %w", ErrMalformed, err)
	}
	return nil
}
