package jwt

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
)

// refreshLen is the length of a refresh token: 32 random bytes, base64url.
const refreshLen = 43

// Pair is what a client receives on login and on every refresh.
type Pair struct {
	AccessToken  string        // the bearer token
	ExpiresIn    time.Duration // lifetime of AccessToken (Options.Lifetime)
	RefreshToken string        // opaque, single use; exchange it with Refresh
}

// Issue starts a new refresh family for userID (a login) and returns its
// first pair. Only the SHA-256 of the refresh token is stored.
func (s *Strategy) Issue(ctx context.Context, userID string) (Pair, error) {
	if userID == "" {
		return Pair{}, ErrEmptyUserID
	}
	family, err := randomString(16)
	if err != nil {
		return Pair{}, err
	}
	refresh, err := randomString(32)
	if err != nil {
		return Pair{}, err
	}
	now := s.now().UTC()
	err = s.store.Create(ctx, RefreshToken{
		Hash:      HashToken(refresh),
		Family:    family,
		UserID:    userID,
		IssuedAt:  now,
		ExpiresAt: now.Add(s.refreshLifetime),
	})
	if err != nil {
		return Pair{}, fmt.Errorf("jwt: storing refresh token: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventLogin, UserID: userID, Ref: s.ref(family)})
	return s.pair(userID, refresh)
}

// Refresh exchanges a refresh token for a new pair. The token presented is
// spent; the new refresh token continues its family, whose expiry does not
// move.
//
// Presenting a spent token again revokes its whole family, so that the
// newest token, whoever holds it, stops working too (RFC 9700 4.14.2); it is
// reported as core.EventRefreshReuse. This includes two concurrent refreshes
// of one token: exactly one wins and the family is then revoked, which logs
// out a client that races itself. Clients must serialise their refreshes.
//
// Refusals wrap core.ErrInvalidCredential and one of ErrMalformed,
// ErrNotFound, ErrRevoked, ErrExpired or ErrReused. Store failures are
// returned as the store reported them (core.ErrUnavailable for an outage).
func (s *Strategy) Refresh(ctx context.Context, refreshToken string) (Pair, error) {
	if !validRefresh(refreshToken) {
		return Pair{}, s.refused(ctx, errMalformed, RefreshToken{})
	}
	next, err := randomString(32)
	if err != nil {
		return Pair{}, err
	}
	t, err := s.store.Rotate(ctx, HashToken(refreshToken), HashToken(next), s.now().UTC())
	switch {
	case err == nil:
	case errors.Is(err, ErrReused):
		if rerr := s.store.RevokeFamily(ctx, t.Family); rerr != nil {
			return Pair{}, fmt.Errorf("jwt: revoking a family after reuse: %w", rerr)
		}
		s.emit(ctx, core.Event{Type: core.EventRefreshReuse, UserID: t.UserID, Ref: s.ref(t.Family), Reason: "reused"})
		return Pair{}, invalid(ErrReused)
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrRevoked), errors.Is(err, ErrExpired):
		return Pair{}, s.refused(ctx, invalid(err), t)
	default:
		return Pair{}, fmt.Errorf("jwt: rotating refresh token: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventRefresh, UserID: t.UserID, Ref: s.ref(t.Family)})
	return s.pair(t.UserID, next)
}

// refused reports a refused refresh token and returns err.
func (s *Strategy) refused(ctx context.Context, err error, t RefreshToken) error {
	e := core.Event{Type: core.EventInvalidToken, UserID: t.UserID, Reason: reason(err)}
	if t.Family != "" {
		e.Ref = s.ref(t.Family)
	}
	s.emit(ctx, e)
	return err
}

// Revoke revokes the family of refreshToken: logout for the token flow. The
// access tokens already issued stay valid until they expire unless
// RevokeAccess is used too. Revoking an already revoked or expired family is
// not an error; an unknown or malformed token is (core.ErrInvalidCredential).
func (s *Strategy) Revoke(ctx context.Context, refreshToken string) error {
	if !validRefresh(refreshToken) {
		return errMalformed
	}
	t, err := s.store.Find(ctx, HashToken(refreshToken))
	if errors.Is(err, ErrNotFound) {
		return invalid(ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("jwt: finding refresh token: %w", err)
	}
	if err := s.store.RevokeFamily(ctx, t.Family); err != nil {
		return fmt.Errorf("jwt: revoking family: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventLogout, UserID: t.UserID, Ref: s.ref(t.Family)})
	return nil
}

// RevokeUser revokes every refresh family of userID: log out everywhere,
// e.g. after a password change.
func (s *Strategy) RevokeUser(ctx context.Context, userID string) error {
	if err := s.store.RevokeUser(ctx, userID); err != nil {
		return fmt.Errorf("jwt: revoking families of a user: %w", err)
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
		return fmt.Errorf("jwt: RevokeAccess needs the claims of a verified token: %w", ErrClaims)
	}
	if err := s.revocations.Revoke(ctx, c.ID, c.Expiry.Add(s.leeway)); err != nil {
		return fmt.Errorf("jwt: revocation list: %w", err)
	}
	s.emit(ctx, core.Event{Type: core.EventRevoke, UserID: c.Subject})
	return nil
}

func (s *Strategy) pair(userID, refresh string) (Pair, error) {
	access, _, err := s.AccessToken(userID)
	if err != nil {
		return Pair{}, err
	}
	return Pair{AccessToken: access, ExpiresIn: s.lifetime, RefreshToken: refresh}, nil
}

// validRefresh reports whether tok has the shape of a refresh token, so that
// anything else (an access token, garbage) costs no store query.
func validRefresh(tok string) bool {
	return len(tok) == refreshLen && canonicalBase64URL(tok)
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("jwt: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
