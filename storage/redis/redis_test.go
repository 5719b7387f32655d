package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey/passkeystore"
	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/cookie/cookietest"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/jwttest"
)

var (
	_ cookie.Store       = (*redisstore.SessionStore)(nil)
	_ jwt.RefreshStore   = (*redisstore.RefreshStore)(nil)
	_ jwt.RevocationList = (*redisstore.RevocationList)(nil)
	_ jwt.WatermarkStore = (*redisstore.WatermarkStore)(nil)
	_ jwt.LegacyStore    = (*redisstore.RefreshStore)(nil)
)

// testRedis is a client on GOBWARE_TEST_REDIS_URL (one Redis) or on
// GOBWARE_TEST_REDIS_CLUSTER_ADDRS (a Redis Cluster), and a key prefix of
// this test's own, whose keys are deleted at the end.
type testRedis struct {
	client goredis.UniversalClient
	opts   redisstore.Options
	// second opens another client on the same Redis, as a second server
	// has; it is closed at the end of the test.
	second func() goredis.UniversalClient
}

// backends runs fn on one Redis and on a Redis Cluster, as subtests named
// "redis" and "cluster"; each skips with a message when its variable is
// unset.
func backends(t *testing.T, fn func(t *testing.T, r testRedis)) {
	t.Run("redis", func(t *testing.T) { fn(t, newTestRedis(t)) })
	t.Run("cluster", func(t *testing.T) { fn(t, newClusterRedis(t)) })
}

func newTestRedis(t *testing.T) testRedis {
	t.Helper()
	url := os.Getenv("GOBWARE_TEST_REDIS_URL")
	if url == "" {
		t.Skip("GOBWARE_TEST_REDIS_URL not set")
	}
	opt, err := goredis.ParseURL(url)
	if err != nil {
		t.Fatalf("GOBWARE_TEST_REDIS_URL: %v", err)
	}
	return withPrefix(t, func() goredis.UniversalClient { return goredis.NewClient(opt) })
}

// clusterAddrs is GOBWARE_TEST_REDIS_CLUSTER_ADDRS: comma-separated
// host:port seed nodes of a Redis Cluster.
func clusterAddrs(t *testing.T) []string {
	t.Helper()
	env := os.Getenv("GOBWARE_TEST_REDIS_CLUSTER_ADDRS")
	if env == "" {
		t.Skip("GOBWARE_TEST_REDIS_CLUSTER_ADDRS not set (comma-separated host:port of a Redis Cluster)")
	}
	return strings.Split(env, ",")
}

func newClusterRedis(t *testing.T) testRedis {
	t.Helper()
	addrs := clusterAddrs(t)
	return withPrefix(t, func() goredis.UniversalClient {
		return goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: addrs})
	})
}

func withPrefix(t *testing.T, open func() goredis.UniversalClient) testRedis {
	t.Helper()
	client := open()
	var b [6]byte
	rand.Read(b[:])
	prefix := "gobwaretest:" + hex.EncodeToString(b[:]) + ":"
	r := testRedis{client: client, opts: redisstore.Options{Prefix: prefix}, second: func() goredis.UniversalClient {
		c := open()
		t.Cleanup(func() { c.Close() })
		return c
	}}
	t.Cleanup(func() {
		ctx := context.Background()
		keys, err := r.keys(ctx)
		if err == nil {
			for _, k := range keys {
				client.Del(ctx, k)
			}
		}
		client.Close()
	})
	return r
}

// keys lists every key under the test's prefix: a test-only scan, of every
// master on a cluster.
func (r testRedis) keys(ctx context.Context) ([]string, error) {
	cc, ok := r.client.(*goredis.ClusterClient)
	if !ok {
		return r.client.Keys(ctx, r.opts.Prefix+"*").Result()
	}
	var mu sync.Mutex
	var out []string
	err := cc.ForEachMaster(ctx, func(ctx context.Context, node *goredis.Client) error {
		keys, err := node.Keys(ctx, r.opts.Prefix+"*").Result()
		mu.Lock()
		defer mu.Unlock()
		out = append(out, keys...)
		return err
	})
	return out, err
}

// dump returns every key under the test's prefix with its contents.
func (r testRedis) dump(ctx context.Context) ([]string, error) {
	keys, err := r.keys(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys {
		var v any
		switch typ, _ := r.client.Type(ctx, k).Result(); typ {
		case "hash":
			v, err = r.client.HGetAll(ctx, k).Result()
		case "zset":
			v, err = r.client.ZRangeWithScores(ctx, k, 0, -1).Result()
		case "set":
			v, err = r.client.SMembers(ctx, k).Result()
		default:
			v, err = r.client.Get(ctx, k).Result()
		}
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s => %v", k, v))
	}
	return out, nil
}

var _ cookie.Capper = (*redisstore.SessionStore)(nil)

func TestSessionStoreConformance(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st, err := redisstore.NewSessionStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		cookietest.TestStore(t, func(*testing.T) cookietest.Target {
			return cookietest.Target{Store: st, Dump: r.dump}
		})
	})
}

func TestRefreshStoreConformance(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st, err := redisstore.NewRefreshStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		jwttest.TestRefreshStore(t, func(*testing.T) jwt.RefreshStore { return st }, func(t *testing.T, users ...string) []string {
			all, err := r.dump(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, rec := range all {
				for _, u := range users {
					if strings.Contains(rec, u) {
						out = append(out, rec)
						break
					}
				}
			}
			return out
		})
	})
}

func TestWatermarkStoreConformance(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st, err := redisstore.NewWatermarkStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		jwttest.TestWatermarkStore(t, func(*testing.T) jwt.WatermarkStore { return st })
	})
}

// Redis's own TTLs follow the deadlines, so Redis drops dead state by
// itself: the session key at the earlier deadline, moved by Touch; the
// user index with the user's last session.
func TestSessionKeysExpireAtTheirDeadlines(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		st, err := redisstore.NewSessionStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		s := cookie.Session{Hash: cookie.HashID("id-" + t.Name()), UserID: "alice", CreatedAt: now, LastSeenAt: now,
			IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(24 * time.Hour)}
		if err := st.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
		key := r.opts.Prefix + "s:" + hex.EncodeToString(s.Hash[:])
		index := r.opts.Prefix + "u:alice"
		expires := func(k string) time.Time {
			t.Helper()
			d, err := r.client.PExpireTime(ctx, k).Result()
			if err != nil || d <= 0 {
				t.Fatalf("PEXPIRETIME %s = %v, %v; want a deadline", k, d, err)
			}
			return time.UnixMilli(d.Milliseconds()).UTC()
		}
		for _, tc := range []struct {
			name string
			key  string
			want time.Time
		}{
			{"the session key expires at the idle deadline", key, s.IdleUntil},
			{"the user index expires at the absolute deadline", index, s.ExpiresAt},
		} {
			if got := expires(tc.key); !got.Equal(tc.want) {
				t.Errorf("%s: PEXPIRETIME = %v; want %v", tc.name, got, tc.want)
			}
		}
		seen := now.Add(30 * time.Minute)
		if err := st.Touch(ctx, s.Hash, seen, seen.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := expires(key); !got.Equal(seen.Add(time.Hour)) {
			t.Errorf("after Touch: PEXPIRETIME = %v; want %v", got, seen.Add(time.Hour))
		}
		if err := st.Touch(ctx, s.Hash, seen, now.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := expires(key); !got.Equal(s.ExpiresAt) {
			t.Errorf("touched past the absolute deadline: PEXPIRETIME = %v; want %v", got, s.ExpiresAt)
		}
	})
}

func TestRevocationList(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		now := time.Now()
		opts := r.opts
		opts.Now = func() time.Time { return now }
		l, err := redisstore.NewRevocationList(r.client, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			jti   string
			until time.Time
			want  bool
		}{
			{"a revoked jti is listed", "jti-live", now.Add(time.Hour), true},
			{"a jti whose token has expired is not written", "jti-lapsed", now.Add(-time.Second), false},
			{"a jti revoked until now has lapsed", "jti-now", now, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := l.Revoke(ctx, tc.jti, tc.until); err != nil {
					t.Fatalf("Revoke(%q) = %v", tc.jti, err)
				}
				if got, err := l.Revoked(ctx, tc.jti); got != tc.want || err != nil {
					t.Errorf("Revoked(%q) = %v, %v; want %v, nil", tc.jti, got, err, tc.want)
				}
			})
		}
		if got, err := l.Revoked(ctx, "never-revoked"); got || err != nil {
			t.Errorf("Revoked(never revoked) = %v, %v; want false, nil", got, err)
		}
		// Revoking again with an earlier end keeps the later one.
		if err := l.Revoke(ctx, "jti-live", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if d, err := r.client.PTTL(ctx, r.opts.Prefix+"jti:jti-live").Result(); err != nil || d < 50*time.Minute {
			t.Errorf("PTTL after a second, earlier Revoke = %v, %v; want about an hour", d, err)
		}
		if err := l.Revoke(ctx, "", now.Add(time.Hour)); err == nil {
			t.Error(`Revoke("") = nil; want an error`)
		}
	})
}

// A Redis that cannot be reached is core.ErrUnavailable (503): never a
// missing session or token (401), never a silent success.
func TestUnreachableRedisIsUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		client func() *goredis.Client
	}{
		{"nothing listens on the port", func() *goredis.Client {
			return goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
		}},
		{"the client was closed", func() *goredis.Client {
			c := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1"})
			c.Close()
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c := tc.client()
			defer c.Close()
			sessions, _ := redisstore.NewSessionStore(c, redisstore.Options{})
			tokens, _ := redisstore.NewRefreshStore(c, redisstore.Options{})
			list, _ := redisstore.NewRevocationList(c, redisstore.Options{})
			now := time.Now()
			h := cookie.HashID("x")
			calls := map[string]error{}
			_, calls["Find"] = sessions.Find(ctx, h, now)
			_, calls["List"] = sessions.List(ctx, "alice", now)
			_, calls["DeleteUser"] = sessions.DeleteUser(ctx, "alice")
			calls["Create"] = sessions.Create(ctx, cookie.Session{Hash: h, UserID: "alice", CreatedAt: now, LastSeenAt: now, IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(time.Hour)})
			calls["Touch"] = sessions.Touch(ctx, h, now, now.Add(time.Hour))
			calls["Delete"] = sessions.Delete(ctx, h)
			th := jwt.HashToken("x")
			_, calls["refresh Find"] = tokens.Find(ctx, "f")
			_, _, calls["FindLegacy"] = tokens.FindLegacy(ctx, th)
			_, calls["Rotate"] = tokens.Rotate(ctx, "f", 0, th, jwt.HashToken("y"), now)
			calls["refresh Create"] = tokens.Create(ctx, jwt.Family{ID: "f", UserID: "u", Current: th, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
			wm, _ := redisstore.NewWatermarkStore(c, redisstore.Options{})
			calls["Raise"] = wm.Raise(ctx, "u:u", now, now.Add(time.Hour))
			_, calls["Watermarks"] = wm.Watermarks(ctx, []string{"u:u"})
			calls["RevokeFamily"] = tokens.RevokeFamily(ctx, "f")
			calls["RevokeUser"] = tokens.RevokeUser(ctx, "u")
			calls["Revoke"] = list.Revoke(ctx, "j", now.Add(time.Hour))
			_, calls["Revoked"] = list.Revoked(ctx, "j")
			challenges, _ := redisstore.NewChallengeStore(c, redisstore.Options{})
			calls["challenge Put"] = challenges.Put(ctx, passkeystore.Challenge{Ceremony: passkeystore.Login, ExpiresAt: now.Add(time.Minute)})
			_, calls["challenge Take"] = challenges.Take(ctx, [32]byte{})
			for op, err := range calls {
				if !errors.Is(err, core.ErrUnavailable) || errors.Is(err, cookie.ErrNotFound) || errors.Is(err, jwt.ErrNotFound) ||
					errors.Is(err, passkeystore.ErrNotFound) {
					t.Errorf("%s = %v; want %v only", op, err, core.ErrUnavailable)
				}
				if got := core.Status(err); got != 503 {
					t.Errorf("Status(%s error) = %d; want 503", op, got)
				}
			}
		})
	}
}

func TestConstructorsRefuseANilClient(t *testing.T) {
	_, sErr := redisstore.NewSessionStore(nil, redisstore.Options{})
	_, rErr := redisstore.NewRefreshStore(nil, redisstore.Options{})
	_, lErr := redisstore.NewRevocationList(nil, redisstore.Options{})
	_, cErr := redisstore.NewChallengeStore(nil, redisstore.Options{})
	_, wErr := redisstore.NewWatermarkStore(nil, redisstore.Options{})
	for name, err := range map[string]error{"NewSessionStore": sErr, "NewRefreshStore": rErr, "NewRevocationList": lErr, "NewChallengeStore": cErr, "NewWatermarkStore": wErr} {
		if !errors.Is(err, redisstore.ErrNilClient) {
			t.Errorf("%s(nil) = %v; want %v", name, err, redisstore.ErrNilClient)
		}
	}
}

// A session written by an earlier version (no method, auth, attrs or
// persist fields) reads back carrying nothing, and is touched as before.
func TestSessionStoreReadsSessionsOfTheEarlierLayout(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st, err := redisstore.NewSessionStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		var id [32]byte
		rand.Read(id[:])
		h := cookie.HashID(hex.EncodeToString(id[:]))
		now := time.Now().UTC().Truncate(time.Microsecond)
		us := func(t time.Time) string { return fmt.Sprint(t.UnixMicro()) }
		key := r.opts.Prefix + "s:" + hex.EncodeToString(h[:])
		if err := r.client.HSet(ctx, key, "user", "alice", "created", us(now), "seen", us(now),
			"idle", us(now.Add(time.Hour)), "exp", us(now.Add(24*time.Hour)), "ua", "old browser", "ip", "192.0.2.1").Err(); err != nil {
			t.Fatal(err)
		}
		r.client.Expire(ctx, key, time.Hour)
		got, err := st.Find(ctx, h, now)
		if err != nil || got.UserID != "alice" || got.UserAgent != "old browser" || got.Method != "" ||
			!got.AuthTime.IsZero() || got.Attributes != nil || got.Persistent {
			t.Fatalf("Find(session of the earlier layout) = %+v, %v; want alice carrying nothing", got, err)
		}
		if err := st.Touch(ctx, h, now.Add(time.Minute), now.Add(time.Hour+time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Find(ctx, h, now.Add(time.Minute)); err != nil || !got.LastSeenAt.Equal(now.Add(time.Minute)) {
			t.Errorf("Find after Touch = %+v, %v", got, err)
		}
	})
}

// A log out everywhere that read the user's index before a rotation's new
// member was in it (simulated by putting the index back as it was) still
// ends the rotated session, by following the marker the rotation left.
func TestDeleteUserFollowsARotatedSession(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st, err := redisstore.NewSessionStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		now := time.Now().UTC().Truncate(time.Microsecond)
		user := "user-" + fmt.Sprint(now.UnixNano())
		mk := func() cookie.Hash {
			var b [32]byte
			rand.Read(b[:])
			return cookie.HashID(hex.EncodeToString(b[:]))
		}
		old := cookie.Session{Hash: mk(), UserID: user, CreatedAt: now, LastSeenAt: now, IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(2 * time.Hour)}
		if err := st.Create(ctx, old); err != nil {
			t.Fatal(err)
		}
		next := old
		for next.Hash = mk(); !st.Colocated(old.Hash, next.Hash); next.Hash = mk() {
		}
		if err := st.Rotate(ctx, old.Hash, next, now); err != nil {
			t.Fatalf("Rotate = %v", err)
		}
		index := r.opts.Prefix + "u:" + user
		r.client.ZRem(ctx, index, hex.EncodeToString(next.Hash[:]))
		r.client.ZAdd(ctx, index, goredis.Z{Score: float64(now.UnixMicro()), Member: hex.EncodeToString(old.Hash[:])})
		if n, err := st.DeleteUser(ctx, user); err != nil || n != 1 {
			t.Errorf("DeleteUser = %d, %v; want 1 (the rotated session, through the marker)", n, err)
		}
		if _, err := st.Find(ctx, next.Hash, now); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Find(rotated session) after DeleteUser = %v; want %v", err, cookie.ErrNotFound)
		}
	})
}

// A session a capped login has flagged to end (index score -1, its key
// still live until the login deletes it) is not listed: List reads the
// sessions after the index, key by key, so listing it could show the
// victim beside the session that replaced it, one more than the cap.
func TestListLeavesOutASessionFlaggedToEnd(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st, err := redisstore.NewSessionStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		now := time.Now().UTC().Truncate(time.Microsecond)
		var kept, victim cookie.Session
		for i, s := range []*cookie.Session{&kept, &victim} {
			rand.Read(s.Hash[:])
			*s = cookie.Session{Hash: s.Hash, UserID: "alice", CreatedAt: now.Add(time.Duration(i) * time.Second),
				LastSeenAt: now, IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(2 * time.Hour)}
			if err := st.Create(ctx, *s); err != nil {
				t.Fatal(err)
			}
		}
		index := r.opts.Prefix + "u:alice"
		if err := r.client.ZAddXX(ctx, index, goredis.Z{Score: -1, Member: hex.EncodeToString(victim.Hash[:])}).Err(); err != nil {
			t.Fatal(err)
		}
		got, err := st.List(ctx, "alice", now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Hash != kept.Hash {
			t.Errorf("List = %d sessions; want only the one not flagged to end", len(got))
		}
		if _, err := st.Find(ctx, victim.Hash, now); err != nil {
			t.Errorf("Find(flagged) = %v; the flag alone must not end the session (its login deletes it)", err)
		}
	})
}
