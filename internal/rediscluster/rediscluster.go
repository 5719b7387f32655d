// Package rediscluster starts a throwaway Redis Cluster of local
// redis-server processes for tests that need to stop and restart one of
// its shards, which a shared cluster (GOBWARE_TEST_REDIS_CLUSTER_ADDRS)
// must not have done to it.
//
// Start runs n masters without replicas on free ports, each in a
// directory of the test's temporary directory (its nodes.conf and its data
// live there), joins them with redis-cli --cluster create and waits until
// every node reports cluster_state:ok. The nodes run with
// cluster-require-full-coverage no, so the shards that are up keep serving
// while one is down, and a short cluster-node-timeout. Everything is
// stopped and removed when the test ends. A test skips, with a message,
// when redis-server or redis-cli is not installed.
package rediscluster

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Cluster is a running throwaway cluster.
type Cluster struct {
	t     testing.TB
	dir   string
	ports []int
	mu    sync.Mutex
	procs []*exec.Cmd
}

// Start starts an n-node cluster (n at least 3, as Redis requires) and
// stops it when t ends.
func Start(t testing.TB, n int) *Cluster {
	t.Helper()
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s is not installed; this test starts a Redis Cluster of its own", bin)
		}
	}
	c := &Cluster{t: t, dir: t.TempDir(), procs: make([]*exec.Cmd, n)}
	t.Cleanup(c.stopAll)
	for i := range n {
		c.ports = append(c.ports, freePort(t))
		if err := os.MkdirAll(c.nodeDir(i), 0o700); err != nil {
			t.Fatal(err)
		}
		c.Restart(i)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs()...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.WaitOK()
	return c
}

// Addrs returns the nodes' host:port, in the order they were started.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.ports))
	for i, p := range c.ports {
		out[i] = "127.0.0.1:" + strconv.Itoa(p)
	}
	return out
}

func (c *Cluster) nodeDir(i int) string { return filepath.Join(c.dir, strconv.Itoa(c.ports[i])) }

// Stop shuts node i down, saving its data so that Restart brings it back
// with the keys it held.
func (c *Cluster) Stop(i int) {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.procs[i]
	if p == nil {
		return
	}
	_ = exec.Command("redis-cli", "-p", strconv.Itoa(c.ports[i]), "shutdown", "save").Run()
	done := make(chan struct{})
	go func() { p.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.Process.Kill()
		<-done
	}
	c.procs[i] = nil
}

// Restart starts node i again (or for the first time), on its port, with
// its nodes.conf and data, and waits until it answers PING.
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.procs[i] != nil {
		return
	}
	dir := c.nodeDir(i)
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(c.ports[i]), "--bind", "127.0.0.1",
		"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"),
		"--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no",
		"--save", "", "--appendonly", "no", "--dir", dir, "--logfile", filepath.Join(dir, "log"))
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("redis-server: %v", err)
	}
	c.procs[i] = cmd
	for range 100 {
		if out, err := exec.Command("redis-cli", "-p", strconv.Itoa(c.ports[i]), "ping").Output(); err == nil && bytes.HasPrefix(out, []byte("PONG")) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("redis-server on port %d did not answer PING", c.ports[i])
}

// WaitOK waits until every running node reports cluster_state:ok.
func (c *Cluster) WaitOK() {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ok := true
		c.mu.Lock()
		for i, p := range c.procs {
			if p == nil {
				continue
			}
			out, err := exec.Command("redis-cli", "-p", strconv.Itoa(c.ports[i]), "cluster", "info").Output()
			if err != nil || !strings.Contains(string(out), "cluster_state:ok") {
				ok = false
			}
		}
		c.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.t.Fatalf("the cluster on %v did not reach cluster_state:ok", c.Addrs())
}

// NodeOf returns the index of the node that serves key: the node whose
// own line in CLUSTER NODES lists the key's slot.
func (c *Cluster) NodeOf(ctx context.Context, key string) (int, error) {
	var slot = -1
	for _, p := range c.ports {
		out, err := exec.CommandContext(ctx, "redis-cli", "-p", strconv.Itoa(p), "cluster", "keyslot", key).Output()
		if err == nil {
			if slot, err = strconv.Atoi(strings.TrimSpace(string(out))); err == nil {
				break
			}
		}
	}
	if slot < 0 {
		return 0, fmt.Errorf("no node answers CLUSTER KEYSLOT")
	}
	for i, p := range c.ports {
		nodes, err := exec.CommandContext(ctx, "redis-cli", "-p", strconv.Itoa(p), "cluster", "nodes").Output()
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(nodes), "\n") {
			f := strings.Fields(line)
			if len(f) < 9 || !strings.Contains(f[2], "myself") {
				continue
			}
			for _, r := range f[8:] {
				lo, hi, isRange := strings.Cut(r, "-")
				a, err1 := strconv.Atoi(lo)
				b, err2 := strconv.Atoi(hi)
				if !isRange {
					b, err2 = a, nil
				}
				if err1 == nil && err2 == nil && a <= slot && slot <= b {
					return i, nil
				}
			}
		}
	}
	return 0, fmt.Errorf("no running node serves slot %d", slot)
}

func (c *Cluster) stopAll() {
	for i := range c.procs {
		c.mu.Lock()
		p := c.procs[i]
		c.mu.Unlock()
		if p != nil {
			p.Process.Kill()
			p.Wait()
			c.mu.Lock()
			c.procs[i] = nil
			c.mu.Unlock()
		}
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	// A cluster node also listens on its port + 10000 (the bus port).
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p+10000 > 65535 {
			continue
		}
		if bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000)); err == nil {
			bus.Close()
			return p
		}
	}
	t.Fatal("no free port pair for a cluster node")
	return 0
}
