package rediscluster_test

import (
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/internal/rediscluster"
)

// A test starts a cluster of its own, stops the shard that holds a key and
// starts it again.
func Example() {
	shardOutage := func(t *testing.T) {
		c := rediscluster.Start(t, 3)
		client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: c.Addrs()})
		defer client.Close()
		node, err := c.NodeOf(t.Context(), "some-key")
		if err != nil {
			t.Fatal(err)
		}
		c.Stop(node)
		// ... requests for some-key fail, the others are served ...
		c.Restart(node)
		c.WaitOK()
	}
	_ = shardOutage
}
