package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

func newSessionStore(t *testing.T, r testRedis) *redisstore.SessionStore {
	t.Helper()
	st, err := redisstore.NewSessionStore(r.client, r.opts)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func randomHash(t *testing.T) cookie.Hash {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return cookie.HashID(hex.EncodeToString(b[:]))
}

func liveSession(t *testing.T, user string, now time.Time) cookie.Session {
	return cookie.Session{Hash: randomHash(t), UserID: user, CreatedAt: now, LastSeenAt: now,
		IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(24 * time.Hour)}
}

// 10,000 sessions of 1,000 users land on every shard of a 3-node cluster,
// none holding more than 40% of them: no key shares a slot it does not
// need to share.
func TestSessionsSpreadOverTheShards(t *testing.T) {
	r := newClusterRedis(t)
	cc := r.client.(*goredis.ClusterClient)
	ctx := t.Context()
	st := newSessionStore(t, r)
	now := time.Now().UTC().Truncate(time.Millisecond)
	const users, perUser = 1000, 10
	var wg sync.WaitGroup
	errs := make(chan error, users)
	work := make(chan int)
	for range 16 {
		wg.Go(func() {
			for u := range work {
				for range perUser {
					if err := st.Create(ctx, liveSession(t, fmt.Sprintf("user-%d", u), now)); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	for u := range users {
		work <- u
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	perNode := map[string][2]int{} // sessions, user indexes
	err := cc.ForEachMaster(ctx, func(ctx context.Context, node *goredis.Client) error {
		keys, err := node.Keys(ctx, r.opts.Prefix+"*").Result()
		var n [2]int
		for _, k := range keys {
			switch {
			case strings.HasPrefix(k, r.opts.Prefix+"s:"):
				n[0]++
			case strings.HasPrefix(k, r.opts.Prefix+"u:"):
				n[1]++
			}
		}
		mu.Lock()
		defer mu.Unlock()
		perNode[node.Options().Addr] = n
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(perNode) < 3 {
		t.Fatalf("the cluster has %d masters; want 3", len(perNode))
	}
	var total [2]int
	for _, n := range perNode {
		total[0], total[1] = total[0]+n[0], total[1]+n[1]
	}
	if total != [2]int{users * perUser, users} {
		t.Fatalf("%d session keys and %d user indexes; want %d and %d", total[0], total[1], users*perUser, users)
	}
	for addr, n := range perNode {
		t.Logf("%s: %d sessions (%.1f%%), %d user indexes", addr, n[0], 100*float64(n[0])/float64(total[0]), n[1])
		for i, what := range []string{"sessions", "user indexes"} {
			if share := float64(n[i]) / float64(total[i]); share > 0.40 || share == 0 {
				t.Errorf("%s holds %.1f%% of the %s; want some, and at most 40%%", addr, 100*share, what)
			}
		}
	}
}

// Log out everywhere racing logins, 100 rounds: every session that existed
// before the logout began is gone, and every session still live is in the
// user's index.
func TestLogOutEverywhereRacingLogins(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		st := newSessionStore(t, r)
		now := time.Now().UTC().Truncate(time.Millisecond)
		for round := range 100 {
			user := fmt.Sprintf("racer-%d", round)
			var before []cookie.Session
			for range 3 {
				s := liveSession(t, user, now)
				if err := st.Create(ctx, s); err != nil {
					t.Fatal(err)
				}
				before = append(before, s)
			}
			logins := make([]cookie.Session, 8)
			for i := range logins {
				logins[i] = liveSession(t, user, now)
			}
			var wg sync.WaitGroup
			errs := make([]error, len(logins)+1)
			start := make(chan struct{})
			wg.Go(func() { <-start; _, errs[len(logins)] = st.DeleteUser(ctx, user) })
			for i, s := range logins {
				wg.Go(func() { <-start; errs[i] = st.Create(ctx, s) })
			}
			close(start)
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			for _, s := range before {
				if _, err := st.Find(ctx, s.Hash, now); !errors.Is(err, cookie.ErrNotFound) {
					t.Fatalf("round %d: a session from before the logout: Find = %v; want ErrNotFound", round, err)
				}
			}
			listed, err := st.List(ctx, user, now)
			if err != nil {
				t.Fatal(err)
			}
			inIndex := map[cookie.Hash]bool{}
			for _, s := range listed {
				inIndex[s.Hash] = true
			}
			for i, s := range logins {
				_, err := st.Find(ctx, s.Hash, now)
				switch {
				case err == nil && !inIndex[s.Hash]:
					t.Fatalf("round %d: login %d is live but missing from the user's index", round, i)
				case err != nil && !errors.Is(err, cookie.ErrNotFound):
					t.Fatal(err)
				}
			}
			// And log out everywhere still reaches every one of them.
			if _, err := st.DeleteUser(ctx, user); err != nil {
				t.Fatal(err)
			}
			for i, s := range logins {
				if _, err := st.Find(ctx, s.Hash, now); !errors.Is(err, cookie.ErrNotFound) {
					t.Fatalf("round %d: login %d survived a second DeleteUser: %v", round, i, err)
				}
			}
		}
	})
}

// Concurrent refreshes of one token, on any number of servers: exactly one
// wins, whichever shard the family lives on.
func TestConcurrentRefreshesOfOneTokenHaveOneWinner(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		stores := make([]*redisstore.RefreshStore, 4)
		for i := range stores {
			c := r.client
			if i > 0 {
				c = r.second()
			}
			var err error
			if stores[i], err = redisstore.NewRefreshStore(c, r.opts); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		for round := range 50 {
			old := jwt.HashToken(fmt.Sprintf("token-%d-%s", round, t.Name()))
			f := jwt.Family{ID: fmt.Sprintf("fam-%d", round), UserID: "alice", Current: old, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
			if err := stores[0].Create(ctx, f); err != nil {
				t.Fatal(err)
			}
			var wins atomic.Int32
			var wg sync.WaitGroup
			for i := range 16 {
				wg.Go(func() {
					_, err := stores[i%len(stores)].Rotate(ctx, f.ID, 0, old, jwt.HashToken(fmt.Sprintf("next-%d", i)), now)
					switch {
					case err == nil:
						wins.Add(1)
					case !errors.Is(err, jwt.ErrReused) && !errors.Is(err, jwt.ErrNotFound):
						t.Errorf("Rotate = %v", err)
					}
				})
			}
			wg.Wait()
			if n := wins.Load(); n != 1 {
				t.Fatalf("round %d: %d of 16 concurrent rotations of one token won; want exactly 1", round, n)
			}
		}
	})
}

// What a login or a logout that died between two writes leaves behind: a
// pending session (written, maybe indexed, never made live) and an index
// member whose session is gone. Reads ignore both, both expire, and a
// pending one never becomes live once log out everywhere has run.
func TestHalfDoneWritesAreIgnoredAndExpire(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		st := newSessionStore(t, r)
		now := time.Now().UTC().Truncate(time.Millisecond)
		user := "half-" + t.Name()
		index := r.opts.Prefix + "u:" + user
		pending := liveSession(t, user, now.Add(-2*time.Minute))
		gone := randomHash(t)
		key := func(h cookie.Hash) string { return r.opts.Prefix + "s:" + hex.EncodeToString(h[:]) }
		us := func(t time.Time) string { return fmt.Sprint(t.UnixMicro()) }
		// A login that died after writing its session pending and indexing it.
		r.client.HSet(ctx, key(pending.Hash), "puser", user, "created", us(pending.CreatedAt), "seen", us(pending.LastSeenAt),
			"idle", us(pending.IdleUntil), "exp", us(pending.ExpiresAt), "ua", "", "ip", "")
		r.client.PExpireAt(ctx, key(pending.Hash), pending.IdleUntil)
		// A Delete that died after deleting the session, before the index.
		r.client.ZAdd(ctx, index, goredis.Z{Score: float64(now.UnixMicro()), Member: hex.EncodeToString(gone[:])},
			goredis.Z{Score: float64(pending.CreatedAt.UnixMicro()), Member: hex.EncodeToString(pending.Hash[:])})
		r.client.PExpireAt(ctx, index, pending.ExpiresAt)

		if _, err := st.Find(ctx, pending.Hash, now); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Find(pending) = %v; want ErrNotFound", err)
		}
		if err := st.Touch(ctx, pending.Hash, now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Find(ctx, pending.Hash, now); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Find(pending) after Touch = %v; want ErrNotFound", err)
		}
		if got, err := st.List(ctx, user, now); len(got) != 0 || err != nil {
			t.Errorf("List = %v, %v; want nothing", handles(got), err)
		}
		for _, k := range []string{key(pending.Hash), index} {
			if d, err := r.client.PTTL(ctx, k).Result(); err != nil || d <= 0 {
				t.Errorf("PTTL %s = %v, %v; want an expiry", k, d, err)
			}
		}
		if n, _ := r.client.ZScore(ctx, index, hex.EncodeToString(gone[:])).Result(); n != 0 {
			t.Errorf("List left the member of a gone session in the index")
		}
		// A capped login counts the half-done login's session against the
		// cap no longer than a minute after its creation, and ends it.
		next := liveSession(t, user, now)
		ended, err := st.CreateCapped(ctx, next, 1)
		if err != nil || len(ended) != 0 {
			t.Fatalf("CreateCapped(cap 1) = %v, %v; want nothing reported (the pending one is garbage)", len(ended), err)
		}
		if n, _ := r.client.Exists(ctx, key(pending.Hash)).Result(); n != 0 {
			t.Errorf("the stale pending session is still stored after a capped login")
		}
		if got, err := st.List(ctx, user, now); len(got) != 1 || err != nil || got[0].Hash != next.Hash {
			t.Errorf("List = %v, %v; want only the new login", handles(got), err)
		}
	})
}

func handles(ss []cookie.Session) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Hash.Handle())
	}
	return out
}

// The session cap under concurrent logins of one user, 20 rounds: at the
// end exactly the cap is live, and every login is either live or was
// reported ended by exactly one login.
func TestSessionCapUnderConcurrentLogins(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		st := newSessionStore(t, r)
		other, err := redisstore.NewSessionStore(r.second(), r.opts)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		const logins, limit = 12, 3
		for round := range 20 {
			user := fmt.Sprintf("capped-%d", round)
			all := make([]cookie.Session, logins)
			ended := make([][]cookie.Hash, logins)
			errs := make([]error, logins)
			var wg sync.WaitGroup
			for i := range all {
				all[i] = liveSession(t, user, now.Add(time.Duration(i)*time.Millisecond))
				wg.Go(func() {
					store := st
					if i%2 == 1 {
						store = other
					}
					ended[i], errs[i] = store.CreateCapped(ctx, all[i], limit)
				})
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			final, err := st.List(ctx, user, now)
			if err != nil || len(final) != limit {
				t.Fatalf("round %d: List = %d sessions, %v; want the cap %d", round, len(final), err, limit)
			}
			seen := map[cookie.Hash]int{}
			for _, hs := range ended {
				for _, h := range hs {
					seen[h]++
				}
			}
			for _, s := range final {
				seen[s.Hash]++
			}
			for i, s := range all {
				if seen[s.Hash] != 1 {
					t.Fatalf("round %d: login %d was live or reported ended %d times; want once", round, i, seen[s.Hash])
				}
			}
		}
	})
}

// Revoking a user's refresh tokens racing new families of that user, 50
// rounds: every family that existed before the revocation began is
// revoked, and every family left unrevoked is in the user's set, so the
// next revocation reaches it.
func TestRevokeUserRacingNewFamilies(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		st, err := redisstore.NewRefreshStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		family := func(user string) jwt.Family {
			h := randomHash(t)
			id := hex.EncodeToString(h[:16])
			return jwt.Family{ID: id, UserID: user, Current: jwt.HashToken(id), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		}
		for round := range 50 {
			user := fmt.Sprintf("revoked-%d", round)
			var before []jwt.Family
			for range 3 {
				f := family(user)
				if err := st.Create(ctx, f); err != nil {
					t.Fatal(err)
				}
				before = append(before, f)
			}
			racing := make([]jwt.Family, 6)
			errs := make([]error, len(racing)+1)
			var wg sync.WaitGroup
			start := make(chan struct{})
			wg.Go(func() { <-start; errs[len(racing)] = st.RevokeUser(ctx, user) })
			for i := range racing {
				racing[i] = family(user)
				wg.Go(func() { <-start; errs[i] = st.Create(ctx, racing[i]) })
			}
			close(start)
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			for _, f := range before {
				if got, err := st.Find(ctx, f.ID); err != nil || !got.Revoked {
					t.Fatalf("round %d: a family from before RevokeUser: Revoked = %v, %v; want true", round, got.Revoked, err)
				}
			}
			for i, f := range racing {
				got, err := st.Find(ctx, f.ID)
				if err != nil {
					t.Fatal(err)
				}
				in, err := r.client.SIsMember(ctx, r.opts.Prefix+"ru:"+user, f.ID).Result()
				if err != nil {
					t.Fatal(err)
				}
				if !got.Revoked && !in {
					t.Fatalf("round %d: family %d is unrevoked and missing from the user's set", round, i)
				}
			}
			if err := st.RevokeUser(ctx, user); err != nil {
				t.Fatal(err)
			}
			for i, f := range racing {
				if got, err := st.Find(ctx, f.ID); err != nil || !got.Revoked {
					t.Fatalf("round %d: family %d after a second RevokeUser: Revoked = %v, %v", round, i, got.Revoked, err)
				}
			}
		}
	})
}
