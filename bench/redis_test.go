package bench

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/alexedwards/scs/goredisstore"
	"github.com/alexedwards/scs/v2"
	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
	goredis "github.com/redis/go-redis/v9"
)

// redisRows are SessionAuth's Redis rows: the session check on one Redis
// (GOBWARE_TEST_REDIS_URL) and on a Redis Cluster
// (GOBWARE_TEST_REDIS_CLUSTER_ADDRS, comma-separated seed nodes), where the
// lookup is one HMGET on the session's own shard; scs's go-redis store; and
// the raw floor, one HMGET of the same fields of the same key. Each row
// skips when its variable is unset.
func redisRows(b *testing.B) {
	b.Run("gobware-redis", func(b *testing.B) {
		benchRedisSession(b, redisClient(b))
	})
	b.Run("gobware-redis-cluster", func(b *testing.B) {
		benchRedisSession(b, redisClusterClient(b))
	})
	b.Run("scs-goredisstore", func(b *testing.B) {
		client := redisClient(b).(*goredis.Client)
		prefix := benchName() + ":"
		sm := scs.New()
		sm.Store = goredisstore.NewWithPrefix(client, prefix)
		token := scsLogin(b, sm)
		b.Cleanup(func() { client.Del(context.Background(), prefix+token) })
		benchSCSToken(b, sm, token)
	})
	b.Run("floor-redis-raw", func(b *testing.B) {
		client := redisClient(b)
		store, prefix := redisSessionStore(b, client)
		s := newGobwareSessions(b, store, cookie.Options{})
		key := prefix + "s:" + sessionPK(gobwareLogin(b, s))
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			v, err := client.HMGet(ctx, key, redisLookupFields...).Result()
			var got string
			if err == nil {
				got, _ = v[0].(string)
			}
			check(b, got, err)
		}
	})
}

// redisLookupFields are the fields of the session hash that gobware's Redis
// session store reads to authenticate a request, in order.
var redisLookupFields = []string{"user", "created", "seen", "idle", "exp", "ua", "ip", "method", "auth", "attrs", "persist"}

func benchRedisSession(b *testing.B, client goredis.UniversalClient) {
	store, _ := redisSessionStore(b, client)
	benchGobwareSession(b, store, cookie.Options{})
}

func redisClient(b *testing.B) goredis.UniversalClient {
	b.Helper()
	raw := os.Getenv("GOBWARE_TEST_REDIS_URL")
	if raw == "" {
		b.Skip("GOBWARE_TEST_REDIS_URL not set")
	}
	opt, err := goredis.ParseURL(raw)
	if err != nil {
		b.Fatal(err)
	}
	c := goredis.NewClient(opt)
	b.Cleanup(func() { c.Close() })
	return c
}

func redisClusterClient(b *testing.B) goredis.UniversalClient {
	b.Helper()
	raw := os.Getenv("GOBWARE_TEST_REDIS_CLUSTER_ADDRS")
	if raw == "" {
		b.Skip("GOBWARE_TEST_REDIS_CLUSTER_ADDRS not set (comma-separated host:port of a Redis Cluster)")
	}
	c := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: strings.Split(raw, ",")})
	b.Cleanup(func() { c.Close() })
	return c
}

// redisSessionStore is a session store under a prefix of the benchmark's
// own; the one session it gets is deleted at the end.
func redisSessionStore(b *testing.B, client goredis.UniversalClient) (*redisstore.SessionStore, string) {
	b.Helper()
	prefix := benchName() + ":"
	store, err := redisstore.NewSessionStore(client, redisstore.Options{Prefix: prefix})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.DeleteUser(context.Background(), userID) })
	return store, prefix
}
