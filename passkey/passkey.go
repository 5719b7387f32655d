package passkey

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/gobware/gobware/core"
)

// DefaultMaxBodyBytes is the default bound of a credential response
// (Options.MaxBodyBytes). A "none" attestation is a few hundred bytes; an
// attestation with a certificate chain a few kilobytes.
const DefaultMaxBodyBytes = 64 << 10

// MaxNameLen is the longest passkey name, in bytes.
const MaxNameLen = 64

// DefaultName is the name a passkey registered without one gets.
const DefaultName = "Passkey"

// StrategyName is the Strategy field of the events this package reports.
const StrategyName = "passkey"

// Options are the optional settings of New. The zero value is the secure
// default.
type Options struct {
	// RPName is the relying party's name that authenticators show. Default
	// (""): the RP ID.
	RPName string

	// Challenges keeps issued challenges. Default (nil): a
	// NewMemoryChallenges(0), which suits a single server; several servers
	// behind one name need a shared store such as storage/gorm's or
	// storage/redis's ChallengeStore.
	Challenges ChallengeStore

	// MaxBodyBytes bounds a credential response given to FinishRegistration
	// or FinishLogin; a longer one is refused with ErrMalformed. Default
	// (0): DefaultMaxBodyBytes. Negative is refused by New.
	MaxBodyBytes int

	// MaxChallengesPerMinute bounds the challenges BeginRegistration and
	// BeginLogin issue to one client address in a minute. Sign-in options
	// are handed to anyone who asks and each challenge is stored for
	// ChallengeTTL, so without a bound one anonymous client could fill the
	// challenge store (a table row per request). A client over it gets an
	// error wrapping ErrTooManyChallenges: HTTP layers answer 429 with
	// Retry-After. The address is the ClientIP of the context's
	// core.RequestInfo (IPv6 counted by /64, as the login limiter counts),
	// which gobware's middleware, its Optional middleware and httpapi's
	// routes put on every request's context (the adapters' RequestInfo
	// middleware, app-wide, covers handlers without authentication); a
	// context without one is not bounded. Each server counts its own.
	// Default (0): DefaultMaxChallengesPerMinute. Negative: no bound.
	MaxChallengesPerMinute int

	// Now is the clock. Default (nil): time.Now. Times are stored in UTC.
	Now func() time.Time

	// Events receives security events: core.EventPasskeyAdded,
	// core.EventPasskeyRemoved, core.EventPasskeyRefused for a refused
	// registration, core.EventLoginFailed for a refused sign-in and
	// core.EventRateLimited (Reason "too_many_challenges") for a client
	// over MaxChallengesPerMinute, each
	// with Strategy "passkey" and, for a refusal, a Reason such as
	// "malformed", "unknown_challenge", "expired_challenge",
	// "unknown_credential", "verification_failed" or "counter_regressed".
	// Ref is a salted hash of the credential ID. Default (nil):
	// core.LogEvents(nil).
	Events core.EventFunc
}

// Service runs the WebAuthn registration and sign-in ceremonies of one
// relying party and manages users' passkeys. It is safe for concurrent
// use.
type Service struct {
	wa         *webauthn.WebAuthn
	rpID       string
	store      Store
	challenges ChallengeStore
	maxBody    int
	perClient  *perClient // nil: no bound
	now        func() time.Time
	events     core.EventFunc
	salt       [16]byte
}

// New returns a Service for the relying party rpID (a registrable domain
// such as "example.com", or "localhost") whose pages are served from
// origins (such as "https://example.com" or "http://localhost:8080").
// Both are required. Each origin must be https, or http on localhost, with
// no path, and its host must be rpID or a subdomain of it: browsers refuse
// any other combination, so New refuses it too, with an error wrapping
// ErrBadOption.
func New(rpID string, origins []string, store Store, opts Options) (*Service, error) {
	if err := checkRP(rpID, origins); err != nil {
		return nil, err
	}
	if store == nil {
		return nil, fmt.Errorf("%w: a credential store is required", ErrBadOption)
	}
	if opts.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("%w: MaxBodyBytes is negative", ErrBadOption)
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:                  rpID,
		RPDisplayName:         cmp.Or(opts.RPName, rpID),
		RPOrigins:             origins,
		AttestationPreference: protocol.PreferNoAttestation,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOption, err)
	}
	s := &Service{
		wa:         wa,
		rpID:       rpID,
		store:      store,
		challenges: opts.Challenges,
		maxBody:    cmp.Or(opts.MaxBodyBytes, DefaultMaxBodyBytes),
		now:        opts.Now,
		events:     opts.Events,
	}
	if s.challenges == nil {
		s.challenges = NewMemoryChallenges(0)
	}
	if opts.MaxChallengesPerMinute >= 0 {
		s.perClient = &perClient{max: cmp.Or(opts.MaxChallengesPerMinute, DefaultMaxChallengesPerMinute)}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.events == nil {
		s.events = core.LogEvents(nil)
	}
	if _, err := rand.Read(s.salt[:]); err != nil {
		return nil, err
	}
	return s, nil
}

// checkRP checks the relying-party ID and the origins against each other,
// as a browser will.
func checkRP(rpID string, origins []string) error {
	if rpID == "" {
		return fmt.Errorf("%w: the relying-party ID is required (the site's domain, e.g. example.com or localhost)", ErrBadOption)
	}
	if rpID != strings.ToLower(rpID) || strings.ContainsAny(rpID, ":/ ") {
		return fmt.Errorf("%w: relying-party ID %q must be a lower-case domain without scheme or port", ErrBadOption, rpID)
	}
	if err := protocol.ValidateRPID(rpID); err != nil {
		return fmt.Errorf("%w: relying-party ID %q: %w", ErrBadOption, rpID, err)
	}
	if len(origins) == 0 {
		return fmt.Errorf("%w: at least one allowed origin is required (e.g. https://%s)", ErrBadOption, rpID)
	}
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(o, "/") {
			return fmt.Errorf("%w: origin %q must be scheme://host[:port] with nothing after it", ErrBadOption, o)
		}
		host := u.Hostname()
		switch {
		case u.Scheme == "https":
		case u.Scheme == "http" && (host == "localhost" || strings.HasSuffix(host, ".localhost")):
		default:
			return fmt.Errorf("%w: origin %q must be https (http only on localhost)", ErrBadOption, o)
		}
		if host != rpID && !strings.HasSuffix(host, "."+rpID) {
			return fmt.Errorf("%w: origin %q is not on the relying-party ID %q or a subdomain of it", ErrBadOption, o, rpID)
		}
	}
	return nil
}

// RPID returns the relying-party ID.
func (s *Service) RPID() string { return s.rpID }

// User is the account a passkey is registered for.
type User struct {
	// ID is the application's user ID; required.
	ID string
	// Name is the account name the authenticator shows when the user
	// picks a passkey, such as an e-mail address. Default (""): ID.
	Name string
	// DisplayName is a friendlier name. Default (""): Name.
	DisplayName string
}

// waUser is a User as the webauthn library sees it.
type waUser struct {
	handle []byte
	name   string
	disp   string
	creds  []webauthn.Credential
}

func (u waUser) WebAuthnID() []byte                         { return u.handle }
func (u waUser) WebAuthnName() string                       { return u.name }
func (u waUser) WebAuthnDisplayName() string                { return u.disp }
func (u waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// UserHandle returns the WebAuthn user handle of userID: 32 bytes derived
// from it by SHA-256, so the authenticator never holds the application's
// user ID itself and no table maps handles to users. A sign-in checks the
// handle the authenticator returns against the stored owner of the
// credential.
func UserHandle(userID string) []byte {
	h := sha256.Sum256([]byte("gobware passkey user handle\x00" + userID))
	return h[:]
}

// HashChallenge returns the SHA-256 of a challenge, under which stores keep
// it.
func HashChallenge(challenge []byte) [32]byte { return sha256.Sum256(challenge) }

// EncodeID returns the text form of a credential ID: base64url without
// padding, as WebAuthn's JSON uses.
func EncodeID(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }

// DecodeID parses what EncodeID returns. A malformed ID is ErrNotFound:
// no passkey has it.
func DecodeID(s string) ([]byte, error) {
	id, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(id) == 0 || len(id) > 1023 {
		return nil, fmt.Errorf("%w: malformed ID", ErrNotFound)
	}
	return id, nil
}

// BeginRegistration starts registering a passkey for the signed-in user u
// and returns the options to hand to the browser's
// navigator.credentials.create (the JSON object {"publicKey": {...}};
// PublicKeyCredential.parseCreationOptionsFromJSON reads its publicKey).
// It asks for a discoverable credential with user verification and no
// attestation, and excludes the user's existing passkeys. The challenge is
// stored for ChallengeTTL, bound to the registration ceremony and to u.ID.
// A client over Options.MaxChallengesPerMinute gets a *LimitedError.
func (s *Service) BeginRegistration(ctx context.Context, u User) (json.RawMessage, error) {
	if !validUserID(u.ID) {
		return nil, ErrBadUserID
	}
	existing, err := s.store.List(ctx, u.ID)
	if err != nil {
		return nil, storeError("list", err)
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range existing {
		exclude = append(exclude, protocol.CredentialDescriptor{Type: protocol.PublicKeyCredentialType, CredentialID: c.ID})
	}
	name := cmp.Or(u.Name, u.ID)
	yes := true
	creation, session, err := s.wa.BeginRegistration(
		waUser{handle: UserHandle(u.ID), name: name, disp: cmp.Or(u.DisplayName, name)},
		webauthn.WithExclusions(exclude),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: &yes,
			UserVerification:   protocol.VerificationRequired,
		}),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation),
	)
	if err != nil {
		return nil, fmt.Errorf("passkey: begin registration: %w", err)
	}
	creation.Response.Timeout = int(ChallengeTTL / time.Millisecond)
	if err := s.issue(ctx, session.Challenge, Registration, u.ID); err != nil {
		return nil, err
	}
	return json.Marshal(creation)
}

// FinishRegistration verifies the browser's answer to BeginRegistration
// (the JSON of the PublicKeyCredential, as its toJSON method gives it) for
// the signed-in user userID and stores the passkey under name (DefaultName
// when ""). The challenge is used up whatever the outcome.
//
// A refusal wraps ErrMalformed, ErrChallenge, ErrVerification or ErrExists
// (all core.ErrInvalidCredential), stores nothing and reports
// core.EventPasskeyRefused. A bad name is ErrBadName, checked first.
func (s *Service) FinishRegistration(ctx context.Context, userID, name string, body []byte) (Credential, error) {
	if !validUserID(userID) {
		return Credential{}, ErrBadUserID
	}
	name = cmp.Or(name, DefaultName)
	if !validName(name) {
		return Credential{}, ErrBadName
	}
	refuse := func(reason string, id []byte, err error) (Credential, error) {
		s.emit(ctx, core.EventPasskeyRefused, userID, id, reason)
		return Credential{}, err
	}
	if len(body) > s.maxBody {
		return refuse("too_large", nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMalformed, len(body), s.maxBody))
	}
	if err := checkStrict(body); err != nil {
		return refuse("malformed", nil, err)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(body)
	if err != nil {
		return refuse("malformed", nil, fmt.Errorf("%w: %s", ErrMalformed, describe(err)))
	}
	challenge := parsed.Response.CollectedClientData.Challenge
	if reason, err := s.take(ctx, challenge, Registration, userID); err != nil {
		if reason == "" {
			return Credential{}, err // the store failed
		}
		return refuse(reason, parsed.RawID, err)
	}
	session := webauthn.SessionData{
		Challenge:        challenge,
		RelyingPartyID:   s.rpID,
		UserID:           UserHandle(userID),
		UserVerification: protocol.VerificationRequired,
		CredParams:       webauthn.CredentialParametersDefault(),
	}
	wc, err := s.wa.CreateCredential(waUser{handle: UserHandle(userID)}, session, parsed)
	if err != nil {
		return refuse("verification_failed", parsed.RawID, fmt.Errorf("%w: %s", ErrVerification, describe(err)))
	}
	if len(wc.ID) > 1023 {
		return refuse("malformed", wc.ID, fmt.Errorf("%w: credential ID longer than 1023 bytes", ErrMalformed))
	}
	c := Credential{
		ID:                wc.ID,
		UserID:            userID,
		Name:              name,
		PublicKey:         wc.PublicKey,
		SignCount:         wc.Authenticator.SignCount,
		AAGUID:            wc.Authenticator.AAGUID,
		AttestationFormat: wc.AttestationFormat,
		BackupEligible:    wc.Flags.BackupEligible,
		BackupState:       wc.Flags.BackupState,
		CreatedAt:         s.now().UTC().Truncate(time.Microsecond),
	}
	for _, t := range wc.Transport {
		c.Transports = append(c.Transports, string(t))
	}
	if err := s.store.Create(ctx, c); err != nil {
		if errors.Is(err, ErrExists) {
			return refuse("exists", c.ID, fmt.Errorf("%w", ErrExists))
		}
		return Credential{}, storeError("create", err)
	}
	s.emit(ctx, core.EventPasskeyAdded, userID, c.ID, "")
	return c, nil
}

// BeginLogin starts a usernameless sign-in and returns the options to hand
// to navigator.credentials.get (the JSON object {"publicKey": {...}}):
// no allow list, so the authenticator offers the user's discoverable
// passkeys, and user verification required. The challenge is stored for
// ChallengeTTL, bound to the sign-in ceremony. A client over
// Options.MaxChallengesPerMinute gets a *LimitedError.
func (s *Service) BeginLogin(ctx context.Context) (json.RawMessage, error) {
	assertion, session, err := s.wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, fmt.Errorf("passkey: begin login: %w", err)
	}
	assertion.Response.Timeout = int(ChallengeTTL / time.Millisecond)
	if err := s.issue(ctx, session.Challenge, Login, ""); err != nil {
		return nil, err
	}
	return json.Marshal(assertion)
}

// FinishLogin verifies the browser's answer to BeginLogin (the JSON of the
// PublicKeyCredential) and returns the passkey that signed, whose UserID
// is the user to sign in: hand it to cookie.Strategy.Login (or issue a
// token pair) as after a password check. It records the new signature
// counter and the time of use. The challenge is used up whatever the
// outcome.
//
// A refusal wraps ErrMalformed, ErrChallenge, ErrUnknownCredential,
// ErrVerification or ErrCounter (all core.ErrInvalidCredential), changes
// nothing stored and reports core.EventLoginFailed.
func (s *Service) FinishLogin(ctx context.Context, body []byte) (Credential, error) {
	refuse := func(reason, userID string, id []byte, err error) (Credential, error) {
		s.emit(ctx, core.EventLoginFailed, userID, id, reason)
		return Credential{}, err
	}
	if len(body) > s.maxBody {
		return refuse("too_large", "", nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMalformed, len(body), s.maxBody))
	}
	if err := checkStrict(body); err != nil {
		return refuse("malformed", "", nil, err)
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(body)
	if err != nil {
		return refuse("malformed", "", nil, fmt.Errorf("%w: %s", ErrMalformed, describe(err)))
	}
	challenge := parsed.Response.CollectedClientData.Challenge
	if reason, err := s.take(ctx, challenge, Login, ""); err != nil {
		if reason == "" {
			return Credential{}, err
		}
		return refuse(reason, "", parsed.RawID, err)
	}
	stored, err := s.store.Find(ctx, parsed.RawID)
	if errors.Is(err, ErrNotFound) {
		return refuse("unknown_credential", "", parsed.RawID, ErrUnknownCredential)
	}
	if err != nil {
		return Credential{}, storeError("find", err)
	}
	handle := UserHandle(stored.UserID)
	if !bytes.Equal(parsed.Response.UserHandle, handle) {
		return refuse("user_handle_mismatch", stored.UserID, stored.ID, fmt.Errorf("%w: the user handle is not the owner's", ErrUnknownCredential))
	}
	user := waUser{handle: handle, name: stored.UserID, disp: stored.UserID, creds: []webauthn.Credential{toLibrary(stored)}}
	session := webauthn.SessionData{
		Challenge:        challenge,
		RelyingPartyID:   s.rpID,
		UserVerification: protocol.VerificationRequired,
	}
	_, wc, err := s.wa.ValidatePasskeyLogin(func(_, _ []byte) (webauthn.User, error) { return user, nil }, session, parsed)
	if err != nil {
		return refuse("verification_failed", stored.UserID, stored.ID, fmt.Errorf("%w: %s", ErrVerification, describe(err)))
	}
	if wc.Authenticator.CloneWarning {
		return refuse("counter_regressed", stored.UserID, stored.ID,
			fmt.Errorf("%w: got %d, stored %d", ErrCounter, parsed.Response.AuthenticatorData.Counter, stored.SignCount))
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	if err := s.store.Used(ctx, stored.ID, wc.Authenticator.SignCount, wc.Flags.BackupState, now); err != nil {
		if errors.Is(err, ErrNotFound) { // deleted meanwhile
			return refuse("unknown_credential", stored.UserID, stored.ID, ErrUnknownCredential)
		}
		return Credential{}, storeError("used", err)
	}
	stored.SignCount, stored.BackupState, stored.LastUsedAt = wc.Authenticator.SignCount, wc.Flags.BackupState, now
	return stored, nil
}

// List returns the user's passkeys, oldest first.
func (s *Service) List(ctx context.Context, userID string) ([]Credential, error) {
	cs, err := s.store.List(ctx, userID)
	if err != nil {
		return nil, storeError("list", err)
	}
	return cs, nil
}

// Rename renames the user's passkey id. It returns ErrNotFound when the
// user has no such passkey, ErrBadName for a bad name.
func (s *Service) Rename(ctx context.Context, userID string, id []byte, name string) error {
	if !validName(name) || name == "" {
		return ErrBadName
	}
	err := s.store.Rename(ctx, userID, id, name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return storeError("rename", err)
	}
	return err
}

// Delete removes the user's passkey id: it no longer signs anyone in. It
// returns ErrNotFound when the user has no such passkey (another user's
// included) and reports core.EventPasskeyRemoved otherwise.
func (s *Service) Delete(ctx context.Context, userID string, id []byte) error {
	err := s.store.Delete(ctx, userID, id)
	if errors.Is(err, ErrNotFound) {
		return err
	}
	if err != nil {
		return storeError("delete", err)
	}
	s.emit(ctx, core.EventPasskeyRemoved, userID, id, "")
	return nil
}

// issue stores a new challenge (base64url, as the library gives it),
// unless the request's client has had Options.MaxChallengesPerMinute this
// minute.
func (s *Service) issue(ctx context.Context, challenge string, c Ceremony, userID string) error {
	now := s.now()
	if s.perClient != nil {
		if wait, ok := s.perClient.take(ctx, now); !ok {
			s.emit(ctx, core.EventRateLimited, userID, nil, "too_many_challenges")
			return &LimitedError{Wait: wait}
		}
	}
	raw, err := base64.RawURLEncoding.DecodeString(challenge)
	if err != nil {
		return fmt.Errorf("passkey: challenge: %w", err)
	}
	err = s.challenges.Put(ctx, Challenge{
		Hash:      HashChallenge(raw),
		Ceremony:  c,
		UserID:    userID,
		ExpiresAt: now.UTC().Add(ChallengeTTL).Truncate(time.Microsecond),
	})
	if err != nil {
		return storeError("put challenge", err)
	}
	return nil
}

// take uses up the challenge a response names and checks that it was
// issued for this ceremony (and user) and is still live. A refusal returns
// the event's reason; a store failure returns reason "".
func (s *Service) take(ctx context.Context, challenge string, want Ceremony, userID string) (reason string, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(challenge)
	if err != nil || len(raw) == 0 {
		return "unknown_challenge", fmt.Errorf("%w: not base64url", ErrChallenge)
	}
	c, err := s.challenges.Take(ctx, HashChallenge(raw))
	switch {
	case errors.Is(err, ErrNotFound):
		return "unknown_challenge", ErrChallenge
	case err != nil:
		return "", storeError("take challenge", err)
	case c.Ceremony != want:
		return "wrong_ceremony", fmt.Errorf("%w: issued for %s", ErrChallenge, c.Ceremony)
	case c.UserID != userID:
		return "wrong_user", fmt.Errorf("%w: issued to another user", ErrChallenge)
	case !s.now().Before(c.ExpiresAt):
		return "expired_challenge", fmt.Errorf("%w: expired", ErrChallenge)
	}
	return "", nil
}

func (s *Service) emit(ctx context.Context, t core.EventType, userID string, id []byte, reason string) {
	e := core.Event{Type: t, Strategy: StrategyName, UserID: userID, Reason: reason}
	if id != nil {
		h := sha256.New()
		h.Write(s.salt[:])
		h.Write(id)
		e.Ref = hex.EncodeToString(h.Sum(nil)[:8])
	}
	s.events(ctx, e)
}

// toLibrary gives a stored passkey in the library's form. The flags a
// passkey was registered with hold: user verification is required at
// every ceremony.
func toLibrary(c Credential) webauthn.Credential {
	wc := webauthn.Credential{
		ID:                c.ID,
		PublicKey:         c.PublicKey,
		AttestationFormat: c.AttestationFormat,
		Flags: webauthn.CredentialFlags{
			UserPresent:    true,
			UserVerified:   true,
			BackupEligible: c.BackupEligible,
			BackupState:    c.BackupState,
		},
		Authenticator: webauthn.Authenticator{AAGUID: c.AAGUID, SignCount: c.SignCount},
	}
	for _, t := range c.Transports {
		wc.Transport = append(wc.Transport, protocol.AuthenticatorTransport(t))
	}
	return wc
}

// describe gives the library's error with its developer detail, which says
// which check failed.
func describe(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) && pe.DevInfo != "" {
		return pe.Details + ": " + pe.DevInfo
	}
	return err.Error()
}

func validUserID(id string) bool {
	return id != "" && len(id) <= 255 && utf8.ValidString(id) && !strings.ContainsRune(id, 0)
}

func validName(name string) bool {
	if len(name) > MaxNameLen || !utf8.ValidString(name) {
		return false
	}
	return !strings.ContainsFunc(name, unicode.IsControl)
}
