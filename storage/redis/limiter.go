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
//	limit:<hex SHA-256 of the limiter key>  hash: f (attempts), last (µs since the epoch), v (version)
//
// CompareAndSwap is one Lua script, so a counter changes only from the
// version the limiter read. A counter expires (Redis TTL) when the
// limiter's forget period has passed after its latest attempt; reads also
// compare with the caller's clock, in the Limiter, so tests can move time
// without sleeping. Counters written before versions existed have no v
// field and count as version 0.
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
	vals, err := s.client.HMGet(ctx, s.prefix+key, "f", "last", "v").Result()
	if err != nil {
		return limiter.Record{}, fmt.Errorf("redis: read login attempts: %w", classify(err))
	}
	if len(vals) != 3 || vals[0] == nil {
		return limiter.Record{}, nil
	}
	f, _ := vals[0].(string)
	last, _ := vals[1].(string)
	v, _ := vals[2].(string)
	if v == "" {
		v = "0"
	}
	return limiterRecord(f, last, v)
}

// swapScript replaces KEYS[1] when its version (v, "0" when missing) is
// ARGV[1]: with f=ARGV[2], last=ARGV[3] (µs), v=ARGV[4], expiring at
// ARGV[5] (ms); or deletes it when ARGV[2] is "0". It returns 1 when it
// swapped, else 0.
var swapScript = goredis.NewScript(`
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('HSET', KEYS[1], 'f', ARGV[2], 'last', ARGV[3], 'v', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
return 1
`)

// CompareAndSwap implements limiter.Store.
func (s *LimiterStore) CompareAndSwap(ctx context.Context, key string, old, next limiter.Record, expires time.Time) (bool, error) {
	ms := expires.UnixMicro() / 1000
	if expires.UnixMicro()%1000 > 0 {
		ms++ // round up: Redis must never drop a counter early
	}
	failures := max(next.Failures, 0)
	n, err := swapScript.Run(ctx, s.client, []string{s.prefix + key},
		strconv.FormatInt(old.Version, 10), strconv.Itoa(failures),
		next.Last.UnixMicro(), strconv.FormatInt(next.Version, 10), ms).Int()
	if err != nil {
		return false, fmt.Errorf("redis: count login attempt: %w", classify(err))
	}
	return n == 1, nil
}

// Reset implements limiter.Store.
func (s *LimiterStore) Reset(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.prefix+key).Err(); err != nil {
		return fmt.Errorf("redis: reset login attempts: %w", classify(err))
	}
	return nil
}

func limiterRecord(failures, last, version string) (limiter.Record, error) {
	f, ferr := strconv.Atoi(failures)
	us, lerr := strconv.ParseInt(last, 10, 64)
	v, verr := strconv.ParseInt(version, 10, 64)
	if err := errors.Join(ferr, lerr, verr); err != nil || f < 0 {
		return limiter.Record{}, fmt.Errorf("redis: login attempts: %w", ErrCorrupt)
	}
	return limiter.Record{Failures: f, Last: time.UnixMicro(us).UTC(), Version: v}, nil
}
