package limiter

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/gobware/gobware/core"
)

// Defaults of Options.
const (
	DefaultFree       = 5
	DefaultIPFree     = 20
	DefaultBackoff    = time.Second
	DefaultMaxBackoff = 15 * time.Minute
	DefaultForget     = 24 * time.Hour
)

// Options tune a Limiter. The zero value is the default policy.
type Options struct {
	// Store keeps the counters. Default (nil): a new MemoryStore, which
	// serves one process only.
	Store Store

	// Free is how many failures in a row a key may have before it must
	// wait. Default (0): DefaultFree, 5. Keys made by IP use IPFree.
	Free int

	// IPFree is Free for keys made by IP. Default (0): DefaultIPFree, 20.
	IPFree int

	// Backoff is the wait after the first failure beyond the free ones;
	// it doubles with each further failure. Default (0): DefaultBackoff, 1 s.
	Backoff time.Duration

	// MaxBackoff caps the wait. Default (0): DefaultMaxBackoff, 15 min.
	MaxBackoff time.Duration

	// Forget is how long after its latest failure a key starts afresh.
	// Default (0): DefaultForget, 24 h. It must be at least MaxBackoff.
	Forget time.Duration

	// Now is the clock. Default (nil): time.Now.
	Now func() time.Time

	// Events receives core.EventRateLimited and core.EventLoginFailed.
	// Default (nil): core.LogEvents(nil), through slog.Default(). Events
	// carry a salted hash of the key as Ref, never the key itself.
	Events core.EventFunc
}

// Limiter counts failed logins per key and makes keys with too many wait.
// It is safe for concurrent use; several servers share counters through a
// shared Store.
type Limiter struct {
	store                Store
	free, ipFree         int
	backoff, max, forget time.Duration
	now                  func() time.Time
	events               core.EventFunc
	salt                 [16]byte
}

// New returns a Limiter with opts, or an error wrapping ErrBadOption.
func New(opts Options) (*Limiter, error) {
	l := &Limiter{
		store:   opts.Store,
		free:    opts.Free,
		ipFree:  opts.IPFree,
		backoff: opts.Backoff,
		max:     opts.MaxBackoff,
		forget:  opts.Forget,
		now:     opts.Now,
		events:  opts.Events,
	}
	if l.free < 0 || l.ipFree < 0 || l.backoff < 0 || l.max < 0 || l.forget < 0 {
		return nil, fmt.Errorf("%w: negative value", ErrBadOption)
	}
	if l.store == nil {
		l.store = NewMemoryStore()
	}
	if l.free == 0 {
		l.free = DefaultFree
	}
	if l.ipFree == 0 {
		l.ipFree = DefaultIPFree
	}
	if l.backoff == 0 {
		l.backoff = DefaultBackoff
	}
	if l.max == 0 {
		l.max = max(DefaultMaxBackoff, l.backoff)
	}
	if l.forget == 0 {
		l.forget = max(DefaultForget, l.max)
	}
	if l.max < l.backoff {
		return nil, fmt.Errorf("%w: MaxBackoff %v is below Backoff %v", ErrBadOption, l.max, l.backoff)
	}
	if l.forget < l.max {
		return nil, fmt.Errorf("%w: Forget %v is below MaxBackoff %v", ErrBadOption, l.forget, l.max)
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.events == nil {
		l.events = core.LogEvents(nil)
	}
	rand.Read(l.salt[:])
	return l, nil
}

// Check returns nil when every key may make an attempt now. Otherwise it
// returns a *LimitedError (matching ErrLimited) with the longest wait among
// keys, and reports core.EventRateLimited; or the store's error, in which
// case the caller must refuse the attempt too. Empty keys are ignored.
func (l *Limiter) Check(ctx context.Context, keys ...string) error {
	now := l.now()
	var (
		wait   time.Duration
		waiter string
	)
	for _, key := range keys {
		if key == "" {
			continue
		}
		rec, err := l.store.Get(ctx, storeKey(key))
		if err != nil {
			return fmt.Errorf("limiter: check: %w", err)
		}
		if w := l.remaining(key, rec, now); w > wait {
			wait, waiter = w, key
		}
	}
	if wait <= 0 {
		return nil
	}
	l.events(ctx, core.Event{Type: core.EventRateLimited, Ref: l.ref(waiter), Reason: kind(waiter)})
	return &LimitedError{Wait: wait}
}

// Failure counts one failed attempt against every key and reports
// core.EventLoginFailed. It returns the wait now imposed (the longest
// among keys; 0 while failures are still free), or the store's error.
// Empty keys are ignored.
func (l *Limiter) Failure(ctx context.Context, keys ...string) (time.Duration, error) {
	now := l.now().UTC()
	var wait time.Duration
	var first string
	for _, key := range keys {
		if key == "" {
			continue
		}
		if first == "" {
			first = key
		}
		rec, err := l.store.Fail(ctx, storeKey(key), now, l.forget)
		if err != nil {
			return 0, fmt.Errorf("limiter: count failure: %w", err)
		}
		wait = max(wait, l.remaining(key, rec, now))
	}
	if first != "" {
		l.events(ctx, core.Event{Type: core.EventLoginFailed, Ref: l.ref(first), Reason: kind(first)})
	}
	return wait, nil
}

// Success forgets key's failures. Call it with the account key after a
// correct password, and not with the address key (see the package doc).
func (l *Limiter) Success(ctx context.Context, key string) error {
	if key == "" {
		return nil
	}
	if err := l.store.Reset(ctx, storeKey(key)); err != nil {
		return fmt.Errorf("limiter: reset: %w", err)
	}
	return nil
}

// Backoff returns the wait imposed on key after failures failures in a row:
// 0 while they are free (Free, or IPFree for keys made by IP), then Backoff,
// doubling with each failure up to MaxBackoff. It is the policy Check
// applies, exposed for documentation and tests.
func (l *Limiter) Backoff(key string, failures int) time.Duration {
	free := l.free
	if strings.HasPrefix(key, ipPrefix) {
		free = l.ipFree
	}
	extra := failures - free
	if extra <= 0 {
		return 0
	}
	wait := l.backoff
	for i := 1; i < extra; i++ {
		if wait >= l.max/2 {
			return l.max
		}
		wait *= 2
	}
	return min(wait, l.max)
}

// remaining is how long key must still wait at now, given its record.
func (l *Limiter) remaining(key string, rec Record, now time.Time) time.Duration {
	if rec.Failures == 0 || !rec.Last.After(now.Add(-l.forget)) {
		return 0
	}
	return rec.Last.Add(l.Backoff(key, rec.Failures)).Sub(now)
}

// storeKey is what a Store sees of key: its SHA-256, in hex.
func storeKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// ref names key in events: a salted hash, random per Limiter, so that logs
// correlate the attempts on one key without revealing it.
func (l *Limiter) ref(key string) string {
	sum := sha256.Sum256(append(l.salt[:len(l.salt):len(l.salt)], key...))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:12]
}

// kind is the part of key before its colon ("account", "ip"), for events.
func kind(key string) string {
	if k, _, ok := strings.Cut(key, ":"); ok && len(k) <= 16 {
		return k
	}
	return "key"
}
