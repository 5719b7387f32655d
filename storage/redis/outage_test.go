package redis_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/rediscluster"
	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
)

// A shard that goes down makes the calls whose keys live there
// core.ErrUnavailable (503: never "not found", never a success), the other
// shards keep serving, and service returns with the shard.
func TestAShardDownFailsItsKeysOnly(t *testing.T) {
	c := rediscluster.Start(t, 3)
	ctx := t.Context()
	client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: c.Addrs(), MaxRetries: 1,
		DialTimeout: 500 * time.Millisecond, ReadTimeout: time.Second})
	t.Cleanup(func() { client.Close() })
	st, err := redisstore.NewSessionStore(client, redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	// One session and one user index on every node; for each node, a user
	// whose index and session both live there.
	sessions := map[int]cookie.Session{}
	users := map[int]string{}
	whole := map[int]string{}
	for i := 0; (len(sessions) < 3 || len(users) < 3 || len(whole) < 3) && i < 1000; i++ {
		user := fmt.Sprintf("user-%d", i)
		s := liveSession(t, user, now)
		if err := st.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
		sn, err1 := c.NodeOf(ctx, "gobware:s:"+fmt.Sprintf("%x", s.Hash[:]))
		un, err2 := c.NodeOf(ctx, "gobware:u:"+user)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if _, ok := sessions[sn]; !ok {
			sessions[sn] = s
		}
		if _, ok := users[un]; !ok {
			users[un] = user
		}
		if _, ok := whole[un]; !ok && un == sn {
			whole[un] = user
		}
	}
	const down = 1
	c.Stop(down)
	unavailable := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, core.ErrUnavailable) || errors.Is(err, cookie.ErrNotFound) || core.Status(err) != 503 {
			t.Errorf("%s on the stopped shard = %v; want core.ErrUnavailable (503)", what, err)
		}
	}
	_, err = st.Find(ctx, sessions[down].Hash, now)
	unavailable("Find", err)
	unavailable("Touch", st.Touch(ctx, sessions[down].Hash, now, now.Add(time.Hour)))
	_, err = st.List(ctx, users[down], now)
	unavailable("List", err)
	_, err = st.DeleteUser(ctx, users[down])
	unavailable("DeleteUser", err)
	unavailable("Create for a user whose index is on it", st.Create(ctx, liveSession(t, users[down], now)))
	for _, n := range []int{0, 2} {
		if got, err := st.Find(ctx, sessions[n].Hash, now); err != nil || got.Hash != sessions[n].Hash {
			t.Errorf("Find on running shard %d = %v; want the session", n, err)
		}
		if got, err := st.List(ctx, whole[n], now); err != nil || len(got) != 1 {
			t.Errorf("List of a user whose keys are on running shard %d = %d sessions, %v; want 1", n, len(got), err)
		}
	}
	c.Restart(down)
	c.WaitOK()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := st.Find(ctx, sessions[down].Hash, now)
		if err == nil && got.Hash == sessions[down].Hash {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Find after the shard's restart = %v; want the session back", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := st.List(ctx, users[down], now); err != nil {
		t.Errorf("List after the restart = %v", err)
	}
}
