package exampletest

import (
	"context"
	"os"
	"strings"
	"testing"

	goredis "github.com/redis/go-redis/v9"
)

// RedisClusterEnv returns REDIS_CLUSTER_ADDRS for the Redis Cluster of
// GOBWARE_TEST_REDIS_CLUSTER_ADDRS (skipping t when unset) and a
// REDIS_KEY_PREFIX of the test's own; the keys under the prefix are
// deleted at cleanup. Servers given the same env share their state.
func RedisClusterEnv(t testing.TB) []string {
	t.Helper()
	raw := os.Getenv("GOBWARE_TEST_REDIS_CLUSTER_ADDRS")
	if raw == "" {
		t.Skip("GOBWARE_TEST_REDIS_CLUSTER_ADDRS not set (comma-separated host:port of a Redis Cluster)")
	}
	return ClusterEnv(t, strings.Split(raw, ","))
}

// ClusterEnv is RedisClusterEnv for the cluster of the seed nodes addrs,
// such as one a test started itself.
func ClusterEnv(t testing.TB, addrs []string) []string {
	t.Helper()
	prefix := randomName("gobware_e2e_") + ":"
	t.Cleanup(func() {
		c := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: addrs})
		defer c.Close()
		c.ForEachMaster(context.Background(), func(ctx context.Context, node *goredis.Client) error {
			if keys, err := node.Keys(ctx, prefix+"*").Result(); err == nil {
				for _, k := range keys {
					node.Del(ctx, k)
				}
			}
			return nil
		})
	})
	return []string{"REDIS_CLUSTER_ADDRS=" + strings.Join(addrs, ","), "REDIS_KEY_PREFIX=" + prefix}
}

// RedisKeys lists, per node of the cluster of addrs, the keys that match
// pattern: what a test needs to learn which shard holds what.
func RedisKeys(t testing.TB, addrs []string, pattern string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, a := range addrs {
		c := goredis.NewClient(&goredis.Options{Addr: a})
		keys, err := c.Keys(context.Background(), pattern).Result()
		c.Close()
		if err != nil {
			t.Fatalf("KEYS on %s: %v", a, err)
		}
		out[a] = keys
	}
	return out
}
