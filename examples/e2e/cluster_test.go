package e2e

import (
	"strings"
	"testing"
	"time"

	et "github.com/gobware/gobware/examples/internal/exampletest"
	"github.com/gobware/gobware/internal/rediscluster"
)

// Two example servers (of different frameworks) with sessions, refresh
// tokens and passkey challenges on one Redis Cluster act as one: logins,
// logouts, log out everywhere, refreshes and passkey ceremonies are shared,
// whichever shards their keys are on.
func TestTwoServersShareOneRedisCluster(t *testing.T) {
	env := append(et.RedisClusterEnv(t), "DATABASE_URL="+et.PostgresURL(t), "PASSKEY_ORIGINS="+sharedOrigin)
	a := et.Start(t, "nethttp", env...)
	b := et.Start(t, "gin", env...)
	t.Run("a session made on one server works on the other", func(t *testing.T) { sessionShared(t, a, b) })
	t.Run("logout on one server ends the session on the other", func(t *testing.T) { logoutShared(t, a, b) })
	t.Run("log out everywhere on one server ends sessions made on the other", func(t *testing.T) { logoutEverywhereShared(t, a, b) })
	t.Run("a refresh token spent on one server is refused by the other", func(t *testing.T) { refreshShared(t, a, b) })
	t.Run("a passkey ceremony begun on one server finishes on the other", func(t *testing.T) { passkeyShared(t, a, b) })
}

// A shard of the cluster stopped: the requests whose session lives on it
// answer 503 (never 401, never 200), the others 200, on both servers; once
// the shard is back, every session answers 200 again.
func TestAShardDownIs503ForItsSessionsOnly(t *testing.T) {
	c := rediscluster.Start(t, 3)
	env := et.ClusterEnv(t, c.Addrs())
	prefix := strings.TrimPrefix(env[1], "REDIS_KEY_PREFIX=")
	env = append(env, "DATABASE_URL="+et.PostgresURL(t))
	a := et.Start(t, "nethttp", env...)
	b := et.Start(t, "fiber", env...)

	// Log in until every shard holds sessions, noting where each one went.
	type login struct {
		cookie string
		node   string
	}
	var logins []login
	known := map[string]bool{}
	perNode := map[string]int{}
	for i := 0; i < 60 && (len(perNode) < 3 || len(logins) < 12); i++ {
		cookie := a.Login("alice")
		var node string
		for addr, keys := range et.RedisKeys(t, c.Addrs(), prefix+"s:*") {
			for _, k := range keys {
				if !known[k] {
					known[k], node = true, addr
				}
			}
		}
		if node == "" {
			t.Fatal("a login wrote no session key")
		}
		logins = append(logins, login{cookie, node})
		perNode[node]++
	}
	if len(perNode) < 3 {
		t.Fatalf("%d logins put sessions on %d shards; want all 3", len(logins), len(perNode))
	}
	down := c.Addrs()[0]
	c.Stop(0)
	var n503, n200 int
	for i, l := range logins {
		srv := a
		if i%2 == 1 {
			srv = b
		}
		r := me(t, srv, l.cookie)
		want := 200
		if l.node == down {
			want = 503
		}
		et.Expect(t, "GET /api/me with shard "+down+" down (session on "+l.node+")", r, want)
		if r.Status == 503 {
			n503++
		} else if r.Status == 200 {
			n200++
		}
	}
	t.Logf("with one of 3 shards down: %d answered 503, %d answered 200", n503, n200)

	c.Restart(0)
	c.WaitOK()
	deadline := time.Now().Add(15 * time.Second)
	for _, l := range logins {
		for _, srv := range []*et.Server{a, b} {
			for {
				r := me(t, srv, l.cookie)
				if r.Status == 200 {
					break
				}
				if r.Status != 503 || time.Now().After(deadline) {
					t.Fatalf("GET /api/me after the shard came back = %d; want 200", r.Status)
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
	}
}
