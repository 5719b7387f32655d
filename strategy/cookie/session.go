package cookie

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gobware/gobware/core"
)

// Limits on what a session row records about the client.
const (
	maxUserIDLen    = 255
	maxUserAgentLen = 256
	maxIPLen        = 64
)

// Login starts a new session for userID and sets its cookie on w. It is
// LoginWith with no options: no method, no attributes, and the cookie
// persists as Options.Persistent says.
func (s *Strategy) Login(r core.Request, w core.Response, userID string) error {
	return s.LoginWith(r, w, userID, core.LoginOptions{})
}

// LoginWith starts a new session for userID and sets its cookie on w. The
// session records opts.Method, opts.Attributes and the time of the login
// (Identity.AuthTime), which Authenticate returns from the same single
// store read that finds the session. opts.Remember, when not nil, chooses
// for this login whether the cookie persists (Max-Age and Expires at the
// session's absolute deadline) or is a browser-session cookie; nil leaves
// it to Options.Persistent. The choice is kept with the session, so a
// cookie reissued by Update persists alike.
//
// The session ID is always new (32 bytes from crypto/rand): an ID the client
// brings is never reused. The session of any cookie the request already
// carries that verifies is deleted first, so a session planted by an
// attacker (session fixation) dies at login. Call Login again for a logged-in
// user whenever the ID should change, for instance after a password change,
// or Update to keep the session and change its ID.
//
// The store keeps only the ID's hash, with the user agent (cleaned,
// truncated to 256 bytes) and core.ClientIP(r). With
// Options.MaxSessionsPerUser set, the user's oldest sessions beyond the cap
// end in the same atomic store call that creates the new one. The response gets
// Cache-Control: no-store. Options that cannot be recorded (opts.Check
// fails: attributes over core.MaxAttributesSize, say) are refused with that
// error before anything is written. If the store fails, LoginWith returns an
// error wrapping ErrStore and writes nothing to w.
func (s *Strategy) LoginWith(r core.Request, w core.Response, userID string, opts core.LoginOptions) error {
	if len(userID) == 0 || len(userID) > maxUserIDLen || !utf8.ValidString(userID) || strings.IndexByte(userID, 0) >= 0 {
		return ErrBadUserID
	}
	if err := opts.Check(); err != nil {
		return err
	}
	ctx := requestContext(r)
	for _, v := range r.Cookies(s.name) {
		id, err := s.decode(v)
		if err != nil {
			continue
		}
		h := HashID(id)
		old, _ := s.store.Find(ctx, h, s.clock()) // only to name the user in the event
		err = s.store.Delete(ctx, h)
		s.forget(h) // after the store: see sessionCache
		if err != nil {
			return storeError("delete previous session", err)
		}
		s.emit(ctx, core.EventSessionEnded, old.UserID, &h, "replaced_by_login")
	}

	id := newID()
	h := HashID(id)
	now := s.clock()
	sess := Session{
		Hash:       h,
		UserID:     userID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(s.lifetime),
		UserAgent:  clean(core.FirstHeader(r, "User-Agent"), maxUserAgentLen),
		IP:         clean(core.ClientIP(r), maxIPLen),
		Method:     opts.Method,
		AuthTime:   now,
		Attributes: opts.Attributes.Clone(),
		Persistent: s.persistent,
	}
	if opts.Remember != nil {
		sess.Persistent = *opts.Remember
	}
	if len(sess.Attributes) == 0 {
		sess.Attributes = nil
	}
	sess.IdleUntil = earliest(now.Add(s.idle), sess.ExpiresAt)
	var capped []Hash
	if s.capper != nil {
		var err error
		if capped, err = s.capper.CreateCapped(ctx, sess, s.maxPerUser); err != nil {
			return storeError("create", err)
		}
	} else if err := s.store.Create(ctx, sess); err != nil {
		return storeError("create", err)
	}
	for _, old := range capped {
		s.forget(old) // after the store: see sessionCache
		s.emit(ctx, core.EventSessionEnded, userID, &old, "session_cap")
	}

	w.SetHeader("Cache-Control", "no-store")
	w.SetCookie(s.sessionCookie(id, sess, now))
	s.emit(ctx, core.EventLogin, userID, &h, "")
	return nil
}

// sessionCookie is the cookie that carries session id: a persistent one
// expiring at the session's absolute deadline when sess.Persistent, else
// a browser-session cookie.
func (s *Strategy) sessionCookie(id string, sess Session, now time.Time) *http.Cookie {
	c := s.cookie(s.encode(id))
	if sess.Persistent {
		c.Expires = sess.ExpiresAt
		c.MaxAge = max(int(sess.ExpiresAt.Sub(now)/time.Second), 1)
	}
	return c
}

// maxColocationDraws bounds the session IDs Update draws for a Colocator:
// with 16384 Redis Cluster slots the expected number is 16384, and the
// chance of needing more than this is below e^-64.
const maxColocationDraws = 64 * 16384

// Update changes the request's live session and gives it a new ID in the
// same atomic store step, then sets the new cookie on w and returns the
// session's new Identity. Use it after a step-up (a second factor, the
// password typed again: set u.Reauthenticated, and u.Method to name the
// new proof) or when the user's attributes change (a role granted, a
// tenant switched: set u.Attributes). Nil u.Attributes keep the session's
// attributes; the session keeps its creation time, its absolute deadline
// and its remember-me choice, and its idle deadline starts again.
//
// Atomically means: the old ID is dead and the new one live at the same
// instant for every reader, on every server sharing the store; of
// concurrent Updates of one session exactly one succeeds, the others
// returning ErrUnknownSession (the old ID they hold is dead), as for a
// session that ended. Changing the ID stops anyone who copied the old
// cookie from gaining what the update granted.
//
// Update reads the session cookie as Authenticate does and returns its
// errors (ErrNoCookie, ErrBadSignature, ErrUnknownSession, ...); it
// returns u.Check's error for attributes it cannot record, an error
// wrapping ErrBadOption when the store does not implement Rotator, and
// one wrapping ErrStore when the store fails. On error it writes nothing
// to w. The response gets Cache-Control: no-store.
func (s *Strategy) Update(r core.Request, w core.Response, u core.SessionUpdate) (core.Identity, error) {
	if err := u.Check(); err != nil {
		return core.Identity{}, err
	}
	if s.rotator == nil {
		return core.Identity{}, fmt.Errorf("%w: Update needs a store that implements cookie.Rotator; %T does not", ErrBadOption, s.store)
	}
	ctx := requestContext(r)
	value, n := core.CookieValue(r, s.name)
	oldID, err := s.cookieID(ctx, value, n)
	if err != nil {
		return core.Identity{}, err
	}
	old := HashID(oldID)
	now := s.clock()
	sess, err := s.store.Find(ctx, old, now)
	switch {
	case err == nil && (!sess.Live(now) || sess.UserID == ""):
		err = ErrNotFound
	case err != nil && !isNotFound(err):
		return core.Identity{}, storeError("find", err)
	}
	if err != nil {
		s.emit(ctx, core.EventUnknownSession, "", &old, "not_found")
		return core.Identity{}, ErrUnknownSession
	}

	if u.Attributes != nil {
		sess.Attributes = u.Attributes.Clone()
		if len(sess.Attributes) == 0 {
			sess.Attributes = nil
		}
	}
	if u.Reauthenticated {
		sess.AuthTime = now
	}
	if u.Method != "" {
		sess.Method = u.Method
	}
	sess.LastSeenAt = now
	sess.IdleUntil = earliest(now.Add(s.idle), sess.ExpiresAt)

	id, err := s.colocatedID(old)
	if err != nil {
		return core.Identity{}, err
	}
	sess.Hash = HashID(id)
	err = s.rotator.Rotate(ctx, old, sess, now)
	s.forget(old) // after the store: see sessionCache
	switch {
	case isNotFound(err):
		s.emit(ctx, core.EventUnknownSession, sess.UserID, &old, "rotated_or_ended")
		return core.Identity{}, ErrUnknownSession
	case err != nil:
		return core.Identity{}, storeError("rotate", err)
	}
	w.SetHeader("Cache-Control", "no-store")
	w.SetCookie(s.sessionCookie(id, sess, now))
	s.emit(ctx, core.EventSessionUpdated, sess.UserID, &sess.Hash, "")
	return sess.identity(), nil
}

// colocatedID draws a new session ID whose hash the store can rotate old
// into (see Colocator).
func (s *Strategy) colocatedID(old Hash) (string, error) {
	c, ok := s.store.(Colocator)
	for range maxColocationDraws {
		id := newID()
		if !ok || c.Colocated(old, HashID(id)) {
			return id, nil
		}
	}
	return "", storeError("rotate", fmt.Errorf("no session ID placed beside the old one in %d draws", maxColocationDraws))
}

// Logout ends the request's session and clears its cookie.
//
// The row of every session cookie that verifies is deleted, and the response
// always carries an expiring cookie with the same name, Path, Secure,
// HttpOnly and SameSite, plus Cache-Control: no-store, even when there was no
// cookie or the store failed: the browser forgets the session either way.
// A store failure is still returned (wrapping ErrStore), since the session
// may remain valid for whoever else holds the cookie.
func (s *Strategy) Logout(r core.Request, w core.Response) error {
	ctx := requestContext(r)
	values := r.Cookies(s.name)
	w.SetHeader("Cache-Control", "no-store")
	c := s.cookie("")
	c.MaxAge = -1
	c.Expires = time.Unix(0, 0).UTC()
	w.SetCookie(c)

	var errs []error
	for _, v := range values {
		id, err := s.decode(v)
		if err != nil {
			continue
		}
		h := HashID(id)
		sess, _ := s.store.Find(ctx, h, s.clock()) // only to name the user in the event
		err = s.store.Delete(ctx, h)
		s.forget(h) // after the store: see sessionCache
		if err != nil {
			errs = append(errs, storeError("delete", err))
			continue
		}
		s.emit(ctx, core.EventLogout, sess.UserID, &h, "")
	}
	return errors.Join(errs...)
}

// LogoutEverywhere deletes every session of userID and returns how many
// there were. The cookie of the current request, if any, stops working at
// once; call Logout as well to clear it from the browser.
func (s *Strategy) LogoutEverywhere(ctx context.Context, userID string) (int, error) {
	n, err := s.store.DeleteUser(ctx, userID)
	if s.cache != nil {
		s.cache.removeUser(userID) // after the store: see sessionCache
	}
	if err != nil {
		return n, storeError("delete user sessions", err)
	}
	s.emit(ctx, core.EventLogoutEverywhere, userID, nil, "")
	return n, nil
}

// Sessions returns the live sessions of userID, newest first. Show them
// by Handle, never by Hash.
func (s *Strategy) Sessions(ctx context.Context, userID string) ([]Session, error) {
	now := s.clock()
	all, err := s.store.List(ctx, userID, now)
	if err != nil {
		return nil, storeError("list", err)
	}
	live := make([]Session, 0, len(all))
	for _, sess := range all {
		if sess.UserID == userID && sess.Live(now) {
			live = append(live, sess)
		}
	}
	slices.SortStableFunc(live, func(a, b Session) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return live, nil
}

// End ends the session of userID whose Handle is handle, for example from a
// "your devices" page. It returns ErrNotFound when no live session of that
// user has this handle, so one user cannot end another's session.
func (s *Strategy) End(ctx context.Context, userID, handle string) error {
	sessions, err := s.Sessions(ctx, userID)
	if err != nil {
		return err
	}
	for _, sess := range sessions {
		if subtle.ConstantTimeCompare([]byte(sess.Hash.Handle()), []byte(handle)) == 1 {
			err := s.store.Delete(ctx, sess.Hash)
			s.forget(sess.Hash) // after the store: see sessionCache
			if err != nil {
				return storeError("delete", err)
			}
			s.emit(ctx, core.EventSessionEnded, userID, &sess.Hash, "ended_by_user")
			return nil
		}
	}
	return ErrNotFound
}

// cookie returns the session cookie with value v and the fixed attributes:
// Path (default /), Domain (default none), HttpOnly, Secure (unless
// InsecureCookies), SameSite.
func (s *Strategy) cookie(v string) *http.Cookie {
	return &http.Cookie{
		Name:     s.name,
		Value:    v,
		Domain:   s.domain,
		Path:     s.path,
		Secure:   !s.insecure,
		HttpOnly: true,
		SameSite: s.sameSite,
	}
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// clean makes a client-supplied string safe for every store: valid UTF-8,
// no control characters, at most max bytes.
func clean(v string, max int) string {
	v = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(v, ""))
	if len(v) <= max {
		return v
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return v[:cut]
}
