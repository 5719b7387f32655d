package jwt

import (
	"strings"
	"sync"
)

// tokenCache remembers the claims of verified access tokens, keyed by the
// whole token, so that a token seen again skips decryption and claims
// parsing. Only tokens that passed every check are put in it.
//
// It is bounded by two generations of at most max/2 entries each: entries
// go into the current one; when it is full it becomes the previous one
// and the old previous one is dropped. A hit in the previous generation
// moves the entry to the current one, so tokens in use survive and the
// least recently used go first, at a constant cost per operation.
type tokenCache struct {
	half     int
	keepPrev bool // false for a size of 1, which has no room for two generations

	mu   sync.RWMutex
	cur  map[string]*Claims // pointers: a hit copies the claims once, outside the lock
	prev map[string]*Claims
}

func newTokenCache(size int) *tokenCache {
	half := max(size/2, 1)
	return &tokenCache{half: half, keepPrev: size >= 2, cur: make(map[string]*Claims, half)}
}

// get returns the claims of token if it is cached. The caller re-checks
// times and revocation.
func (c *tokenCache) get(token string) (*Claims, bool) {
	c.mu.RLock()
	claims, ok := c.cur[token]
	if !ok && c.prev != nil {
		claims, ok = c.prev[token]
		c.mu.RUnlock()
		if ok {
			c.put(token, claims)
		}
		return claims, ok
	}
	c.mu.RUnlock()
	return claims, ok
}

// put caches the claims of a verified token. They must not change after.
func (c *tokenCache) put(token string, claims *Claims) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cur[token]; ok {
		return
	}
	if c.prev != nil {
		if _, ok := c.prev[token]; ok {
			delete(c.prev, token)
		} else {
			token = strings.Clone(token) // own the key: token may share memory with a request
		}
	} else {
		token = strings.Clone(token)
	}
	if len(c.cur) >= c.half {
		old := c.cur
		c.cur, c.prev = make(map[string]*Claims, c.half), nil
		if c.keepPrev {
			c.prev = old
		}
	}
	c.cur[token] = claims
}

// len returns the number of cached tokens.
func (c *tokenCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.cur) + len(c.prev)
}
