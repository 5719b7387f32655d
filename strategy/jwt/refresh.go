package jwt

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// Pair is what a client receives on login and on every refresh.
type Pair struct {
	AccessToken  string        // the bearer token
	ExpiresIn    time.Duration // lifetime of AccessToken (Options.Lifetime)
	RefreshToken string        // opaque, single use; exchange it with Refresh
}

// Issue starts a new refresh family for userID (a login) and returns its
// first pair. It is IssueWith without options: no method, no attributes.
func (s *Strategy) Issue(ctx context.Context, userID string) (Pair, error) {
	return s.IssueWith(ctx, userID, IssueOptions{})
}

// IssueOptions are what a login records beyond the user's ID. Its zero
// value records nothing.
type IssueOptions struct {
	// Method names how the user signed in (core.MethodPassword, ...);
	// access tokens carry it in their method claim. Default "": unknown.
	Method string
	// Attributes are carried, inside the encryption, by every access
	// token of the family (attrs claim), unless Options.RefreshAttributes
	// derives others at a refresh. At most core.MaxAttributesSize.
	// Default nil: none.
	Attributes core.Attributes
}

// IssueWith starts a new refresh family for userID (a login) and returns
// its first pair. The family records opts.Method, opts.Attributes and the
// time of the login, and every access token of it carries them (claims
// method, attrs and auth_time), so Authenticate reports them in the
// Identity with no store read; refreshes keep them (see
// Options.RefreshAttributes). Only the SHA-256 of the refresh token is
// stored. The access token names the family in its sid claim.
//
// Options that cannot be recorded are refused before anything is stored,
// with an error wrapping core.ErrBadMethod, core.ErrBadAttribute or
// core.ErrAttributesTooLarge (all core.ErrInvalidArgument: the
// application's bug). An access token that would exceed
// Options.MaxTokenSize is never issued: the error wraps
// core.ErrAttributesTooLarge and the family is revoked.
func (s *Strategy) IssueWith(ctx context.Context, userID string, opts IssueOptions) (Pair, error) {
	if userID == "" {
		return Pair{}, ErrEmptyUserID
	}
	if err := (core.LoginOptions{Method: opts.Method, Attributes: opts.Attributes}).Check(); err != nil {
		return Pair{}, err
	}
	var family [familyBytes]byte
	if _, err := rand.Read(family[:]); err != nil {
		return Pair{}, fmt.Errorf("jwt: %w", err)
	}
	refresh, err := s.firstRefresh(family)
	if err != nil {
		return Pair{}, err
	}
	id := base64.RawURLEncoding.EncodeToString(family[:])
	now := s.now().UTC()
	f := Family{
		ID:         id,
		UserID:     userID,
		Current:    HashToken(refresh),
		CreatedAt:  now,
		ExpiresAt:  now.Add(s.refreshLifetime),
		Method:     opts.Method,
		AuthTime:   now,
		Attributes: opts.Attributes.Clone(),
	}
	if len(f.Attributes) == 0 {
		f.Attributes = nil
	}
	if err := s.store.Create(ctx, f); err != nil {
		return Pair{}, fmt.Errorf("jwt: storing refresh family: %w", err)
	}
	p, err := s.pair(ctx, userID, id, refresh, grantOf(f))
	if errors.Is(err, core.ErrAttributesTooLarge) {
		// No token of the family was handed out: end it.
		if rerr := s.store.RevokeFamily(ctx, id); rerr != nil {
			err = errors.Join(err, fmt.Errorf("jwt: revoking the family of a token too large: %w", rerr))
		}
	}
	if err != nil {
		return Pair{}, err
	}
	s.emit(ctx, core.Event{Type: core.EventLogin, UserID: userID, Ref: s.ref(id)})
	return p, nil
}

// grantOf is what the access tokens of family f carry.
func grantOf(f Family) grant {
	return grant{method: f.Method, authTime: f.AuthTime, attrs: f.Attributes}
}

// derive applies Options.RefreshAttributes, if set, to the family f about
// to be refreshed, and returns what the new access token carries.
func (s *Strategy) derive(ctx context.Context, f Family) (grant, error) {
	g := grantOf(f)
	if s.refreshAttrs == nil {
		return g, nil
	}
	attrs, err := s.refreshAttrs(ctx, f.UserID, f.Attributes.Clone())
	if err != nil {
		return grant{}, fmt.Errorf("jwt: RefreshAttributes: %w", err)
	}
	if err := attrs.Check(); err != nil {
		return grant{}, fmt.Errorf("jwt: RefreshAttributes: %w", err)
	}
	g.attrs = attrs
	return g, nil
}

// Refresh exchanges a refresh token for a new pair. The token presented is
// spent; the new refresh token continues its family, whose expiry does not
// move.
//
// Presenting a spent token again (any earlier token of the family, however
// old) revokes the whole family, so that the newest token, whoever holds it,
// stops working too (RFC 9700 4.14.2); it is reported as
// core.EventRefreshReuse. With the default Options.ReuseGrace of 0 this
// includes two concurrent refreshes of one token: exactly one wins and the
// family is then revoked, which logs out a client that races itself. With
// a grace window, the token spent last presented again within it yields a
// valid pair (the same refresh token its first presentation did) and the
// family lives on.
//
// The new access token carries the method, auth time and attributes the
// family recorded at login, or, with Options.RefreshAttributes, the
// attributes it derives now.
//
// Refusals wrap core.ErrInvalidCredential and one of ErrMalformed,
// ErrNotFound, ErrRevoked, ErrExpired or ErrReused. Store failures are
// returned as the store reported them (core.ErrUnavailable for an outage),
// and so are RefreshAttributes's errors.
func (s *Strategy) Refresh(ctx context.Context, refreshToken string) (Pair, error) {
	p, legacy, err := s.parseRefresh(refreshToken)
	if err != nil {
		return Pair{}, s.refused(ctx, err, Family{})
	}
	old := HashToken(refreshToken)
	var id string
	if legacy {
		f, current, err := s.findLegacy(ctx, old)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return Pair{}, s.refused(ctx, ErrNotFound, Family{})
			}
			return Pair{}, err
		}
		fb, ok := familyBytesOf(f.ID)
		if !ok {
			return Pair{}, fmt.Errorf("jwt: migrated refresh family has an ID this version cannot encode")
		}
		if !current {
			return Pair{}, s.reused(ctx, f)
		}
		p, id = refreshParts{family: fb}, f.ID
	} else {
		id = p.familyID()
	}
	// With RefreshAttributes, the attributes are derived before the token
	// is spent, so that a failing hook (its database down) leaves the
	// client its refresh token to try again. That costs one more read.
	var derived *grant
	if s.refreshAttrs != nil {
		f, err := s.store.Find(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound):
			return Pair{}, s.refused(ctx, err, Family{})
		case err != nil:
			return Pair{}, fmt.Errorf("jwt: finding refresh family: %w", err)
		}
		if err := refresh.CheckRotation(f, p.gen, old, s.now().UTC()); err == nil {
			g, err := s.derive(ctx, f)
			if err != nil {
				return Pair{}, err
			}
			derived = &g
		}
		// Otherwise Rotate refuses, or answers within the grace window,
		// which derives below.
	}
	next := s.nextRefresh(refreshToken, p.family, p.gen+1)
	now := s.now().UTC()
	f, err := s.store.Rotate(ctx, id, p.gen, old, HashToken(next), now)
	switch {
	case err == nil:
	case errors.Is(err, ErrReused):
		if s.grace > 0 && f.Generation == p.gen+1 && f.Previous == old && f.Current == HashToken(next) &&
			now.Before(f.RotatedAt.Add(s.grace)) {
			// The token spent last, again, within the grace window: the
			// same successor, and the family lives on.
			g, err := s.derive(ctx, f)
			if err != nil {
				return Pair{}, err
			}
			s.emit(ctx, core.Event{Type: core.EventRefresh, UserID: f.UserID, Ref: s.ref(f.ID), Reason: "grace"})
			return s.pair(ctx, f.UserID, f.ID, next, g)
		}
		return Pair{}, s.reused(ctx, f)
	case errors.Is(err, refresh.ErrRevoked):
		return Pair{}, s.refused(ctx, errFamilyRevoked, f)
	case errors.Is(err, refresh.ErrExpired):
		return Pair{}, s.refused(ctx, errFamilyExpired, f)
	case errors.Is(err, ErrNotFound):
		return Pair{}, s.refused(ctx, err, f)
	default:
		return Pair{}, fmt.Errorf("jwt: rotating refresh token: %w", err)
	}
	g := grantOf(f)
	if derived != nil {
		g = *derived
	} else if s.refreshAttrs != nil {
		// Rotated although the read before said otherwise (a legacy
		// token, or a race that Rotate settled in our favour).
		if g, err = s.derive(ctx, f); err != nil {
			return Pair{}, err
		}
	}
	s.emit(ctx, core.Event{Type: core.EventRefresh, UserID: f.UserID, Ref: s.ref(f.ID)})
	return s.pair(ctx, f.UserID, f.ID, next, g)
}

// reused revokes f after a spent token of it was presented again.
func (s *Strategy) reused(ctx context.Context, f Family) error {
	if err := s.revokeFamily(ctx, f.ID); err != nil {
		return fmt.Errorf("jwt: revoking a family after reuse: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventRefreshReuse, UserID: f.UserID, Ref: s.ref(f.ID), Reason: "reused"})
	return ErrReused
}

// findLegacy looks up a token of the earlier format.
func (s *Strategy) findLegacy(ctx context.Context, h Hash) (Family, bool, error) {
	ls, ok := s.store.(LegacyStore)
	if !ok {
		return Family{}, false, ErrNotFound
	}
	f, current, err := ls.FindLegacy(ctx, h)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Family{}, false, fmt.Errorf("jwt: finding refresh token: %w", err)
	}
	return f, current, err
}

// refused reports a refused refresh token and returns err.
func (s *Strategy) refused(ctx context.Context, err error, f Family) error {
	e := core.Event{Type: core.EventInvalidToken, UserID: f.UserID, Reason: reason(err)}
	if f.ID != "" {
		e.Ref = s.ref(f.ID)
	}
	s.emit(ctx, e)
	return err
}

// Revoke revokes the family of refreshToken (any token of it, spent or
// not): logout for the token flow. With Options.Watermarks the family's
// access tokens are refused from now on too; without, they stay valid until
// they expire unless RevokeAccess is used. Revoking an already revoked or
// expired family is not an error; an unknown or malformed token is
// (core.ErrInvalidCredential).
func (s *Strategy) Revoke(ctx context.Context, refreshToken string) error {
	p, legacy, err := s.parseRefresh(refreshToken)
	if err != nil {
		return err
	}
	var f Family
	if legacy {
		f, _, err = s.findLegacy(ctx, HashToken(refreshToken))
	} else {
		f, err = s.store.Find(ctx, p.familyID())
	}
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("jwt: finding refresh family: %w", err)
	}
	if err := s.revokeFamily(ctx, f.ID); err != nil {
		return fmt.Errorf("jwt: revoking family: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventLogout, UserID: f.UserID, Ref: s.ref(f.ID)})
	return nil
}

// RevokeSession revokes the refresh family whose ID is sid (the Session of
// an access token's Claims), and with Options.Watermarks its access tokens.
// An unknown sid is not an error.
func (s *Strategy) RevokeSession(ctx context.Context, sid string) error {
	if sid == "" {
		return fmt.Errorf("jwt: RevokeSession needs a session ID: %w", core.ErrInvalidArgument)
	}
	if err := s.revokeFamily(ctx, sid); err != nil {
		return fmt.Errorf("jwt: revoking family: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventLogout, Ref: s.ref(sid)})
	return nil
}

// revokeFamily revokes family id in the store and, with watermarks, its
// access tokens.
func (s *Strategy) revokeFamily(ctx context.Context, id string) error {
	if err := s.store.RevokeFamily(ctx, id); err != nil {
		return err
	}
	return s.raise(ctx, familySubject(id))
}

// RevokeUser revokes every refresh family of userID: log out everywhere,
// e.g. after a password change. With Options.Watermarks, every access token
// of userID issued until now is refused too: at once on this server, and
// within Options.WatermarkTTL on the others.
func (s *Strategy) RevokeUser(ctx context.Context, userID string) error {
	if err := s.store.RevokeUser(ctx, userID); err != nil {
		return fmt.Errorf("jwt: revoking families of a user: %w", err)
	}
	if err := s.raise(ctx, userSubject(userID)); err != nil {
		return err
	}
	s.emit(ctx, core.Event{Type: core.EventLogoutEverywhere, UserID: userID})
	return nil
}

// RevokeAccess lists the access token described by c (from Verify) on
// Options.Revocations until it expires (plus the leeway, during which it
// would still be accepted), so that it is refused from now on. It returns
// ErrNoRevocationList when no list is configured.
func (s *Strategy) RevokeAccess(ctx context.Context, c Claims) error {
	if s.revocations == nil {
		return ErrNoRevocationList
	}
	if c.ID == "" {
		return fmt.Errorf("jwt: RevokeAccess needs the claims of a verified token: %w", core.ErrInvalidArgument)
	}
	if err := s.revocations.Revoke(ctx, c.ID, c.Expiry.Add(s.leeway)); err != nil {
		return fmt.Errorf("jwt: revocation list: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventRevoke, UserID: c.Subject})
	return nil
}

func (s *Strategy) pair(ctx context.Context, userID, sid, refresh string, g grant) (Pair, error) {
	notBefore, err := s.mintAfter(ctx, userID)
	if err != nil {
		return Pair{}, err
	}
	access, _, err := s.accessToken(userID, sid, notBefore, g)
	if err != nil {
		return Pair{}, err
	}
	return Pair{AccessToken: access, ExpiresIn: s.lifetime, RefreshToken: refresh}, nil
}
