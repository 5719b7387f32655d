package passkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
)

// Authenticator is a software WebAuthn authenticator and the browser in
// front of it: Create and Get take the options a passkey.Service issued
// and return what a browser's PublicKeyCredential.toJSON would send back,
// with real ES256 keys, "none" attestations and real signatures. It keeps
// discoverable credentials, verifies the user (UV) unless told not to, and
// counts signatures. Its exported fields let tests play a misbehaving
// browser or authenticator. It is safe for concurrent use.
type Authenticator struct {
	// Origin is the origin the "browser" puts in the client data.
	Origin string
	// RPID, when set, replaces the options' RP ID in the authenticator
	// data's rpIdHash (a credential of another site).
	RPID string
	// NoUserVerification clears the UV flag (the user was only present).
	NoUserVerification bool
	// BackupEligible sets the BE and BS flags (a synced passkey).
	BackupEligible bool

	mu    sync.Mutex
	creds []*credential
}

type credential struct {
	id      []byte
	key     *ecdsa.PrivateKey
	rpID    string
	user    []byte
	counter uint32
}

// ErrExcluded is returned by Create when the authenticator already holds
// one of the excluded credentials, as a browser's InvalidStateError.
var ErrExcluded = errors.New("passkeytest: the authenticator already holds an excluded credential")

// ErrNoCredential is returned by Get when the authenticator holds no
// credential for the RP ID, as a browser's NotAllowedError.
var ErrNoCredential = errors.New("passkeytest: no credential for this relying party")

// NewAuthenticator returns an empty Authenticator behind a browser at
// origin.
func NewAuthenticator(origin string) *Authenticator {
	return &Authenticator{Origin: origin}
}

type creationOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
		ExcludeCredentials []struct {
			ID string `json:"id"`
		} `json:"excludeCredentials"`
	} `json:"publicKey"`
}

type requestOptions struct {
	PublicKey struct {
		Challenge        string `json:"challenge"`
		RPID             string `json:"rpId"`
		AllowCredentials []struct {
			ID string `json:"id"`
		} `json:"allowCredentials"`
	} `json:"publicKey"`
}

var b64 = base64.RawURLEncoding

// Create answers creation options (the JSON of passkey.Service's
// BeginRegistration) with a new discoverable ES256 credential.
func (a *Authenticator) Create(options []byte) ([]byte, error) {
	var o creationOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("passkeytest: creation options: %w", err)
	}
	user, err := b64.DecodeString(o.PublicKey.User.ID)
	if err != nil {
		return nil, fmt.Errorf("passkeytest: user.id: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, ex := range o.PublicKey.ExcludeCredentials {
		for _, c := range a.creds {
			if c.rpID == o.PublicKey.RP.ID && b64.EncodeToString(c.id) == ex.ID {
				return nil, ErrExcluded
			}
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	c := &credential{id: make([]byte, 32), key: key, rpID: o.PublicKey.RP.ID, user: user}
	if _, err := rand.Read(c.id); err != nil {
		return nil, err
	}
	// A credential for the same user and RP replaces the old one, as a
	// platform authenticator does.
	a.creds = slices.DeleteFunc(a.creds, func(old *credential) bool {
		return old.rpID == c.rpID && string(old.user) == string(c.user)
	})
	a.creds = append(a.creds, c)

	clientData := a.clientData("webauthn.create", o.PublicKey.Challenge)
	authData := a.authData(c, 0x40)   // AT: attested credential data follows
	pub, err := key.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		return nil, err
	}
	cose, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: pub[1:33], -3: pub[33:]})
	if err != nil {
		return nil, err
	}
	authData = append(authData, make([]byte, 16)...) // AAGUID: none
	authData = binary.BigEndian.AppendUint16(authData, uint16(len(c.id)))
	authData = append(authData, c.id...)
	authData = append(authData, cose...)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData})
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id":                      b64.EncodeToString(c.id),
		"rawId":                   b64.EncodeToString(c.id),
		"type":                    "public-key",
		"authenticatorAttachment": "platform",
		"clientExtensionResults":  map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(clientData),
			"attestationObject": b64.EncodeToString(att),
			"transports":        []string{"internal"},
		},
	})
}

// Get answers request options (the JSON of passkey.Service's BeginLogin)
// with an assertion of the newest credential held for the RP ID (of one
// in the allow list, when the options have one).
func (a *Authenticator) Get(options []byte) ([]byte, error) {
	var o requestOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("passkeytest: request options: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var c *credential
	for _, cand := range slices.Backward(a.creds) {
		if cand.rpID != o.PublicKey.RPID {
			continue
		}
		allowed := len(o.PublicKey.AllowCredentials) == 0
		for _, al := range o.PublicKey.AllowCredentials {
			allowed = allowed || al.ID == b64.EncodeToString(cand.id)
		}
		if allowed {
			c = cand
			break
		}
	}
	if c == nil {
		return nil, ErrNoCredential
	}
	return a.assert(c, o.PublicKey.Challenge)
}

func (a *Authenticator) assert(c *credential, challenge string) ([]byte, error) {
	c.counter++
	clientData := a.clientData("webauthn.get", challenge)
	authData := a.authData(c, 0)
	digest := sha256.Sum256(clientData)
	signed := sha256.Sum256(append(slices.Clip(authData), digest[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, c.key, signed[:])
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id":                      b64.EncodeToString(c.id),
		"rawId":                   b64.EncodeToString(c.id),
		"type":                    "public-key",
		"authenticatorAttachment": "platform",
		"clientExtensionResults":  map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(clientData),
			"authenticatorData": b64.EncodeToString(authData),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        b64.EncodeToString(c.user),
		},
	})
}

// SetCounter sets the signature counter of every credential held: the
// next assertion carries n+1.
func (a *Authenticator) SetCounter(n uint32) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.creds {
		c.counter = n
	}
}

// Len returns how many credentials the authenticator holds.
func (a *Authenticator) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.creds)
}

func (a *Authenticator) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b
}

// authData returns rpIdHash, flags (UP, UV unless disabled, BE/BS, plus
// extra) and the counter.
func (a *Authenticator) authData(c *credential, extra byte) []byte {
	rp := c.rpID
	if a.RPID != "" {
		rp = a.RPID
	}
	h := sha256.Sum256([]byte(rp))
	flags := byte(0x01) | extra // UP
	if !a.NoUserVerification {
		flags |= 0x04
	}
	if a.BackupEligible {
		flags |= 0x08 | 0x10
	}
	out := append(h[:], flags)
	return binary.BigEndian.AppendUint32(out, c.counter)
}
