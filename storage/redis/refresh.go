package redis

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// RefreshStore is a refresh.Store in Redis. It is safe for concurrent
// use, by any number of processes sharing one Redis.
//
// Keys, after the prefix:
//
//	rf:<family>   hash: user, gen, cur, prev, rot, iat, exp, revoked,
//	              method, auth, attrs (JSON): what the login recorded
//	ru:<user ID>  set of the user's families
//
// One hash per family, whatever the number of rotations: cur and prev are
// the hex SHA-256 of the current token and of the one spent last, never a
// token. Rotation is one Lua script: Redis runs scripts one at a time, so
// of concurrent rotations of one token exactly one wins; revocation is a
// flag on the family. Every key expires (Redis TTL) with its family;
// Rotate also compares the family's end with the caller's clock.
//
// Earlier versions kept one "rt:<hex SHA-256>" hash per token (fam, user,
// iat, exp, used) besides a family hash without gen and cur. Those keys are
// read, never written: a family of that layout is converted in place by the
// first rotation of its unspent token, and a spent one is reuse
// (FindLegacy). They expire with their families.
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

func (s *RefreshStore) familyKey(id string) string { return s.prefix + "rf:" + id }
func (s *RefreshStore) userKey(user string) string { return s.prefix + "ru:" + user }
func (s *RefreshStore) legacyKey(h refresh.Hash) string {
	return s.prefix + "rt:" + hex.EncodeToString(h[:])
}

// reserveFamily writes a pending family: every field, the user under
// puser, so that Find and Rotate do not see it yet. It answers 0, writing
// nothing, when the key exists.
var reserveFamily = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'puser', ARGV[1], 'gen', ARGV[2], 'cur', ARGV[3], 'prev', ARGV[4], 'rot', ARGV[5],
  'iat', ARGV[6], 'exp', ARGV[7], 'revoked', ARGV[8], 'method', ARGV[10], 'auth', ARGV[11], 'attrs', ARGV[12])
redis.call('PEXPIREAT', KEYS[1], ARGV[9])
return 1
`)

// indexFamily adds family ARGV[1] to the user's set KEYS[1], kept until
// ARGV[2] at least.
var indexFamily = goredis.NewScript(extendIndex + `
redis.call('SADD', KEYS[1], ARGV[1])
extend(KEYS[1], ARGV[2])
return 1
`)

// activateFamily makes a pending family live, keeping a revocation that
// reached it while pending.
var activateFamily = goredis.NewScript(`
local u = redis.call('HGET', KEYS[1], 'puser')
if not u then return 0 end
redis.call('HSET', KEYS[1], 'user', u)
redis.call('HDEL', KEYS[1], 'puser')
return 1
`)

func hashHex(h refresh.Hash) string {
	if h == (refresh.Hash{}) {
		return ""
	}
	return hex.EncodeToString(h[:])
}

// Create implements refresh.Store. A duplicate ID is ErrDuplicate. It
// writes the family pending, adds it to the user's set in the user's slot,
// then makes it live: three round trips, each atomic on one key.
func (s *RefreshStore) Create(ctx context.Context, f refresh.Family) error {
	revoked := "0"
	if f.Revoked {
		revoked = "1"
	}
	attrs := ""
	if len(f.Attributes) > 0 {
		if err := f.Attributes.Check(); err != nil {
			return fmt.Errorf("redis: create refresh family: %w", err)
		}
		b, err := json.Marshal(f.Attributes)
		if err != nil {
			return fmt.Errorf("redis: create refresh family: %w", err)
		}
		attrs = string(b)
	}
	key := s.familyKey(f.ID)
	n, err := reserveFamily.Run(ctx, s.client, []string{key},
		f.UserID, strconv.FormatUint(f.Generation, 10), hashHex(f.Current), hashHex(f.Previous), micros(f.RotatedAt),
		micros(f.CreatedAt), micros(f.ExpiresAt), revoked, expireAt(f.ExpiresAt),
		f.Method, micros(f.AuthTime), attrs,
	).Int()
	switch {
	case err != nil:
		return fmt.Errorf("redis: create refresh family: %w", classify(err))
	case n == 0:
		return fmt.Errorf("redis: create refresh family: %w", ErrDuplicate)
	}
	if err := indexFamily.Run(ctx, s.client, []string{s.userKey(f.UserID)}, f.ID, expireAt(f.ExpiresAt)).Err(); err != nil {
		return fmt.Errorf("redis: create refresh family: %w", classify(err))
	}
	if err := activateFamily.Run(ctx, s.client, []string{key}).Err(); err != nil {
		return fmt.Errorf("redis: create refresh family: %w", classify(err))
	}
	return nil
}

// readFamily is shared by the scripts: the family's fields in the order
// decodeFamily reads them, or nil. A family of the earlier layouts has no
// gen, cur, prev, rot nor iat, or no method, auth and attrs.
const readFamily = `
local function read(key)
  local f = redis.call('HMGET', key, 'user', 'gen', 'cur', 'prev', 'rot', 'iat', 'exp', 'revoked', 'method', 'auth', 'attrs')
  if not f[1] then return nil end
  for i = 2, 11 do f[i] = f[i] or '' end
  return f
end
`

var rotateFamily = goredis.NewScript(readFamily + `
local f = read(KEYS[1])
if not f then return {'notfound'} end
if f[2] == '' then
  -- The earlier layout: its unspent token, and only that, becomes
  -- generation 0. ARGV[5] says whether the caller found the token's own
  -- key (another slot; never written since) naming this family, unspent.
  if ARGV[5] ~= '1' then return {'legacy'} end
  if ARGV[1] ~= '0' then return {'notfound'} end
  f[2], f[3] = '0', ARGV[2]
  redis.call('HSET', KEYS[1], 'gen', '0', 'cur', ARGV[2], 'prev', '', 'rot', '', 'iat', f[6])
end
local state = 'ok'
if f[8] ~= '0' then state = 'revoked'
elseif tonumber(ARGV[4]) >= tonumber(f[7]) then state = 'expired'
elseif #ARGV[1] < #f[2] or (#ARGV[1] == #f[2] and ARGV[1] < f[2]) then state = 'reused'
elseif ARGV[1] ~= f[2] or ARGV[2] ~= f[3] then return {'notfound'}
end
if state == 'ok' then
  f[2], f[3], f[4], f[5] = ARGV[6], ARGV[3], ARGV[2], ARGV[4]
  redis.call('HSET', KEYS[1], 'gen', f[2], 'cur', f[3], 'prev', f[4], 'rot', f[5])
end
return {state, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]}
`)

// Rotate implements refresh.Store.
func (s *RefreshStore) Rotate(ctx context.Context, id string, gen uint64, old, next refresh.Hash, now time.Time) (refresh.Family, error) {
	rotate := func(legacy string) ([]string, error) {
		return rotateFamily.Run(ctx, s.client, []string{s.familyKey(id)},
			strconv.FormatUint(gen, 10), hashHex(old), hashHex(next), micros(now), legacy, strconv.FormatUint(gen+1, 10)).StringSlice()
	}
	res, err := rotate("0")
	if err == nil && len(res) == 1 && res[0] == "legacy" {
		// A family of the earlier layout: its token's own key lives in
		// another slot, so it is read first, then the family converted
		// by a script that checks again that it has not been meanwhile.
		var t []any
		if t, err = s.client.HMGet(ctx, s.legacyKey(old), "fam", "used").Result(); err == nil {
			fam, _ := t[0].(string)
			used, isStr := t[1].(string)
			if fam != id || !isStr || used != "" {
				return refresh.Family{}, refresh.ErrNotFound
			}
			res, err = rotate("1")
		}
	}
	if err != nil {
		return refresh.Family{}, fmt.Errorf("redis: rotate refresh token: %w", classify(err))
	}
	if len(res) == 1 && (res[0] == "notfound" || res[0] == "legacy") {
		return refresh.Family{}, refresh.ErrNotFound
	}
	if len(res) != 1+familyFields {
		return refresh.Family{}, fmt.Errorf("redis: rotate refresh token: %w", ErrCorrupt)
	}
	f, err := decodeFamily(id, res[1:])
	if err != nil {
		return refresh.Family{}, fmt.Errorf("redis: rotate refresh token: %w", err)
	}
	switch res[0] {
	case "ok":
		return f, nil
	case "revoked":
		return f, refresh.ErrRevoked
	case "expired":
		return f, refresh.ErrExpired
	case "reused":
		return f, refresh.ErrReused
	}
	return refresh.Family{}, fmt.Errorf("redis: rotate refresh token: %w", ErrCorrupt)
}

// familyFields is the number of fields readFamily answers.
const familyFields = 11

// decodeFamily reads user, gen, cur, prev, rot, iat, exp, revoked, method,
// auth, attrs.
func decodeFamily(id string, v []string) (refresh.Family, error) {
	f := refresh.Family{ID: id, UserID: v[0], Revoked: v[7] != "0", Method: v[8]}
	var err error
	if v[1] != "" {
		if f.Generation, err = strconv.ParseUint(v[1], 10, 64); err != nil {
			return refresh.Family{}, ErrCorrupt
		}
	}
	for i, dst := range []*refresh.Hash{&f.Current, &f.Previous} {
		if v[2+i] == "" {
			continue
		}
		if n, err := hex.Decode(dst[:], []byte(v[2+i])); err != nil || n != len(dst) {
			return refresh.Family{}, ErrCorrupt
		}
	}
	for i, dst := range []*time.Time{&f.RotatedAt, &f.CreatedAt, &f.ExpiresAt} {
		if *dst, err = parseMicros(v[4+i]); err != nil {
			return refresh.Family{}, err
		}
	}
	if f.ExpiresAt.IsZero() {
		return refresh.Family{}, ErrCorrupt
	}
	if f.AuthTime, err = parseMicros(v[9]); err != nil {
		return refresh.Family{}, err
	}
	if v[10] != "" {
		if err := json.Unmarshal([]byte(v[10]), &f.Attributes); err != nil {
			return refresh.Family{}, ErrCorrupt
		}
	}
	return f, nil
}

var findFamily = goredis.NewScript(readFamily + `
local f = read(KEYS[1])
if not f then return {} end
return f
`)

// Find implements refresh.Store.
func (s *RefreshStore) Find(ctx context.Context, id string) (refresh.Family, error) {
	res, err := findFamily.Run(ctx, s.client, []string{s.familyKey(id)}).StringSlice()
	switch {
	case err != nil:
		return refresh.Family{}, fmt.Errorf("redis: find refresh family: %w", classify(err))
	case len(res) == 0:
		return refresh.Family{}, refresh.ErrNotFound
	case len(res) != familyFields:
		return refresh.Family{}, fmt.Errorf("redis: find refresh family: %w", ErrCorrupt)
	}
	f, err := decodeFamily(id, res)
	if err != nil {
		return refresh.Family{}, fmt.Errorf("redis: find refresh family: %w", err)
	}
	return f, nil
}

// FindLegacy implements refresh.LegacyStore for tokens stored by earlier
// versions (see RefreshStore).
func (s *RefreshStore) FindLegacy(ctx context.Context, h refresh.Hash) (refresh.Family, bool, error) {
	v, err := s.client.HMGet(ctx, s.legacyKey(h), "fam", "used").Result()
	if err != nil {
		return refresh.Family{}, false, fmt.Errorf("redis: find earlier refresh token: %w", classify(err))
	}
	fam, ok := v[0].(string)
	if !ok {
		return refresh.Family{}, false, refresh.ErrNotFound
	}
	used, _ := v[1].(string)
	f, err := s.Find(ctx, fam)
	if err != nil {
		return refresh.Family{}, false, err
	}
	return f, used == "", nil
}

// revokeFamily flags KEYS[1], live or pending, as revoked; it answers 0
// when the key does not exist.
var revokeFamily = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'revoked', '1')
return 1
`)

// RevokeFamily implements refresh.Store.
func (s *RefreshStore) RevokeFamily(ctx context.Context, id string) error {
	if err := revokeFamily.Run(ctx, s.client, []string{s.familyKey(id)}).Err(); err != nil && !errNil(err) {
		return fmt.Errorf("redis: revoke refresh family: %w", classify(err))
	}
	return nil
}

// RevokeUser implements refresh.Store, reading the user's families from
// the per-user set (no key scan), then flagging each family in its own
// slot (pending ones too, so that a family created while this runs is born
// revoked or comes after it), then dropping from the set the families
// whose key is gone: a missing key never becomes a family again.
func (s *RefreshStore) RevokeUser(ctx context.Context, userID string) error {
	index := s.userKey(userID)
	fams, err := s.client.SMembers(ctx, index).Result()
	if err != nil {
		return fmt.Errorf("redis: revoke user refresh tokens: %w", classify(err))
	}
	if len(fams) == 0 {
		return nil
	}
	cmds := make([]*goredis.Cmd, len(fams))
	pipe := s.client.Pipeline()
	for i, f := range fams {
		cmds[i] = revokeFamily.Eval(ctx, pipe, []string{s.familyKey(f)})
	}
	_, execErr := pipe.Exec(ctx)
	var gone []any
	for i, cmd := range cmds {
		if n, err := cmd.Int(); err == nil && n == 0 {
			gone = append(gone, fams[i])
		}
	}
	var remErr error
	if len(gone) > 0 {
		remErr = s.client.SRem(ctx, index, gone...).Err()
	}
	if err := errors.Join(execErr, remErr); err != nil {
		return fmt.Errorf("redis: revoke user refresh tokens: %w", classify(err))
	}
	return nil
}
