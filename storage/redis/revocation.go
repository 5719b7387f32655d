package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// RevocationList is a jwt.RevocationList in Redis: one key per revoked jti
// ("jti:<jti>" after the prefix) that expires when the access token it
// names does. Revoked is one EXISTS. It is safe for concurrent use, by any
// number of processes sharing one Redis.
type RevocationList struct {
	client goredis.UniversalClient
	prefix string
	now    func() time.Time
}

// NewRevocationList returns a revocation list on client, using opts.Now as
// its clock. It does not contact Redis.
func NewRevocationList(client goredis.UniversalClient, opts Options) (*RevocationList, error) {
	if err := checkClient(client); err != nil {
		return nil, err
	}
	return &RevocationList{client: client, prefix: opts.prefix() + "jti:", now: opts.now}, nil
}

var revoke = goredis.NewScript(`
if redis.call('SET', KEYS[1], '1', 'PXAT', ARGV[1], 'NX') then return 1 end
redis.call('PEXPIREAT', KEYS[1], ARGV[1], 'GT')
return 0
`)

// Revoke implements jwt.RevocationList. An entry that has already lapsed
// at the list's clock is not written; revoking a listed jti again keeps
// the later of the two ends.
func (l *RevocationList) Revoke(ctx context.Context, jti string, until time.Time) error {
	if jti == "" {
		return errors.New("redis: empty jti")
	}
	if !l.now().Before(until) {
		return nil
	}
	if err := revoke.Run(ctx, l.client, []string{l.prefix + jti}, expireAt(until)).Err(); err != nil && !errNil(err) {
		return fmt.Errorf("redis: revoke access token: %w", classify(err))
	}
	return nil
}

// Revoked implements jwt.RevocationList.
func (l *RevocationList) Revoked(ctx context.Context, jti string) (bool, error) {
	n, err := l.client.Exists(ctx, l.prefix+jti).Result()
	if err != nil {
		return false, fmt.Errorf("redis: check access token revocation: %w", classify(err))
	}
	return n == 1, nil
}

// WatermarkStore is a jwt.WatermarkStore in Redis: one key per subject
// ("wm:<subject>" after the prefix) holding the watermark in microseconds,
// expiring when the last access token it concerns does. Raise is one
// script that keeps the later watermark; Watermarks one pipeline of GETs
// (each subject's key lives in a slot of its own). It is safe
// for concurrent use, by any number of processes sharing one Redis.
type WatermarkStore struct {
	client goredis.UniversalClient
	prefix string
}

// NewWatermarkStore returns a watermark store on client. It does not
// contact Redis.
func NewWatermarkStore(client goredis.UniversalClient, opts Options) (*WatermarkStore, error) {
	if err := checkClient(client); err != nil {
		return nil, err
	}
	return &WatermarkStore{client: client, prefix: opts.prefix() + "wm:"}, nil
}

var raiseWatermark = goredis.NewScript(extendIndex + `
local cur = redis.call('GET', KEYS[1])
if not cur or tonumber(ARGV[1]) > tonumber(cur) then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
end
extend(KEYS[1], ARGV[2])
return 0
`)

// Raise implements jwt.WatermarkStore.
func (s *WatermarkStore) Raise(ctx context.Context, subject string, at, until time.Time) error {
	if subject == "" {
		return errors.New("redis: empty watermark subject")
	}
	err := raiseWatermark.Run(ctx, s.client, []string{s.prefix + subject}, micros(at), expireAt(until)).Err()
	if err != nil && !errNil(err) {
		return fmt.Errorf("redis: raise revocation watermark: %w", classify(err))
	}
	return nil
}

// Watermarks implements jwt.WatermarkStore.
func (s *WatermarkStore) Watermarks(ctx context.Context, subjects []string) ([]time.Time, error) {
	out := make([]time.Time, len(subjects))
	if len(subjects) == 0 {
		return out, nil
	}
	// One GET per subject in one pipeline: the subjects' keys live in
	// slots of their own, which one MGET cannot span on Redis Cluster.
	cmds := make([]*goredis.StringCmd, len(subjects))
	pipe := s.client.Pipeline()
	for i, sub := range subjects {
		cmds[i] = pipe.Get(ctx, s.prefix+sub)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errNil(err) {
		return nil, fmt.Errorf("redis: read revocation watermarks: %w", classify(err))
	}
	for i, cmd := range cmds {
		str, err := cmd.Result()
		if errNil(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("redis: read revocation watermarks: %w", classify(err))
		}
		if out[i], err = parseMicros(str); err != nil {
			return nil, fmt.Errorf("redis: read revocation watermarks: %w", err)
		}
	}
	return out, nil
}
