package redis

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/strategy/jwt"
)

// RefreshStore is a jwt.RefreshStore in Redis. It is safe for concurrent
// use, by any number of processes sharing one Redis.
//
// Keys, after the prefix:
//
//	rt:<hex SHA-256 of the token>  hash: fam, user, iat, exp, used
//	rf:<family>                    hash: user, exp, revoked
//	ru:<user ID>                   set of the user's families
//
// Revocation is a flag on the family, so revoking reaches every token of
// it, including one a concurrent rotation is storing. Rotation is one Lua
// script: Redis runs scripts one at a time, so of concurrent rotations of
// one token exactly one wins. Every key expires (Redis TTL) with its
// family; Rotate also compares the family's end with the caller's clock.
type RefreshStore struct {
	client goredis.UniversalClient
	prefix string
}

// NewRefreshStore returns a refresh-token store on client. It does not
// contact Redis.
func NewRefreshStore(client goredis.UniversalClient, opts Options) (*RefreshStore, error) {
	if err := checkClient(client); err != nil {
		return nil, err
	}
	return &RefreshStore{client: client, prefix: opts.prefix()}, nil
}

func (s *RefreshStore) tokenKey(h jwt.Hash) string {
	return s.prefix + "rt:" + hex.EncodeToString(h[:])
}
func (s *RefreshStore) familyPrefix() string       { return s.prefix + "rf:" }
func (s *RefreshStore) userKey(user string) string { return s.prefix + "ru:" + user }

var createToken = goredis.NewScript(extendIndex + `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'fam', ARGV[1], 'user', ARGV[2], 'iat', ARGV[3], 'exp', ARGV[4], 'used', ARGV[5])
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[2], 'user', ARGV[2], 'exp', ARGV[4], 'revoked', ARGV[6])
  redis.call('PEXPIREAT', KEYS[2], ARGV[7])
elseif ARGV[6] == '1' then
  redis.call('HSET', KEYS[2], 'revoked', '1')
end
redis.call('SADD', KEYS[3], ARGV[1])
extend(KEYS[3], ARGV[7])
return 1
`)

// Create implements jwt.RefreshStore. A duplicate hash is ErrDuplicate.
func (s *RefreshStore) Create(ctx context.Context, t jwt.RefreshToken) error {
	revoked := "0"
	if t.Revoked {
		revoked = "1"
	}
	n, err := createToken.Run(ctx, s.client,
		[]string{s.tokenKey(t.Hash), s.familyPrefix() + t.Family, s.userKey(t.UserID)},
		t.Family, t.UserID, micros(t.IssuedAt), micros(t.ExpiresAt), micros(t.UsedAt), revoked, expireAt(t.ExpiresAt),
	).Int()
	switch {
	case err != nil:
		return fmt.Errorf("redis: create refresh token: %w", classify(err))
	case n == 0:
		return fmt.Errorf("redis: create refresh token: %w", ErrDuplicate)
	}
	return nil
}

// readToken is shared by the scripts: the token's fields and its family's
// revoked flag ('1', '0', or false when the family key is gone, which
// counts as revoked).
const readToken = `
local function read(key, famPrefix)
  local t = redis.call('HMGET', key, 'fam', 'user', 'iat', 'exp', 'used')
  if not t[1] then return nil end
  t[6] = redis.call('HGET', famPrefix .. t[1], 'revoked') or '1'
  return t
end
`

var rotateToken = goredis.NewScript(readToken + `
local t = read(KEYS[1], ARGV[2])
if not t then return {'notfound'} end
local state = 'ok'
if t[6] ~= '0' then state = 'revoked'
elseif tonumber(ARGV[1]) >= tonumber(t[4]) then state = 'expired'
elseif t[5] ~= '' then state = 'reused'
elseif redis.call('EXISTS', KEYS[2]) == 1 then state = 'duplicate'
end
if state ~= 'ok' then return {state, t[1], t[2], t[3], t[4], t[5], t[6]} end
redis.call('HSET', KEYS[1], 'used', ARGV[1])
redis.call('HSET', KEYS[2], 'fam', t[1], 'user', t[2], 'iat', ARGV[1], 'exp', t[4], 'used', '')
redis.call('PEXPIREAT', KEYS[2], string.format('%.0f', math.ceil(tonumber(t[4]) / 1000)))
return {state, t[1], t[2], ARGV[1], t[4], '', '0'}
`)

// Rotate implements jwt.RefreshStore.
func (s *RefreshStore) Rotate(ctx context.Context, old, next jwt.Hash, now time.Time) (jwt.RefreshToken, error) {
	res, err := rotateToken.Run(ctx, s.client, []string{s.tokenKey(old), s.tokenKey(next)},
		micros(now), s.familyPrefix()).StringSlice()
	if err != nil {
		return jwt.RefreshToken{}, fmt.Errorf("redis: rotate refresh token: %w", classify(err))
	}
	if len(res) == 1 && res[0] == "notfound" {
		return jwt.RefreshToken{}, jwt.ErrNotFound
	}
	if len(res) != 7 {
		return jwt.RefreshToken{}, fmt.Errorf("redis: rotate refresh token: %w", ErrCorrupt)
	}
	h := old
	if res[0] == "ok" {
		h = next
	}
	tok, err := decodeToken(h, res[1:])
	if err != nil {
		return jwt.RefreshToken{}, fmt.Errorf("redis: rotate refresh token: %w", err)
	}
	switch res[0] {
	case "ok":
		return tok, nil
	case "revoked":
		return tok, jwt.ErrRevoked
	case "expired":
		return tok, jwt.ErrExpired
	case "reused":
		return tok, jwt.ErrReused
	case "duplicate":
		return jwt.RefreshToken{}, fmt.Errorf("redis: rotate refresh token: %w", ErrDuplicate)
	}
	return jwt.RefreshToken{}, fmt.Errorf("redis: rotate refresh token: %w", ErrCorrupt)
}

// decodeToken reads fam, user, iat, exp, used, revoked.
func decodeToken(h jwt.Hash, f []string) (jwt.RefreshToken, error) {
	t := jwt.RefreshToken{Hash: h, Family: f[0], UserID: f[1], Revoked: f[5] != "0"}
	var err error
	for i, dst := range []*time.Time{&t.IssuedAt, &t.ExpiresAt, &t.UsedAt} {
		if *dst, err = parseMicros(f[2+i]); err != nil {
			return jwt.RefreshToken{}, err
		}
	}
	if t.Family == "" || t.ExpiresAt.IsZero() {
		return jwt.RefreshToken{}, ErrCorrupt
	}
	return t, nil
}

var findToken = goredis.NewScript(readToken + `
local t = read(KEYS[1], ARGV[1])
if not t then return {} end
return t
`)

// Find implements jwt.RefreshStore.
func (s *RefreshStore) Find(ctx context.Context, h jwt.Hash) (jwt.RefreshToken, error) {
	res, err := findToken.Run(ctx, s.client, []string{s.tokenKey(h)}, s.familyPrefix()).StringSlice()
	switch {
	case err != nil:
		return jwt.RefreshToken{}, fmt.Errorf("redis: find refresh token: %w", classify(err))
	case len(res) == 0:
		return jwt.RefreshToken{}, jwt.ErrNotFound
	case len(res) != 6:
		return jwt.RefreshToken{}, fmt.Errorf("redis: find refresh token: %w", ErrCorrupt)
	}
	tok, err := decodeToken(h, res)
	if err != nil {
		return jwt.RefreshToken{}, fmt.Errorf("redis: find refresh token: %w", err)
	}
	return tok, nil
}

var revokeFamily = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'revoked', '1') end
return 0
`)

// RevokeFamily implements jwt.RefreshStore.
func (s *RefreshStore) RevokeFamily(ctx context.Context, family string) error {
	if err := revokeFamily.Run(ctx, s.client, []string{s.familyPrefix() + family}).Err(); err != nil && !errNil(err) {
		return fmt.Errorf("redis: revoke refresh family: %w", classify(err))
	}
	return nil
}

var revokeUser = goredis.NewScript(`
for _, f in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. f
  if redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, 'revoked', '1')
  else
    redis.call('SREM', KEYS[1], f)
  end
end
return 0
`)

// RevokeUser implements jwt.RefreshStore, reading the user's families from
// the per-user index: no key scan.
func (s *RefreshStore) RevokeUser(ctx context.Context, userID string) error {
	if err := revokeUser.Run(ctx, s.client, []string{s.userKey(userID)}, s.familyPrefix()).Err(); err != nil && !errNil(err) {
		return fmt.Errorf("redis: revoke user refresh tokens: %w", classify(err))
	}
	return nil
}
