package passkey

import (
	"context"
	"sync"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
)

// DefaultMaxChallengesPerMinute is the default of
// Options.MaxChallengesPerMinute: far more than a person signing in, or an
// office behind one address, asks for, and few enough that one address
// cannot fill the challenge store.
const DefaultMaxChallengesPerMinute = 600

// perClient counts the challenges issued to each client address in the
// current minute. The counts start afresh each minute, so it holds one
// entry per address seen in the last minute at most.
type perClient struct {
	max    int
	mu     sync.Mutex
	start  time.Time // of the current minute
	counts map[string]int
}

// take counts one challenge for the client of ctx at now. When that client
// has had max this minute it counts nothing and returns how long until the
// next minute. A context without a client address (core.RequestInfo) is
// not bounded.
func (p *perClient) take(ctx context.Context, now time.Time) (wait time.Duration, ok bool) {
	info, _ := core.RequestInfoFrom(ctx)
	if info.ClientIP == "" {
		return 0, true
	}
	key := limiter.IP(info.ClientIP) // IPv6 by /64, as the login limiter counts
	p.mu.Lock()
	defer p.mu.Unlock()
	if end := p.start.Add(time.Minute); !now.Before(end) || now.Before(p.start) {
		p.start, p.counts = now, make(map[string]int)
	}
	if p.counts[key] >= p.max {
		return p.start.Add(time.Minute).Sub(now), false
	}
	p.counts[key]++
	return 0, true
}
