package redis

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/strategy/cookie"
)

// errRotateRing is returned by SessionStore.Rotate on a goredis.Ring,
// whose shards are chosen by consistent hashing: two keys cannot be made
// to share one, so no script can swap a session atomically.
var errRotateRing = fmt.Errorf("%w: updating a session (cookie.Strategy.Update) needs one Redis or a Redis Cluster, not a goredis.Ring", ErrBadOption)

// errNotColocated is returned by SessionStore.Rotate for a new hash that
// Colocated refuses: cookie.Strategy.Update never passes one.
var errNotColocated = fmt.Errorf("%w: the new session's key is not in the old one's hash slot (see Colocated)", ErrBadOption)

// Colocated implements cookie.Colocator: on Redis Cluster, the keys of old
// and new must hash to one slot, so that Rotate's script may touch both.
// cookie.Strategy.Update draws new session IDs until they do (about 16384
// draws of a SHA-256 each, a few milliseconds, once per update). On one
// Redis any hash will do.
func (s *SessionStore) Colocated(old, new cookie.Hash) bool {
	switch s.client.(type) {
	case *goredis.Client, *goredis.Ring:
		return true // Rotate refuses a Ring at once
	}
	return keySlot(s.key(old)) == keySlot(s.key(new))
}

// reserveSuccessor writes the pending successor of a rotation: every field
// of the session, the user under puser, and from (the hex hash of the
// session it replaces) and rsv (when it was reserved), so that a capped
// login neither counts it (its predecessor counts) nor ends it, unless it
// is older than pendingGrace (a rotation that died half-way). It answers
// 0, writing nothing, when the key exists.
var reserveSuccessor = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'puser', ARGV[1], 'created', ARGV[2], 'seen', ARGV[3],
  'idle', ARGV[4], 'exp', ARGV[5], 'ua', ARGV[6], 'ip', ARGV[7],
  'method', ARGV[9], 'auth', ARGV[10], 'attrs', ARGV[11], 'persist', ARGV[12],
  'from', ARGV[13], 'rsv', ARGV[14])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
return 1
`)

// swapSession makes the pending successor KEYS[2] live and turns the
// session KEYS[1] into a moved marker, in one step, if KEYS[1] is a live
// session of user ARGV[1] at ARGV[2] and KEYS[2] is still its pending
// successor (from = ARGV[4]). The marker (moved: the successor's hex hash
// ARGV[3], muser: the user) is no session to any read; it tells
// DeleteUser, which may have read the user's index before the successor
// was in it, where the session went. It answers 1 on success; otherwise it
// deletes the successor, if still pending, and answers 0.
var swapSession = goredis.NewScript(`
local o = redis.call('HMGET', KEYS[1], 'user', 'idle', 'exp')
local n = redis.call('HMGET', KEYS[2], 'puser', 'from')
local now = tonumber(ARGV[2])
local ours = n[1] == ARGV[1] and n[2] == ARGV[4]
if not ours or o[1] ~= ARGV[1] or not o[2] or not o[3] or tonumber(o[2]) <= now or tonumber(o[3]) <= now then
  if ours then redis.call('DEL', KEYS[2]) end
  return 0
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 60000 then ttl = 60000 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'moved', ARGV[3], 'muser', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('HSET', KEYS[2], 'user', ARGV[1])
redis.call('HDEL', KEYS[2], 'puser', 'from', 'rsv')
return 1
`)

// Rotate implements cookie.Rotator. The new session's key shares the old
// one's slot (Colocated), so one script swaps them atomically: at no
// instant does any reader find both live, or neither; of concurrent
// rotations of one session, the script of exactly one finds the old
// session live.
//
// Four steps, each atomic on its keys, ordered as Create's are so that any
// prefix of them (what a crash leaves) is harmless: the new session is
// written pending in the old one's slot; it is added to the user's index;
// the swap makes it live and leaves a moved marker under the old hash;
// the old member leaves the index. A log out everywhere that read the
// index before the new member was in it finds the marker and follows it.
// A listing (List) is not one snapshot, so while a rotation runs it may
// show the session under either hash, both or neither; Find never does.
func (s *SessionStore) Rotate(ctx context.Context, old cookie.Hash, next cookie.Session, now time.Time) error {
	if _, ring := s.client.(*goredis.Ring); ring {
		return errRotateRing
	}
	if !s.Colocated(old, next.Hash) {
		return errNotColocated
	}
	carried, err := carriedFields(next)
	if err != nil {
		return fmt.Errorf("redis: rotate session: %w", err)
	}
	oldMember, member := hex.EncodeToString(old[:]), hex.EncodeToString(next.Hash[:])
	n, err := reserveSuccessor.Run(ctx, s.client, []string{s.key(next.Hash)}, append(append([]any{
		next.UserID, micros(next.CreatedAt), micros(next.LastSeenAt), micros(next.IdleUntil), micros(next.ExpiresAt),
		next.UserAgent, next.IP, expireAt(earlier(next.IdleUntil, next.ExpiresAt))}, carried...), oldMember, micros(now))...,
	).Int()
	switch {
	case err != nil:
		return fmt.Errorf("redis: rotate session: %w", classify(err))
	case n == 0:
		return fmt.Errorf("redis: rotate session: %w", ErrDuplicate)
	}
	index := s.userKey(next.UserID)
	if err := indexSession.Run(ctx, s.client, []string{index}, micros(next.CreatedAt), member, expireAt(next.ExpiresAt)).Err(); err != nil {
		return fmt.Errorf("redis: rotate session: %w", classify(err))
	}
	swapped, err := swapSession.Run(ctx, s.client, []string{s.key(old), s.key(next.Hash)},
		next.UserID, micros(now), member, oldMember).Int()
	switch {
	case err != nil:
		return fmt.Errorf("redis: rotate session: %w", classify(err))
	case swapped == 0:
		// The member of the successor, whose key is gone, is dropped by
		// the next List or capped login.
		return cookie.ErrNotFound
	}
	// The old key is a marker now, which no read takes for a session; a
	// failure here only leaves the index a member List drops.
	_ = s.client.ZRem(ctx, index, oldMember).Err()
	return nil
}

// keySlot is Redis Cluster's hash slot of key: CRC16 (XMODEM) of the key,
// or of its hash tag (the part between the first "{" and the next "}",
// when not empty), modulo 16384.
func keySlot(key string) uint16 {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	var crc uint16
	for k := 0; k < len(key); k++ {
		crc ^= uint16(key[k]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc % 16384
}

// endMoved is the prefix of endSession's answer for a moved marker: the
// rest is the hex hash of the session it moved to.
const endMoved = "moved:"

// followMoved ends, for end, the sessions that the markers it deleted
// point to (a rotation finished after the index was read), and those
// their own markers point to, and returns how many live ones it ended.
func (s *SessionStore) followMoved(ctx context.Context, user string, next []string) (int, error) {
	n := 0
	for len(next) > 0 {
		pipe := s.client.Pipeline()
		cmds := make([]*goredis.Cmd, len(next))
		for i, m := range next {
			cmds[i] = endSession.Eval(ctx, pipe, []string{s.sessionPrefix() + m}, user)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return n, err
		}
		next = next[:0:0]
		for _, cmd := range cmds {
			switch v := cmd.Val().(type) {
			case int64:
				if v == 1 {
					n++
				}
			case string:
				if m, ok := strings.CutPrefix(v, endMoved); ok {
					next = append(next, m)
				}
			default:
				return n, errors.Join(cmd.Err(), ErrCorrupt)
			}
		}
	}
	return n, nil
}
