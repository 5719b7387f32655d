package redis

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// errBadCap is returned by SessionStore.CreateCapped for a cap below 1.
var errBadCap = fmt.Errorf("%w: session cap must be at least 1", ErrBadOption)

// errContention is returned by SessionStore.CreateCapped when the user's
// index kept changing under it for capAttempts tries.
var errContention = errors.New("redis: the user's session index changed on every try")

const (
	// capAttempts bounds the optimistic retries of one capped login.
	capAttempts = 100
	// pendingGrace is how long after its creation time a pending session
	// (written, not yet live) still counts against the cap. A pending one
	// older than that was left by a login that died half-way; the next
	// capped login of the user deletes it, so it can never become live.
	pendingGrace = time.Minute
	// flagged is the index score of a session a capped login has chosen to
	// end: it no longer counts, and is deleted before that login's own
	// session goes live, or by the next capped login if that one died.
	flagged = -1
)

// CreateCapped implements cookie.Capper: it creates the session and ends
// the user's oldest live sessions beyond max, so concurrent logins on any
// number of servers sharing Redis never leave more than max live. A
// duplicate hash is ErrDuplicate and ends nothing.
//
// The choice is made in the user's slot, under WATCH of the user's index
// (optimistic: a try whose index changed meanwhile starts again): the new
// session is indexed and the sessions to end are flagged in one MULTI.
// Only once the flagged sessions are deleted does the new one go live. The
// package documentation argues why that keeps the cap.
func (s *SessionStore) CreateCapped(ctx context.Context, sess cookie.Session, max int) ([]cookie.Hash, error) {
	if max < 1 {
		return nil, errBadCap
	}
	if err := s.reserve(ctx, sess); err != nil {
		return nil, fmt.Errorf("redis: create capped session: %w", err)
	}
	index := s.userKey(sess.UserID)
	var plan capPlan
	var err error
	for range capAttempts {
		plan, err = s.planCap(ctx, index, sess, max)
		if !errors.Is(err, goredis.TxFailedErr) {
			break
		}
	}
	switch {
	case errors.Is(err, goredis.TxFailedErr):
		return nil, fmt.Errorf("redis: create capped session: %w: %w", core.ErrUnavailable, errContention)
	case err != nil:
		return nil, fmt.Errorf("redis: create capped session: %w", classify(err))
	}
	if _, err := s.end(ctx, index, sess.UserID, append(plan.victims, plan.leftovers...)); err != nil {
		return nil, fmt.Errorf("redis: create capped session: %w", err)
	}
	if err := s.activate(ctx, sess.Hash); err != nil {
		return nil, fmt.Errorf("redis: create capped session: %w", err)
	}
	ended := make([]cookie.Hash, len(plan.victims))
	for i, m := range plan.victims {
		decodeMember(&ended[i], m)
	}
	return ended, nil
}

// capPlan is what one capped login decided: victims, the sessions it ends
// (oldest first, reported to the caller), and leftovers, sessions flagged
// by a login that died before deleting them, or pending ones past
// pendingGrace (ended, not reported).
type capPlan struct {
	victims, leftovers []string
}

// capFields are read from every session of the index to judge it.
var capFields = []string{"user", "puser", "created", "idle", "exp", "from", "rsv"}

// planCap is one optimistic try: it reads the index under WATCH and every
// session it lists, then, in one MULTI that fails if the index changed,
// adds the new session and flags the victims.
func (s *SessionStore) planCap(ctx context.Context, index string, sess cookie.Session, max int) (capPlan, error) {
	var plan capPlan
	member := hex.EncodeToString(sess.Hash[:])
	now := sess.CreatedAt
	err := s.client.Watch(ctx, func(tx *goredis.Tx) error {
		plan = capPlan{}
		zs, err := tx.ZRangeWithScores(ctx, index, 0, -1).Result()
		if err != nil {
			return err
		}
		type candidate struct {
			member  string
			hash    cookie.Hash
			created time.Time
		}
		var live []candidate
		var gone []any
		if len(zs) > 0 {
			cmds := make([]*goredis.SliceCmd, len(zs))
			pipe := s.client.Pipeline()
			for i, z := range zs {
				m, _ := z.Member.(string)
				cmds[i] = pipe.HMGet(ctx, s.sessionPrefix()+m, capFields...)
			}
			if _, err := pipe.Exec(ctx); err != nil {
				return err
			}
			for i, z := range zs {
				m, _ := z.Member.(string)
				var h cookie.Hash
				if m == member {
					continue
				}
				if !decodeMember(&h, m) {
					return ErrCorrupt
				}
				if z.Score == flagged {
					plan.leftovers = append(plan.leftovers, m)
					continue
				}
				v := cmds[i].Val()
				str := make([]string, len(capFields))
				for j := range v {
					str[j], _ = v[j].(string)
				}
				user, puser := str[0], str[1]
				if user == "" && puser == "" {
					gone = append(gone, m) // expired or deleted: never live again
					continue
				}
				if user != sess.UserID && puser != sess.UserID {
					continue // not this user's session
				}
				created, err1 := parseMicros(str[2])
				idle, err2 := parseMicros(str[3])
				exp, err3 := parseMicros(str[4])
				if err := errors.Join(err1, err2, err3); err != nil {
					return ErrCorrupt
				}
				if !now.Before(idle) || !now.Before(exp) {
					continue // dead; Redis drops it at its TTL
				}
				if user == "" && str[5] != "" {
					// A rotation's successor, pending: its predecessor
					// counts, and may be ended, in its place. One older
					// than pendingGrace was left by a rotation that died.
					rsv, err := parseMicros(str[6])
					if err != nil {
						return ErrCorrupt
					}
					if rsv.Add(pendingGrace).Before(now) {
						plan.leftovers = append(plan.leftovers, m)
					}
					continue
				}
				if user == "" && created.Add(pendingGrace).Before(now) {
					plan.leftovers = append(plan.leftovers, m) // a login that died half-way
					continue
				}
				live = append(live, candidate{member: m, hash: h, created: created})
			}
		}
		if len(live) >= max {
			slices.SortFunc(live, func(a, b candidate) int {
				return cmp.Or(b.created.Compare(a.created), bytes.Compare(a.hash[:], b.hash[:]))
			})
			for i := len(live) - 1; i >= max-1; i-- {
				plan.victims = append(plan.victims, live[i].member)
			}
		}
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			indexSession.Eval(ctx, p, []string{index}, micros(sess.CreatedAt), member, expireAt(sess.ExpiresAt))
			for _, m := range plan.victims {
				p.ZAddXX(ctx, index, goredis.Z{Score: flagged, Member: m})
			}
			if len(gone) > 0 {
				p.ZRem(ctx, index, gone...)
			}
			return nil
		})
		return err
	}, index)
	return plan, err
}
