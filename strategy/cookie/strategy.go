package cookie

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/clock"
)

// StrategyName is the Identity.Strategy of identities this package returns.
const StrategyName = "cookie"

// Default cookie names. The __Host- prefix makes browsers accept the cookie
// only if it is Secure, has Path=/ and no Domain, so a sibling subdomain or
// a plain-HTTP page cannot plant or overwrite it.
//
// DefaultScopedCookieName is the default when Options.Domain or
// Options.Path widens or narrows the cookie's scope, which __Host- forbids:
// the __Secure- prefix only makes browsers require the Secure attribute.
const (
	DefaultCookieName       = "__Host-gobware_session"
	DefaultScopedCookieName = "__Secure-gobware_session"
	InsecureCookieName      = "gobware_session"
)

// Defaults of the Options durations.
const (
	DefaultIdleTimeout   = 30 * time.Minute
	DefaultLifetime      = 24 * time.Hour
	DefaultTouchInterval = time.Minute
)

// Options configures a Strategy. The zero value is the secure default.
type Options struct {
	// CookieName is the session cookie's name. Default DefaultCookieName
	// ("__Host-gobware_session"); DefaultScopedCookieName
	// ("__Secure-gobware_session") when Domain or Path is set; or
	// InsecureCookieName ("gobware_session") when InsecureCookies is set.
	// Unless InsecureCookies is set the name must start with "__Host-" or
	// "__Secure-", and a "__Host-" name is refused with Domain or a Path
	// other than "/" (browsers would drop the cookie); with
	// InsecureCookies it must not start with either (browsers would drop
	// it too).
	CookieName string

	// Domain, when set, is the cookie's Domain attribute: the browser
	// sends the session to that domain and every subdomain of it, so one
	// login serves app.example.com and admin.example.com. Default "": a
	// host-only cookie, sent to the host that set it only.
	//
	// The trade-off: every sibling subdomain can then set, overwrite or
	// shadow the session cookie (a __Secure- cookie protects against
	// plain-HTTP pages, not against another host of the domain), so a
	// compromised or user-controlled subdomain can log visitors into an
	// account of its choosing or out of theirs. Share a domain only among
	// hosts you trust as much as this one. The signature still stops
	// forged session IDs, and duplicate cookies are refused.
	Domain string

	// Path, when set, is the cookie's Path attribute, restricting the
	// session to that path and below (for an application mounted under
	// /app, say). It must start with "/". Default "/". Browsers do not
	// isolate paths from each other: another application on the same
	// host can still read the cookie through its own pages, so Path is a
	// convenience, not a boundary.
	Path string

	// SameSite is the cookie's SameSite attribute. Default (zero)
	// http.SameSiteLaxMode; http.SameSiteStrictMode is allowed. None and
	// DefaultMode are refused by New.
	SameSite http.SameSite

	// IdleTimeout ends a session that is not used for this long.
	// Default DefaultIdleTimeout (30 minutes).
	IdleTimeout time.Duration

	// Lifetime ends a session this long after login, however much it is
	// used. Default DefaultLifetime (24 hours).
	Lifetime time.Duration

	// TouchInterval bounds how often a request writes to the store to push
	// the idle deadline back: at most once per interval per session, so
	// ordinary traffic costs one read per request and no write. Default
	// DefaultTouchInterval (1 minute); never more than IdleTimeout/2.
	TouchInterval time.Duration

	// Persistent makes the cookie outlive the browser session: it gets
	// Expires and Max-Age at the session's absolute deadline. Default
	// false: a browser-session cookie with no expiry.
	Persistent bool

	// InsecureCookies drops the Secure attribute and the __Host- prefix so
	// that the cookie works over plain HTTP, for local development only.
	// It weakens the session: anyone on the network can read the cookie,
	// and sibling subdomains can plant one.
	InsecureCookies bool

	// CacheTTL, when positive, turns on a cache of verified sessions in
	// process memory: a request whose cookie value was verified less than
	// CacheTTL ago is answered without checking the signature again and
	// without reading the store. Default 0: no cache, every request reads
	// the store.
	//
	// The idle and absolute deadlines are checked on every request against
	// the cached values, so expiry takes effect on time; a session whose
	// idle deadline is due to be pushed back (see TouchInterval) is read
	// from the store again. Logout, LogoutEverywhere, End and Login drop
	// what they end from this Strategy's cache at once.
	//
	// Staleness bound: with several servers sharing one store, a session
	// ended on another server (or deleted from the store directly) keeps
	// working on this one for up to min(CacheTTL, TouchInterval) after it
	// ended. Keep it to a few seconds; leave it 0 when a logout must take
	// effect everywhere at once.
	CacheTTL time.Duration

	// CacheSize bounds the number of sessions the cache holds; when full,
	// caching another one drops an arbitrary entry. Default
	// DefaultCacheSize (10000) when CacheTTL is set; ignored otherwise.
	// Each entry costs about 250 bytes.
	CacheSize int

	// MaxSessionsPerUser, when positive, caps the live sessions of one
	// user: a Login that would exceed it ends the user's oldest sessions
	// (by creation) so that exactly this many remain, the new one among
	// them, and emits a session_ended event with reason "session_cap"
	// naming the user for each. The store must implement Capper (the
	// memory, storage/gorm and storage/redis stores do), which makes the
	// cap hold under concurrent logins on any number of servers. Default
	// 0: no cap. Negative is refused by New.
	//
	// With CacheTTL set, a session ended by the cap on another server
	// keeps working on this one within the cache's staleness bound.
	MaxSessionsPerUser int

	// Now is the clock. Default (nil) time.Now, read from the monotonic
	// clock between wall-clock readings a second apart (a step of the system
	// clock is followed within a second). Times are converted to UTC.
	Now func() time.Time

	// Events receives security events. Default (nil) core.LogEvents(nil),
	// which logs through slog.Default(). Events never contain a session
	// ID, a cookie value or an ID's hash; Ref is a salted hash that only
	// correlates events of one Strategy.
	Events core.EventFunc
}

// Strategy authenticates requests by a signed session cookie and issues,
// lists and ends sessions. It is safe for concurrent use.
type Strategy struct {
	signers    []*signer // one per key; the first signs
	store      Store
	name       string
	domain     string
	path       string
	sameSite   http.SameSite
	idle       time.Duration
	lifetime   time.Duration
	touch      time.Duration
	persistent bool
	insecure   bool
	now        func() time.Time
	events     core.EventFunc
	salt       [16]byte
	looker     Looker        // store, when it implements Looker
	rotator    Rotator       // store, when it implements Rotator
	capper     Capper        // store, when MaxSessionsPerUser is set
	maxPerUser int           // Options.MaxSessionsPerUser; 0 = no cap
	cache      *sessionCache // nil unless Options.CacheTTL is set
}

// New returns a Strategy that keeps sessions in store and signs cookies
// with keys[0]. Every key in keys verifies, so a key is rotated by putting
// the new key first and dropping the old one once the longest session
// signed by it has expired. Each key must be at least 32 bytes (use
// core.ParseKeyRing) and must not be used for anything else. Every error
// New returns wraps ErrBadOption.
func New(keys [][]byte, store Store, opts Options) (*Strategy, error) {
	if len(keys) == 0 {
		return nil, ErrBadKey
	}
	s := &Strategy{store: store}
	s.looker, _ = store.(Looker)
	s.rotator, _ = store.(Rotator)
	for i, k := range keys {
		if len(k) < core.SecretSize {
			return nil, fmt.Errorf("%w (key %d has %d bytes)", ErrBadKey, i+1, len(k))
		}
	}
	if store == nil {
		return nil, fmt.Errorf("%w: nil store", ErrBadOption)
	}

	s.insecure = opts.InsecureCookies
	s.domain = opts.Domain
	s.path = cmp.Or(opts.Path, "/")
	scoped := s.domain != "" || s.path != "/"
	s.name = opts.CookieName
	switch {
	case s.name == "" && s.insecure:
		s.name = InsecureCookieName
	case s.name == "" && scoped:
		s.name = DefaultScopedCookieName
	case s.name == "":
		s.name = DefaultCookieName
	}
	if !strings.HasPrefix(s.path, "/") {
		return nil, fmt.Errorf("%w: cookie path %q must start with /", ErrBadOption, s.path)
	}
	if err := (&http.Cookie{Name: s.name, Value: "v", Domain: s.domain, Path: s.path}).Valid(); err != nil {
		return nil, fmt.Errorf("%w: cookie name %q, domain %q, path %q: %v", ErrBadOption, s.name, s.domain, s.path, err)
	}
	host := strings.HasPrefix(s.name, "__Host-")
	prefixed := host || strings.HasPrefix(s.name, "__Secure-")
	switch {
	case !s.insecure && !prefixed:
		return nil, fmt.Errorf("%w: cookie name %q must start with __Host- or __Secure- (or set InsecureCookies)", ErrBadOption, s.name)
	case s.insecure && prefixed:
		return nil, fmt.Errorf("%w: cookie name %q needs Secure, which InsecureCookies drops", ErrBadOption, s.name)
	case host && s.domain != "":
		return nil, fmt.Errorf("%w: cookie name %q: browsers drop a __Host- cookie with a Domain; use a __Secure- name to share the session with subdomains", ErrBadOption, s.name)
	case host && s.path != "/":
		return nil, fmt.Errorf("%w: cookie name %q: browsers drop a __Host- cookie whose Path is not /; use a __Secure- name with Path %q", ErrBadOption, s.name, s.path)
	}

	for _, k := range keys {
		s.signers = append(s.signers, newSigner(append([]byte(nil), k...), s.name))
	}

	switch opts.SameSite {
	case 0, http.SameSiteLaxMode:
		s.sameSite = http.SameSiteLaxMode
	case http.SameSiteStrictMode:
		s.sameSite = http.SameSiteStrictMode
	default:
		return nil, ErrSameSiteNone
	}

	if opts.IdleTimeout < 0 || opts.Lifetime < 0 || opts.TouchInterval < 0 {
		return nil, fmt.Errorf("%w: negative duration", ErrBadOption)
	}
	s.idle = cmp.Or(opts.IdleTimeout, DefaultIdleTimeout)
	s.lifetime = cmp.Or(opts.Lifetime, DefaultLifetime)
	s.touch = min(cmp.Or(opts.TouchInterval, DefaultTouchInterval), s.idle/2)
	s.persistent = opts.Persistent
	switch capper, ok := store.(Capper); {
	case opts.MaxSessionsPerUser < 0:
		return nil, fmt.Errorf("%w: negative MaxSessionsPerUser", ErrBadOption)
	case opts.MaxSessionsPerUser > 0 && !ok:
		return nil, fmt.Errorf("%w: MaxSessionsPerUser needs a store that implements cookie.Capper; %T does not", ErrBadOption, store)
	case opts.MaxSessionsPerUser > 0:
		s.capper, s.maxPerUser = capper, opts.MaxSessionsPerUser
	}
	if opts.CacheTTL < 0 || opts.CacheSize < 0 {
		return nil, fmt.Errorf("%w: negative cache option", ErrBadOption)
	}
	if opts.CacheTTL > 0 {
		s.cache = newSessionCache(opts.CacheTTL, cmp.Or(opts.CacheSize, DefaultCacheSize))
	}

	s.now = opts.Now
	if s.now == nil {
		s.now = clock.Now
	}
	s.events = opts.Events
	if s.events == nil {
		s.events = core.LogEvents(nil)
	}
	if err := core.ClaimKeys(StrategyName, keys); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	rand.Read(s.salt[:])
	return s, nil
}

// CookieName returns the name of the session cookie.
func (s *Strategy) CookieName() string { return s.name }

// Authenticate returns the user of the request's session.
//
// It answers ErrNoCookie (core.ErrNoCredential) when there is no session
// cookie; ErrMalformed, ErrBadSignature or ErrDuplicateCookie, without
// touching the store, when the cookie is not one this Strategy signed;
// ErrUnknownSession when it is signed but the store has no live session for
// it; and an error wrapping ErrStore when the store failed. All but the
// first and last wrap core.ErrInvalidCredential.
//
// A successful request pushes the idle deadline back, writing to the store
// at most once per TouchInterval.
func (s *Strategy) Authenticate(r core.Request) (core.Identity, error) {
	value, n := core.CookieValue(r, s.name)
	if s.cache != nil && n == 1 {
		if id, ok := s.cache.get(value, s.clock(), s.touch); ok {
			return id, nil
		}
	}
	ctx := requestContext(r)
	id, err := s.cookieID(ctx, value, n)
	if err != nil {
		return core.Identity{}, err
	}
	h := HashID(id)
	var gen uint64
	if s.cache != nil {
		gen = s.cache.generation()
	}
	now := s.clock()
	var sess Session
	if s.looker != nil {
		sess, err = s.looker.Lookup(ctx, h, now)
	} else {
		sess, err = s.store.Find(ctx, h, now)
	}
	switch {
	case err == nil && !sess.Live(now):
		s.emit(ctx, core.EventUnknownSession, sess.UserID, &h, "expired")
		return core.Identity{}, ErrUnknownSession
	case err == nil:
	case isNotFound(err):
		s.emit(ctx, core.EventUnknownSession, "", &h, "not_found")
		return core.Identity{}, ErrUnknownSession
	default:
		return core.Identity{}, storeError("find", err)
	}
	if sess.UserID == "" {
		return core.Identity{}, storeError("find", fmt.Errorf("session without user ID"))
	}
	if now.Sub(sess.LastSeenAt) >= s.touch {
		idle := earliest(now.Add(s.idle), sess.ExpiresAt)
		if err := s.store.Touch(ctx, h, now, idle); err != nil {
			return core.Identity{}, storeError("touch", err)
		}
		sess.LastSeenAt, sess.IdleUntil = now, idle
	}
	if s.cache != nil {
		sess.Hash = h
		s.cache.put(value, sess, now, gen)
	}
	return sess.identity(), nil
}

// identity is what Authenticate answers for the live session sess.
func (sess Session) identity() core.Identity {
	return core.Identity{
		UserID:     sess.UserID,
		Strategy:   StrategyName,
		Method:     sess.Method,
		AuthTime:   sess.AuthTime,
		Expires:    earliest(sess.IdleUntil, sess.ExpiresAt),
		Attributes: sess.Attributes,
	}
}

// cookieID returns the verified session ID of the single session cookie,
// given the first value and the number of session cookies the request
// carries (core.CookieValue).
func (s *Strategy) cookieID(ctx context.Context, value string, n int) (string, error) {
	switch {
	case n == 0:
		return "", ErrNoCookie
	case n > 1:
		s.emit(ctx, core.EventInvalidSignature, "", nil, "duplicate_cookie")
		return "", ErrDuplicateCookie
	}
	id, err := s.decode(value)
	if err != nil {
		reason := "bad_signature"
		if err == ErrMalformed {
			reason = "malformed"
		}
		s.emit(ctx, core.EventInvalidSignature, "", nil, reason)
		return "", err
	}
	return id, nil
}

// CurrentHandle returns the Handle of the request's session if its single
// session cookie verifies, else "". It does not consult the store, so the
// session may have ended; use it to mark "this device" in a list from
// Sessions.
func (s *Strategy) CurrentHandle(r core.Request) string {
	value, n := core.CookieValue(r, s.name)
	if n != 1 {
		return ""
	}
	id, err := s.decode(value)
	if err != nil {
		return ""
	}
	return HashID(id).Handle()
}

func (s *Strategy) clock() time.Time { return s.now().UTC() }

// forget drops session h from the cache, if there is one.
func (s *Strategy) forget(h Hash) {
	if s.cache != nil {
		s.cache.remove(h)
	}
}

// ref returns the salted, truncated hash that names a session in events.
// The salt is random per Strategy, so a Ref cannot be matched against a
// leaked session table.
func (s *Strategy) ref(h Hash) string {
	sum := sha256.Sum256(append(s.salt[:len(s.salt):len(s.salt)], h[:]...))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:12]
}

// ReportEvent sends e to the Strategy's event sink (Options.Events), with
// Strategy set to "cookie" when empty. It implements core.Reporter, so the
// HTTP layer's refusals about this Strategy's cookies reach the same sink.
func (s *Strategy) ReportEvent(ctx context.Context, e core.Event) {
	if e.Strategy == "" {
		e.Strategy = StrategyName
	}
	s.events(ctx, e)
}

func (s *Strategy) emit(ctx context.Context, t core.EventType, userID string, h *Hash, reason string) {
	e := core.Event{Type: t, Strategy: StrategyName, UserID: userID, Reason: reason}
	if h != nil {
		e.Ref = s.ref(*h)
	}
	s.events(ctx, e)
}

func requestContext(r core.Request) context.Context {
	if ctx := r.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
