package limiter

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
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

	// DeviceFree is Free for the device keys of Devices: the allowance of
	// a browser that signed in to the account before. Default (0): Free.
	DeviceFree int

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
	store                 Store
	free, ipFree, devFree int
	backoff, max, forget  time.Duration
	now                   func() time.Time
	events                core.EventFunc
	salt                  [16]byte
}

// New returns a Limiter with opts, or an error wrapping ErrBadOption.
func New(opts Options) (*Limiter, error) {
	l := &Limiter{
		store:   opts.Store,
		free:    opts.Free,
		ipFree:  opts.IPFree,
		devFree: opts.DeviceFree,
		backoff: opts.Backoff,
		max:     opts.MaxBackoff,
		forget:  opts.Forget,
		now:     opts.Now,
		events:  opts.Events,
	}
	if l.free < 0 || l.ipFree < 0 || l.devFree < 0 || l.backoff < 0 || l.max < 0 || l.forget < 0 {
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
	if l.devFree == 0 {
		l.devFree = l.free
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

// Reserve counts one attempt against every key before the caller checks
// the password, and returns the Reservation the caller settles once it
// knows the outcome: Succeeded gives the attempt back, Failed keeps it. An
// attempt that is never settled stays counted, as a failure.
//
// Each key is looked at first: when one must still wait, Reserve counts
// nothing and returns a *LimitedError (matching ErrLimited) with the
// longest wait among keys, and reports core.EventRateLimited. Otherwise it
// counts the attempt key by key, each with one atomic compare-and-swap on
// the store, re-reading and re-deciding when another request (or server)
// wrote in between; if a key turns out to have to wait after all, the keys
// already counted are given back and the attempt is refused. So however
// many attempts arrive at once, on however many servers sharing the store,
// a key lets through exactly as many as one client trying in sequence
// would get: its free failures, then one per backoff window.
//
// A store failure is returned as an error (wrapping the store's) and the
// caller must refuse the attempt: the limiter never fails open. Empty and
// repeated keys are ignored.
func (l *Limiter) Reserve(ctx context.Context, keys ...string) (*Reservation, error) {
	now := l.now().UTC().Truncate(time.Microsecond) // what every store keeps
	res := &Reservation{l: l, at: now}
	keys = uniqueKeys(keys)
	recs := make([]Record, len(keys))
	// Look before writing: a refused attempt costs the store no write and
	// leaves no count behind, whatever the key order.
	var wait time.Duration
	var waiter string
	for i, key := range keys {
		rec, err := l.store.Get(ctx, storeKey(key))
		if err != nil {
			return nil, fmt.Errorf("limiter: reserve: %w", err)
		}
		recs[i] = rec
		if w := l.remaining(key, rec, now); w > wait {
			wait, waiter = w, key
		}
	}
	for i := 0; wait <= 0 && i < len(keys); i++ {
		h, w, err := l.take(ctx, keys[i], recs[i], now)
		if err != nil {
			res.giveBack(context.WithoutCancel(ctx))
			return nil, err
		}
		if w > 0 {
			wait, waiter = w, keys[i]
			break
		}
		res.held = append(res.held, h)
	}
	if wait > 0 {
		// Another request took the last allowance meanwhile.
		if err := res.giveBack(context.WithoutCancel(ctx)); err != nil {
			return nil, err
		}
		l.events(ctx, core.Event{Type: core.EventRateLimited, Ref: l.ref(waiter), Reason: kind(waiter)})
		return nil, &LimitedError{Wait: wait}
	}
	return res, nil
}

// maxSwaps bounds the compare-and-swap retries of one key. Every retry means
// another writer succeeded, so it is only reached under a flood, which the
// caller then refuses.
const maxSwaps = 1000

// take counts one attempt against key at now, starting from rec, unless
// key must wait; then it returns the wait and counts nothing.
func (l *Limiter) take(ctx context.Context, key string, rec Record, now time.Time) (held, time.Duration, error) {
	sk := storeKey(key)
	for range maxSwaps {
		if w := l.remaining(key, rec, now); w > 0 {
			return held{}, w, nil
		}
		next := Record{Failures: 1, Last: now, Version: newVersion()}
		if !l.forgotten(rec, now) {
			next.Failures = rec.Failures + 1
			if rec.Last.After(now) { // another server's clock is ahead
				next.Last = rec.Last
			}
		}
		ok, err := l.store.CompareAndSwap(ctx, sk, rec, next, next.Last.Add(l.forget))
		if err != nil {
			return held{}, 0, fmt.Errorf("limiter: reserve: %w", err)
		}
		if ok {
			return held{key: key, prev: rec, version: next.Version}, 0, nil
		}
		if rec, err = l.store.Get(ctx, sk); err != nil {
			return held{}, 0, fmt.Errorf("limiter: reserve: %w", err)
		}
	}
	return held{}, 0, fmt.Errorf("limiter: reserve: %w", ErrContention)
}

// Reservation is one attempt counted by Reserve, to be settled with
// Succeeded or Failed once the password has been checked. Settle it with a
// context that is not cancelled when the client goes away
// (context.WithoutCancel), so that a disconnect cannot undo the settling.
// Only the first settling call has an effect. It is safe for concurrent use.
type Reservation struct {
	l       *Limiter
	at      time.Time
	held    []held
	mu      sync.Mutex
	settled bool
}

// held is one key a Reservation counted an attempt against.
type held struct {
	key     string
	prev    Record // the record before the attempt was counted
	version int64  // the Version the attempt was counted with
}

// Succeeded settles a correct attempt. Account and device keys start
// afresh (their records are deleted). Address keys only get this one
// attempt back, so that logging in to one's own account never clears the
// count of an address that is guessing at others. A store failure is
// returned; the attempt then stays counted.
func (r *Reservation) Succeeded(ctx context.Context) error {
	if !r.settle() {
		return nil
	}
	var errs []error
	for _, h := range r.held {
		if strings.HasPrefix(h.key, ipPrefix) {
			errs = append(errs, r.l.giveBack(ctx, h))
			continue
		}
		if err := r.l.store.Reset(ctx, storeKey(h.key)); err != nil {
			errs = append(errs, fmt.Errorf("limiter: reset: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Failed settles a wrong attempt: the count Reserve took stays, and
// core.EventLoginFailed is reported. It makes no store call.
func (r *Reservation) Failed(ctx context.Context) {
	if !r.settle() || len(r.held) == 0 {
		return
	}
	first := r.held[0].key
	r.l.events(ctx, core.Event{Type: core.EventLoginFailed, Ref: r.l.ref(first), Reason: kind(first)})
}

// settle reports whether this is the first settling call.
func (r *Reservation) settle() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	first := !r.settled
	r.settled = true
	return first
}

// giveBack undoes the attempts of every key held, as if Reserve had not
// been called, for a reservation that is refused half-way.
func (r *Reservation) giveBack(ctx context.Context) error {
	var errs []error
	for _, h := range r.held {
		errs = append(errs, r.l.giveBack(ctx, h))
	}
	r.held = nil
	return errors.Join(errs...)
}

// giveBack removes the attempt h counted. When nothing was written to the
// key since, its record becomes exactly what it was before; otherwise one
// attempt is taken off the count and Last stays, since a later attempt set
// it. A key reset or forgotten meanwhile has nothing to give back.
func (l *Limiter) giveBack(ctx context.Context, h held) error {
	sk := storeKey(h.key)
	now := l.now().UTC()
	for range maxSwaps {
		rec, err := l.store.Get(ctx, sk)
		if err != nil {
			return fmt.Errorf("limiter: give back: %w", err)
		}
		if rec.Failures == 0 || l.forgotten(rec, now) {
			return nil
		}
		next := rec
		next.Failures--
		if rec.Version == h.version {
			next = h.prev
			if l.forgotten(next, now) {
				next = Record{}
			}
		}
		if next.Failures > 0 {
			next.Version = newVersion()
		}
		ok, err := l.store.CompareAndSwap(ctx, sk, rec, next, next.Last.Add(l.forget))
		if err != nil {
			return fmt.Errorf("limiter: give back: %w", err)
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("limiter: give back: %w", ErrContention)
}

// Backoff returns the wait imposed on key after failures failures in a row:
// 0 while they are free (Free; IPFree for keys made by IP, DeviceFree for
// device keys), then Backoff, doubling with each failure up to MaxBackoff.
// It is the policy Reserve applies, exposed for documentation and tests.
func (l *Limiter) Backoff(key string, failures int) time.Duration {
	free := l.free
	switch {
	case strings.HasPrefix(key, ipPrefix):
		free = l.ipFree
	case strings.HasPrefix(key, devicePrefix):
		free = l.devFree
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
	if l.forgotten(rec, now) {
		return 0
	}
	return rec.Last.Add(l.Backoff(key, rec.Failures)).Sub(now)
}

// forgotten reports whether rec counts as empty at now: no failures, or
// none within the forget period.
func (l *Limiter) forgotten(rec Record, now time.Time) bool {
	return rec.Failures <= 0 || !rec.Last.After(now.Add(-l.forget))
}

// uniqueKeys returns keys without empty and repeated ones, in order.
func uniqueKeys(keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// newVersion returns a random non-zero Record.Version.
func newVersion() int64 { return mrand.Int64N(math.MaxInt64) + 1 }

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
