package exampletest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func randomName(prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// PostgresURL creates a fresh PostgreSQL database on the server of
// GOBWARE_TEST_POSTGRES_DSN (skipping t when it or GOBWARE_TEST_POSTGRES_URL
// is unset), drops it at cleanup, and returns its postgres:// URL for
// DATABASE_URL. Servers started after this call are stopped before the drop.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn, base := os.Getenv("GOBWARE_TEST_POSTGRES_DSN"), os.Getenv("GOBWARE_TEST_POSTGRES_URL")
	if dsn == "" || base == "" {
		t.Skip("GOBWARE_TEST_POSTGRES_DSN or GOBWARE_TEST_POSTGRES_URL not set")
	}
	name := randomName("gobware_e2e_")
	freshDatabase(t, postgres.Open(dsn), "CREATE DATABASE "+name, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return withPath(t, base, name)
}

// MySQLURL is PostgresURL for MySQL/MariaDB (GOBWARE_TEST_MYSQL_DSN and
// GOBWARE_TEST_MYSQL_URL), returning a mysql:// URL.
func MySQLURL(t testing.TB) string {
	t.Helper()
	dsn, base := os.Getenv("GOBWARE_TEST_MYSQL_DSN"), os.Getenv("GOBWARE_TEST_MYSQL_URL")
	if dsn == "" || base == "" {
		t.Skip("GOBWARE_TEST_MYSQL_DSN or GOBWARE_TEST_MYSQL_URL not set")
	}
	name := randomName("gobware_e2e_")
	freshDatabase(t, mysql.Open(dsn), "CREATE DATABASE "+name, "DROP DATABASE IF EXISTS "+name)
	return withPath(t, base, name)
}

func freshDatabase(t testing.TB, dialector gorm.Dialector, create, drop string) {
	t.Helper()
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connecting to create a test database: %v", err)
	}
	sqlDB, _ := db.DB()
	if err := db.Exec(create).Error; err != nil {
		sqlDB.Close()
		t.Fatalf("%s: %v", create, err)
	}
	t.Cleanup(func() {
		if err := db.Exec(drop).Error; err != nil {
			t.Errorf("%s: %v", drop, err)
		}
		sqlDB.Close()
	})
}

func withPath(t testing.TB, raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("test database URL: %v", err)
	}
	u.Path = "/" + db
	return u.String()
}

// RedisEnv returns REDIS_URL and a REDIS_KEY_PREFIX of the test's own for
// the server of GOBWARE_TEST_REDIS_URL (skipping t when unset); the keys
// under the prefix are deleted at cleanup. Servers given the same env share
// their Redis state.
func RedisEnv(t testing.TB) []string {
	t.Helper()
	raw := os.Getenv("GOBWARE_TEST_REDIS_URL")
	if raw == "" {
		t.Skip("GOBWARE_TEST_REDIS_URL not set")
	}
	opt, err := goredis.ParseURL(raw)
	if err != nil {
		t.Fatalf("GOBWARE_TEST_REDIS_URL: %v", err)
	}
	prefix := randomName("gobware_e2e_") + ":"
	t.Cleanup(func() {
		c := goredis.NewClient(opt)
		defer c.Close()
		ctx := context.Background()
		if keys, err := c.Keys(ctx, prefix+"*").Result(); err == nil && len(keys) > 0 {
			c.Del(ctx, keys...)
		}
	})
	return []string{"REDIS_URL=" + raw, "REDIS_KEY_PREFIX=" + prefix}
}

// Proxy is a TCP proxy on 127.0.0.1 in front of a backend, which a test
// can cut (every connection dropped, new ones refused) and restore, to play
// a database or Redis going away and coming back.
type Proxy struct {
	Addr   string // host:port to give the server instead of the backend's
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// NewProxy starts a proxy to target (host:port), stopped at cleanup.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{target: target, conns: make(map[net.Conn]struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.Addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() { p.Cut(); p.wg.Wait() })
	return p
}

// ProxyURL starts a proxy to the host of rawURL and returns rawURL pointing
// at the proxy instead.
func ProxyURL(t testing.TB, rawURL string) (*Proxy, string) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p := NewProxy(t, u.Host)
	u.Host = p.Addr
	return p, u.String()
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() { defer p.wg.Done(); p.pipe(c) }()
		}
	}()
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) pipe(client net.Conn) {
	defer client.Close()
	backend, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		return
	}
	defer backend.Close()
	if !p.track(client) || !p.track(backend) {
		return
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(backend, client); done <- struct{}{} }()
	go func() { io.Copy(client, backend); done <- struct{}{} }()
	<-done
}

// Cut closes the listener and every open connection: the backend is gone.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Restore listens again on the same address: the backend is back.
func (p *Proxy) Restore(t testing.TB) {
	t.Helper()
	var err error
	for range 50 { // the port may take a moment to be free again
		var ln net.Listener
		if ln, err = net.Listen("tcp", p.Addr); err == nil {
			p.serve(ln)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("proxy: listening again on %s: %v", p.Addr, err)
}

// WaitHealthy polls /healthz until it answers 200, failing t after timeout.
func (s *Server) WaitHealthy(timeout time.Duration) {
	s.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		r, err := s.Try(Req{Method: "GET", Path: "/healthz"})
		if err == nil && r.Status == 200 {
			return
		}
		if time.Now().After(deadline) {
			s.T.Fatalf("%s/healthz not healthy within %v: %d %s %v", s.URL, timeout, r.Status, strings.TrimSpace(string(r.Body)), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
