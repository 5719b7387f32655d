// Command loadgen drives gobware's example servers over loopback and
// reports, per framework and route, requests per second, p50 and p99
// latency, and failed requests.
//
// It builds examples/nethttp, examples/gin and examples/fiber from the
// repository root into a temporary directory, starts each on 127.0.0.1 with
// a fresh SQLite file and fixed secrets, logs in once (session cookie and
// access token), then sends a fixed number of requests per route from a
// fixed number of concurrent keep-alive clients:
//
//	products     GET  /api/products         public
//	me-cookie    GET  /api/me               session cookie
//	me-bearer    GET  /api/me               bearer token
//	cart-bearer  POST /api/cart/items       bearer token (SQLite write)
//
// A request fails when it gets a transport error or a status other than
// 200. The cart is emptied every 100 adds (outside the measurement) so that
// no line reaches its cap of 99. Run it from bench/:
//
//	go run ./cmd/loadgen -requests 20000 -clients 64
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Fixed 32-byte secrets (base64), so that runs are alike.
const (
	sessionSecret = "bG9hZGdlbi1zZXNzaW9uLXNlY3JldC0zMi1ieXRlcyE="
	accessSecret  = "bG9hZGdlbi1hY2Nlc3MtdG9rZW4tc2VjcmV0LTMyYnk="
)

func main() {
	root := flag.String("root", "..", "repository root, where examples/ is")
	requests := flag.Int("requests", 20000, "requests per route and framework")
	clients := flag.Int("clients", 64, "concurrent keep-alive clients")
	frameworks := flag.String("frameworks", "nethttp,gin,fiber", "comma-separated examples to drive")
	flag.Parse()
	if err := run(*root, strings.Split(*frameworks, ","), *requests, *clients); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// result is one line of the report.
type result struct {
	framework, route string
	requests, failed int
	elapsed          time.Duration
	p50, p99         time.Duration
}

func run(root string, frameworks []string, requests, clients int) error {
	dir, err := os.MkdirTemp("", "gobware-loadgen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, fw := range frameworks {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, fw), "./examples/"+fw)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building examples/%s: %v\n%s", fw, err, out)
		}
	}
	var results []result
	for _, fw := range frameworks {
		rs, err := drive(dir, fw, requests, clients)
		if err != nil {
			return fmt.Errorf("%s: %w", fw, err)
		}
		results = append(results, rs...)
	}
	fmt.Printf("%d requests per route, %d concurrent keep-alive clients, loopback, SQLite (WAL).\n\n", requests, clients)
	fmt.Println("| framework | route | requests/s | p50 | p99 | failed |")
	fmt.Println("|---|---|---:|---:|---:|---:|")
	failed := 0
	for _, r := range results {
		fmt.Printf("| %s | %s | %.0f | %s | %s | %d |\n", r.framework, r.route,
			float64(r.requests)/r.elapsed.Seconds(), round(r.p50), round(r.p99), r.failed)
		failed += r.failed
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

func round(d time.Duration) string {
	switch {
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	}
}

// server is a running example.
type server struct {
	cmd  *exec.Cmd
	base string
}

func start(dir, fw string) (*server, error) {
	cmd := exec.Command(filepath.Join(dir, fw))
	cmd.Env = append(os.Environ(),
		"ADDR=127.0.0.1:0",
		"DATABASE_URL=sqlite:"+filepath.Join(dir, fw+".db"),
		"SESSION_SECRET="+sessionSecret,
		"ACCESS_TOKEN_SECRET="+accessSecret,
	)
	var stderr bytes.Buffer // its log, shown only if it fails to start
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, a, ok := strings.Cut(sc.Text(), "listening on "); ok {
				addr <- a
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			s.stop()
			return nil, fmt.Errorf("the server exited before listening:\n%s", stderr.String())
		}
		s.base = a
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, errors.New("the server did not print its address within 30s")
	}
	return s, nil
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// call sends one request and returns the status, the body, and the response headers.
func call(c *http.Client, method, url string, body any, header ...string) (int, []byte, http.Header, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}

func drive(dir, fw string, requests, clients int) ([]result, error) {
	s, err := start(dir, fw)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	c := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        clients,
			MaxIdleConnsPerHost: clients,
			MaxConnsPerHost:     clients,
			IdleConnTimeout:     time.Minute,
		},
	}
	defer c.CloseIdleConnections()

	creds := map[string]string{"username": "alice", "password": "alice-password"}
	status, _, h, err := call(c, http.MethodPost, s.base+"/api/session", creds)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("cookie login: %d, %v", status, err)
	}
	// The login sets the session cookie and the login limiter's device
	// cookie; the routes driven need only the session.
	cookie := ""
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if strings.HasSuffix(c.Name, "_session") {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		return nil, fmt.Errorf("cookie login set no session cookie: %v", h["Set-Cookie"])
	}
	status, b, _, err := call(c, http.MethodPost, s.base+"/api/token", creds)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("token login: %d, %v", status, err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &tok); err != nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("token login: %s", b)
	}
	bearer := "Bearer " + tok.AccessToken
	status, b, _, err = call(c, http.MethodGet, s.base+"/api/products", nil)
	var catalog struct {
		Products []struct {
			SKU string `json:"sku"`
		} `json:"products"`
	}
	if err != nil || status != http.StatusOK || json.Unmarshal(b, &catalog) != nil || len(catalog.Products) == 0 {
		return nil, fmt.Errorf("products: %d, %v", status, err)
	}

	type route struct {
		name string
		send func(i int) (int, error)
	}
	get := func(path string, header ...string) func(int) (int, error) {
		return func(int) (int, error) {
			status, _, _, err := call(c, http.MethodGet, s.base+path, nil, header...)
			return status, err
		}
	}
	routes := []route{
		{"products", get("/api/products")},
		{"me-cookie", get("/api/me", "Cookie", cookie)},
		{"me-bearer", get("/api/me", "Authorization", bearer)},
		{"cart-bearer", func(i int) (int, error) {
			if i%100 == 0 {
				if status, _, _, err := call(c, http.MethodDelete, s.base+"/api/cart", nil, "Authorization", bearer); err != nil || status != http.StatusOK {
					return status, fmt.Errorf("emptying the cart: %d, %v", status, err)
				}
			}
			sku := catalog.Products[i%len(catalog.Products)].SKU
			status, _, _, err := call(c, http.MethodPost, s.base+"/api/cart/items",
				map[string]any{"sku": sku, "quantity": 1}, "Authorization", bearer)
			return status, err
		}},
	}
	var results []result
	for _, rt := range routes {
		warm := min(requests/10, 1000)
		load(warm, clients, rt.send) // warm-up: connections, caches, page cache
		r := load(requests, clients, rt.send)
		r.framework, r.route = fw, rt.name
		results = append(results, r)
	}
	return results, nil
}

// load sends n requests from clients goroutines and measures them.
func load(n, clients int, send func(i int) (int, error)) result {
	latencies := make([]time.Duration, n)
	var next, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	begin := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				status, err := send(i)
				latencies[i] = time.Since(t0)
				if err != nil || status != http.StatusOK {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("status %d, %v", status, err))
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	if e := firstErr.Load(); e != nil {
		fmt.Fprintln(os.Stderr, "loadgen: first failure:", e)
	}
	slices.Sort(latencies)
	return result{
		requests: n,
		failed:   int(failed.Load()),
		elapsed:  elapsed,
		p50:      latencies[n/2],
		p99:      latencies[n*99/100],
	}
}
