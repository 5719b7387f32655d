package redis

import (
	"cmp"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/internal/errclass"
)

// DefaultPrefix starts every key when Options.Prefix is empty.
const DefaultPrefix = "gobware:"

// Options configures the stores. The zero value is ready to use.
type Options struct {
	// Prefix starts every key a store reads or writes. Default
	// DefaultPrefix. Applications (and tests) sharing one Redis database
	// give each its own prefix. On Redis Cluster, leave hash tags ("{…}")
	// out of it, so that keys spread over the slots: no store needs two
	// keys in one slot (see the package documentation).
	Prefix string

	// Now is the clock RevocationList and ChallengeStore use to skip
	// entries that have already lapsed. Default time.Now. The session and
	// refresh-token stores take the time from their callers instead.
	Now func() time.Time
}

// ErrNilClient is returned by the constructors when given a nil client. It
// wraps ErrBadOption.
var ErrNilClient = errclass.New(ErrBadOption, "redis: nil client")

func (o Options) prefix() string { return cmp.Or(o.Prefix, DefaultPrefix) }

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func checkClient(c goredis.UniversalClient) error {
	if c == nil {
		return ErrNilClient
	}
	return nil
}

// Times are stored as decimal microseconds since the Unix epoch, the
// precision the SQL stores keep too; the zero time is stored as "".
func micros(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMicro(), 10)
}

func parseMicros(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, ErrCorrupt
	}
	return time.UnixMicro(n).UTC(), nil
}

// expireAt is the Unix millisecond at which a key holding something dead
// at t may go: t rounded up, so Redis never drops it early. Reads still
// compare against the caller's clock, so expiry is exact.
func expireAt(t time.Time) string {
	ms := t.UnixMicro() / 1000
	if t.UnixMicro()%1000 > 0 {
		ms++
	}
	return strconv.FormatInt(ms, 10)
}
