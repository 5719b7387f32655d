package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/limiter"
)

// LimiterStore is a limiter.Store in Redis, so that every server pointed
// at one Redis shares the login limits. It is safe for concurrent use by
// any number of processes.
//
// Keys, after the prefix:
//
//	limit:<hex SHA-256 of the limiter key>  hash: f (failures), last (µs since the epoch)
//
// Fail is one Lua script, so concurrent failures are each counted once.
// A counter expires (Redis TTL) when the limiter's forget period has passed
// after its latest failure; reads also compare with the caller's clock, in
// the Limiter, so tests can move time without sleeping.
type LimiterStore struct {
	client goredis.UniversalClient
	prefix string
}

// NewLimiterStore returns a limiter store on client. It does not contact
// Redis.
func NewLimiterStore(client goredis.UniversalClient, opts Options) (*LimiterStore, error) {
	if client == nil {
		return nil, ErrNilClient
	}
	return &LimiterStore{client: client, prefix: opts.prefix() + "limit:"}, nil
}

// Get implements limiter.Store.
func (s *LimiterStore) Get(ctx context.Context, key string) (limiter.Record, error) {
	vals, err := s.client.HMGet(ctx, s.prefix+key, "f", "last").Result()
	if err != nil {
		return limiter.Record{}, fmt.Errorf("redis: read login failures: %w", classify(err))
	}
	if len(vals) != 2 || vals[0] == nil {
		return limiter.Record{}, nil
	}
	f, _ := vals[0].(string)
	last, _ := vals[1].(string)
	return limiterRecord(f, last)
}

// failScript counts one failure of KEYS[1] at ARGV[1] (µs), starting
// afresh when the latest failure is at or before ARGV[2] (µs); the key
// expires at ARGV[3] (ms) unless a later failure is already recorded.
// Times are compared as Lua numbers (doubles, exact below 2^53 µs, the
// year 2255) but returned as the stored strings.
var failScript = goredis.NewScript(`
local f = tonumber(redis.call('HGET', KEYS[1], 'f') or '0')
local last = redis.call('HGET', KEYS[1], 'last') or '0'
if tonumber(last) <= tonumber(ARGV[2]) then f = 0 end
f = f + 1
if tonumber(ARGV[1]) > tonumber(last) then
  last = ARGV[1]
  redis.call('HSET', KEYS[1], 'f', f, 'last', last)
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
else
  redis.call('HSET', KEYS[1], 'f', f)
end
return {tostring(f), last}
`)

// Fail implements limiter.Store.
func (s *LimiterStore) Fail(ctx context.Context, key string, at time.Time, forget time.Duration) (limiter.Record, error) {
	expires := at.Add(forget)
	ms := expires.UnixMicro() / 1000
	if expires.UnixMicro()%1000 > 0 {
		ms++ // round up: Redis must never drop a counter early
	}
	res, err := failScript.Run(ctx, s.client, []string{s.prefix + key},
		at.UnixMicro(), at.Add(-forget).UnixMicro(), ms).StringSlice()
	if err != nil {
		return limiter.Record{}, fmt.Errorf("redis: count login failure: %w", classify(err))
	}
	if len(res) != 2 {
		return limiter.Record{}, fmt.Errorf("redis: count login failure: %w", ErrCorrupt)
	}
	return limiterRecord(res[0], res[1])
}

// Reset implements limiter.Store.
func (s *LimiterStore) Reset(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.prefix+key).Err(); err != nil {
		return fmt.Errorf("redis: reset login failures: %w", classify(err))
	}
	return nil
}

func limiterRecord(failures, last string) (limiter.Record, error) {
	f, ferr := strconv.Atoi(failures)
	us, lerr := strconv.ParseInt(last, 10, 64)
	if err := errors.Join(ferr, lerr); err != nil || f < 0 {
		return limiter.Record{}, fmt.Errorf("redis: login failures: %w", ErrCorrupt)
	}
	return limiter.Record{Failures: f, Last: time.UnixMicro(us).UTC()}, nil
}
