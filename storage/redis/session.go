package redis

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/strategy/cookie"
)

// SessionStore is a cookie.Store in Redis. It is safe for concurrent use,
// by any number of processes sharing one Redis.
//
// Keys, after the prefix:
//
//	s:<hex SHA-256 of the ID>  hash: user, created, seen, idle, exp, ua, ip
//	u:<user ID>                sorted set of the user's session hashes, by creation
//
// A session key expires (Redis TTL) at the earlier of its idle and absolute
// deadlines, and Touch moves it; Find and List also compare the deadlines
// with the caller's clock, so expiry is exact whatever Redis's clock says.
// The per-user index makes List and DeleteUser cost one key per session of
// that user, with no key scan; it expires with the user's last session, and
// members whose session has expired are dropped as List meets them.
// Writes that touch both keys run as Lua scripts, so they are atomic; that
// includes CreateCapped (cookie.Capper, for cookie.Options.MaxSessionsPerUser),
// which creates a session and ends the user's oldest beyond the cap in one
// script.
type SessionStore struct {
	client goredis.UniversalClient
	prefix string
}

// NewSessionStore returns a session store on client. It does not contact
// Redis.
func NewSessionStore(client goredis.UniversalClient, opts Options) (*SessionStore, error) {
	if err := checkClient(client); err != nil {
		return nil, err
	}
	return &SessionStore{client: client, prefix: opts.prefix()}, nil
}

func (s *SessionStore) sessionPrefix() string { return s.prefix + "s:" }
func (s *SessionStore) userPrefix() string    { return s.prefix + "u:" }

func (s *SessionStore) key(h cookie.Hash) string {
	return s.sessionPrefix() + hex.EncodeToString(h[:])
}

// extendIndex gives the index key KEYS[2] an expiry no earlier than
// ARGV[n]: GT alone would never set one on a key without expiry.
const extendIndex = `
local function extend(key, at)
  if redis.call('PTTL', key) == -1 then
    redis.call('PEXPIREAT', key, at)
  else
    redis.call('PEXPIREAT', key, at, 'GT')
  end
end
`

var createSession = goredis.NewScript(extendIndex + `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'created', ARGV[2], 'seen', ARGV[3],
  'idle', ARGV[4], 'exp', ARGV[5], 'ua', ARGV[6], 'ip', ARGV[7])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[9])
extend(KEYS[2], ARGV[10])
return 1
`)

// Create implements cookie.Store. A duplicate hash is ErrDuplicate.
func (s *SessionStore) Create(ctx context.Context, sess cookie.Session) error {
	member := hex.EncodeToString(sess.Hash[:])
	n, err := createSession.Run(ctx, s.client, []string{s.key(sess.Hash), s.userPrefix() + sess.UserID},
		sess.UserID, micros(sess.CreatedAt), micros(sess.LastSeenAt), micros(sess.IdleUntil), micros(sess.ExpiresAt),
		sess.UserAgent, sess.IP, expireAt(earlier(sess.IdleUntil, sess.ExpiresAt)), member, expireAt(sess.ExpiresAt),
	).Int()
	switch {
	case err != nil:
		return fmt.Errorf("redis: create session: %w", classify(err))
	case n == 0:
		return fmt.Errorf("redis: create session: %w", ErrDuplicate)
	}
	return nil
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

var sessionFields = []string{"user", "created", "seen", "idle", "exp", "ua", "ip"}

// Find implements cookie.Store.
func (s *SessionStore) Find(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	vals, err := s.client.HMGet(ctx, s.key(h), sessionFields...).Result()
	if err != nil {
		return cookie.Session{}, fmt.Errorf("redis: find session: %w", classify(err))
	}
	sess, ok, err := decodeSession(h, vals)
	switch {
	case err != nil:
		return cookie.Session{}, fmt.Errorf("redis: find session: %w", err)
	case !ok || !sess.Live(now):
		return cookie.Session{}, cookie.ErrNotFound
	}
	return sess, nil
}

// decodeSession reads the HMGET answer for sessionFields; ok is false when
// the key does not exist.
func decodeSession(h cookie.Hash, vals []any) (sess cookie.Session, ok bool, err error) {
	if len(vals) != len(sessionFields) || vals[0] == nil {
		return cookie.Session{}, false, nil
	}
	str := make([]string, len(vals))
	for i, v := range vals {
		x, isStr := v.(string)
		if !isStr {
			return cookie.Session{}, false, ErrCorrupt
		}
		str[i] = x
	}
	sess = cookie.Session{Hash: h, UserID: str[0], UserAgent: str[5], IP: str[6]}
	for i, dst := range []*time.Time{&sess.CreatedAt, &sess.LastSeenAt, &sess.IdleUntil, &sess.ExpiresAt} {
		if *dst, err = parseMicros(str[1+i]); err != nil || dst.IsZero() {
			return cookie.Session{}, false, ErrCorrupt
		}
	}
	return sess, true, nil
}

var touchSession = goredis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'idle', 'exp')
if not v[1] or not v[2] then return 0 end
local seen = tonumber(ARGV[1])
if tonumber(v[1]) <= seen or tonumber(v[2]) <= seen then return 0 end
redis.call('HSET', KEYS[1], 'seen', ARGV[1], 'idle', ARGV[2])
local dl = math.min(tonumber(ARGV[2]), tonumber(v[2]))
redis.call('PEXPIREAT', KEYS[1], string.format('%.0f', math.ceil(dl / 1000)))
return 1
`)

// Touch implements cookie.Store. A session that is missing or already dead
// at seen is left alone, so a late Touch cannot revive it, and a Touch
// racing a Delete never recreates the key.
func (s *SessionStore) Touch(ctx context.Context, h cookie.Hash, seen, idleUntil time.Time) error {
	if err := touchSession.Run(ctx, s.client, []string{s.key(h)}, micros(seen), micros(idleUntil)).Err(); err != nil {
		return fmt.Errorf("redis: touch session: %w", classify(err))
	}
	return nil
}

var deleteSession = goredis.NewScript(`
local u = redis.call('HGET', KEYS[1], 'user')
if not u then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[1] .. u, ARGV[2])
return 1
`)

// Delete implements cookie.Store.
func (s *SessionStore) Delete(ctx context.Context, h cookie.Hash) error {
	err := deleteSession.Run(ctx, s.client, []string{s.key(h)}, s.userPrefix(), hex.EncodeToString(h[:])).Err()
	if err != nil {
		return fmt.Errorf("redis: delete session: %w", classify(err))
	}
	return nil
}

var deleteUser = goredis.NewScript(`
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local n = 0
for _, m in ipairs(members) do
  n = n + redis.call('DEL', ARGV[1] .. m)
end
redis.call('DEL', KEYS[1])
return n
`)

// DeleteUser implements cookie.Store. Sessions whose Redis TTL has run out
// are gone already and are not counted.
func (s *SessionStore) DeleteUser(ctx context.Context, userID string) (int, error) {
	n, err := deleteUser.Run(ctx, s.client, []string{s.userPrefix() + userID}, s.sessionPrefix()).Int()
	if err != nil {
		return 0, fmt.Errorf("redis: delete user sessions: %w", classify(err))
	}
	return n, nil
}

// List implements cookie.Store: two round trips whatever the number of
// sessions (the index, then every session in one pipeline).
func (s *SessionStore) List(ctx context.Context, userID string, now time.Time) ([]cookie.Session, error) {
	index := s.userPrefix() + userID
	members, err := s.client.ZRange(ctx, index, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: list sessions: %w", classify(err))
	}
	if len(members) == 0 {
		return nil, nil
	}
	hashes := make([]cookie.Hash, len(members))
	cmds := make([]*goredis.SliceCmd, len(members))
	pipe := s.client.Pipeline()
	for i, m := range members {
		if n, err := hex.Decode(hashes[i][:], []byte(m)); err != nil || n != len(hashes[i]) || len(m) != 2*n {
			return nil, fmt.Errorf("redis: list sessions: %w", ErrCorrupt)
		}
		cmds[i] = pipe.HMGet(ctx, s.sessionPrefix()+m, sessionFields...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("redis: list sessions: %w", classify(err))
	}
	var out []cookie.Session
	var gone []any
	for i, cmd := range cmds {
		sess, ok, err := decodeSession(hashes[i], cmd.Val())
		switch {
		case err != nil:
			return nil, fmt.Errorf("redis: list sessions: %w", err)
		case !ok:
			gone = append(gone, members[i])
		case sess.Live(now) && sess.UserID == userID:
			out = append(out, sess)
		}
	}
	if len(gone) > 0 {
		// The sessions expired by TTL: drop them from the index. A
		// failure only leaves the index a little larger.
		_ = s.client.ZRem(ctx, index, gone...).Err()
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return bytes.Compare(out[i].Hash[:], out[j].Hash[:]) < 0
	})
	return out, nil
}

// errNil reports a goredis.Nil; kept in one place so no store mistakes it
// for an outage.
func errNil(err error) bool { return errors.Is(err, goredis.Nil) }
