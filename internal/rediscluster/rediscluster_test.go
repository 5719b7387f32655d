package rediscluster_test

import (
	"errors"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/internal/rediscluster"
)

// A key on a stopped shard cannot be read, keys on the others can, and the
// stopped shard comes back with its keys.
func TestStopAndRestartAShard(t *testing.T) {
	c := rediscluster.Start(t, 3)
	ctx := t.Context()
	client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: c.Addrs(), MaxRetries: -1})
	defer client.Close()
	byNode := map[int]string{}
	for i := 0; len(byNode) < 3 && i < 100; i++ {
		k := "k" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		n, err := c.NodeOf(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := byNode[n]; !ok {
			byNode[n] = k
			if err := client.Set(ctx, k, "v", 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	c.Stop(0)
	if err := client.Get(ctx, byNode[0]).Err(); err == nil || errors.Is(err, goredis.Nil) {
		t.Errorf("GET of a key on the stopped shard = %v; want an error", err)
	}
	for _, n := range []int{1, 2} {
		if v, err := client.Get(ctx, byNode[n]).Result(); err != nil || v != "v" {
			t.Errorf("GET of a key on a running shard = %q, %v", v, err)
		}
	}
	c.Restart(0)
	c.WaitOK()
	if v, err := client.Get(ctx, byNode[0]).Result(); err != nil || v != "v" {
		t.Errorf("GET after the restart = %q, %v; want the value it held", v, err)
	}
}
