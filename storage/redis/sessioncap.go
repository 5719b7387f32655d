package redis

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/strategy/cookie"
)

// errBadCap is returned by SessionStore.CreateCapped for a cap below 1.
var errBadCap = errors.New("redis: session cap must be at least 1")

// createCappedSession is createSession followed by the trim of the user's
// index: the other members whose session is live at the new session's
// creation time are sorted newest first (creation time, then hash
// ascending: List's order) and those beyond the first max-1 are deleted,
// key and index member alike. Members whose key has expired are dropped
// from the index on the way. It answers {0} for a duplicate hash, else
// {1, ended members oldest first}.
var createCappedSession = goredis.NewScript(extendIndex + `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'created', ARGV[2], 'seen', ARGV[3],
  'idle', ARGV[4], 'exp', ARGV[5], 'ua', ARGV[6], 'ip', ARGV[7])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[9])
extend(KEYS[2], ARGV[10])

local now, max, prefix = tonumber(ARGV[2]), tonumber(ARGV[11]), ARGV[12]
local live = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if m ~= ARGV[9] then
    local v = redis.call('HMGET', prefix .. m, 'user', 'created', 'idle', 'exp')
    if not v[1] then
      redis.call('ZREM', KEYS[2], m)
    elseif v[1] == ARGV[1] and tonumber(v[3]) > now and tonumber(v[4]) > now then
      table.insert(live, {m, tonumber(v[2])})
    end
  end
end
local out = {1}
if #live < max then return out end
table.sort(live, function(a, b)
  if a[2] ~= b[2] then return a[2] > b[2] end
  return a[1] < b[1]
end)
for i = #live, max, -1 do
  redis.call('DEL', prefix .. live[i][1])
  redis.call('ZREM', KEYS[2], live[i][1])
  table.insert(out, live[i][1])
end
return out
`)

// CreateCapped implements cookie.Capper: one Lua script creates the session
// and ends the user's oldest live sessions beyond max, so concurrent logins
// on any number of servers sharing Redis never leave more than max live. A
// duplicate hash is ErrDuplicate and ends nothing.
func (s *SessionStore) CreateCapped(ctx context.Context, sess cookie.Session, max int) ([]cookie.Hash, error) {
	if max < 1 {
		return nil, errBadCap
	}
	member := hex.EncodeToString(sess.Hash[:])
	res, err := createCappedSession.Run(ctx, s.client, []string{s.key(sess.Hash), s.userPrefix() + sess.UserID},
		sess.UserID, micros(sess.CreatedAt), micros(sess.LastSeenAt), micros(sess.IdleUntil), micros(sess.ExpiresAt),
		sess.UserAgent, sess.IP, expireAt(earlier(sess.IdleUntil, sess.ExpiresAt)), member, expireAt(sess.ExpiresAt),
		max, s.sessionPrefix(),
	).Slice()
	if err != nil {
		return nil, fmt.Errorf("redis: create capped session: %w", classify(err))
	}
	if len(res) == 0 || res[0] != int64(1) {
		return nil, fmt.Errorf("redis: create capped session: %w", ErrDuplicate)
	}
	var ended []cookie.Hash
	for _, v := range res[1:] {
		m, ok := v.(string)
		var h cookie.Hash
		if n, err := hex.Decode(h[:], []byte(m)); !ok || err != nil || n != len(h) || len(m) != 2*n {
			return nil, fmt.Errorf("redis: create capped session: %w", ErrCorrupt)
		}
		ended = append(ended, h)
	}
	return ended, nil
}
