package cookie

import (
	"strings"
	"sync"
	"time"

	"github.com/gobware/gobware/core"
)

// DefaultCacheSize is the number of sessions the cache holds when
// Options.CacheTTL is set and Options.CacheSize is not.
const DefaultCacheSize = 10000

// sessionCache remembers recently verified sessions, keyed by the whole
// cookie value, so that a hit skips the signature check, the hash and the
// store. It is bounded: when full, inserting drops an arbitrary entry.
//
// Invalidation is local: Logout, LogoutEverywhere, End and Login drop what
// they end. A session ended elsewhere (another server, or a direct store
// write) lives here until its entry is older than ttl, or until its idle
// deadline needs pushing back, whichever comes first: that is the
// staleness bound documented on Options.CacheTTL.
//
// Every invalidation bumps gen. An Authenticate that read the store before
// an invalidation cannot insert what it read afterwards: put refuses an
// entry read under an older generation, so a logout racing a request never
// leaves the ended session cached.
type sessionCache struct {
	ttl time.Duration
	max int

	mu      sync.RWMutex
	gen     uint64
	entries map[string]*cacheEntry // by cookie value; an entry never changes once put
	byHash  map[Hash]string        // cookie value of each cached hash
}

type cacheEntry struct {
	hash      Hash
	userID    string
	until     time.Time // the entry's own expiry: when it was cached plus ttl
	lastSeen  time.Time
	idleUntil time.Time
	expiresAt time.Time
	method    string
	authTime  time.Time
	attrs     core.Attributes // shared with every identity answered from the entry: read-only
}

func newSessionCache(ttl time.Duration, max int) *sessionCache {
	return &sessionCache{
		ttl:     ttl,
		max:     max,
		entries: make(map[string]*cacheEntry),
		byHash:  make(map[Hash]string),
	}
}

// get returns the identity of the session whose cookie value is v, if it
// is cached, its entry is fresh, the session is live at now by the
// deadlines last read, and its idle deadline does not yet need pushing
// back (which must go through the store).
func (c *sessionCache) get(v string, now time.Time, touch time.Duration) (core.Identity, bool) {
	c.mu.RLock()
	e, ok := c.entries[v]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) || !now.Before(e.idleUntil) || !now.Before(e.expiresAt) ||
		now.Sub(e.lastSeen) >= touch {
		return core.Identity{}, false
	}
	return core.Identity{
		UserID:     e.userID,
		Strategy:   StrategyName,
		Method:     e.method,
		AuthTime:   e.authTime,
		Expires:    earliest(e.idleUntil, e.expiresAt),
		Attributes: e.attrs,
	}, true
}

// generation returns the invalidation generation to pass to put.
func (c *sessionCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// put caches sess under cookie value v, unless an invalidation happened
// since gen was read.
func (c *sessionCache) put(v string, sess Session, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if old, ok := c.byHash[sess.Hash]; ok && old != v {
		delete(c.entries, old)
	}
	if _, ok := c.entries[v]; !ok {
		for k, e := range c.entries {
			if len(c.entries) < c.max {
				break
			}
			delete(c.entries, k)
			delete(c.byHash, e.hash)
		}
		v = strings.Clone(v) // own the key: v may share memory with a request
	}
	c.entries[v] = &cacheEntry{
		hash:      sess.Hash,
		userID:    sess.UserID,
		until:     now.Add(c.ttl),
		lastSeen:  sess.LastSeenAt,
		idleUntil: sess.IdleUntil,
		expiresAt: sess.ExpiresAt,
		method:    sess.Method,
		authTime:  sess.AuthTime,
		attrs:     sess.Attributes,
	}
	c.byHash[sess.Hash] = v
}

// remove drops the session with hash h.
func (c *sessionCache) remove(h Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if v, ok := c.byHash[h]; ok {
		delete(c.entries, v)
		delete(c.byHash, h)
	}
}

// removeUser drops every session of userID.
func (c *sessionCache) removeUser(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for v, e := range c.entries {
		if e.userID == userID {
			delete(c.entries, v)
			delete(c.byHash, e.hash)
		}
	}
}

// len returns the number of cached sessions.
func (c *sessionCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
