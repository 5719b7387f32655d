// Package exampletest starts the example servers for tests: it builds each
// example once per test binary, runs it on a free port with its own SQLite
// file and fixed secrets, and offers a small HTTP client that never follows
// redirects or keeps cookies by itself, so tests see every header.
package exampletest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Frameworks are the example servers, by directory under examples/.
var Frameworks = []string{"nethttp", "gin", "fiber"}

// Fixed 32-byte test secrets, so a restarted server accepts earlier credentials.
const (
	SessionSecret = "c2Vzc2lvbi1zZWNyZXQtZm9yLXRlc3RzLTMyYnl0ZXM="
	AccessSecret  = "YWNjZXNzLXRva2VuLXNlY3JldC1mb3ItdGVzdHMtMzI="
	DeviceSecret  = "ZGV2aWNlLXRva2VuLXNlY3JldC1mb3ItdGVzdHMtMzI="
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// Binary returns the path of framework's example server, building all of
// them on first use.
func Binary(t testing.TB, framework string) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = err
			return
		}
		if buildDir, buildErr = os.MkdirTemp("", "gobware-examples"); buildErr != nil {
			return
		}
		for _, fw := range Frameworks {
			cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, fw), "./examples/"+fw)
			cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("building examples/%s: %v\n%s", fw, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, framework)
}

// Server is a running example server.
type Server struct {
	T      testing.TB
	URL    string // http://127.0.0.1:PORT
	Stdout *syncBuffer
	Stderr *syncBuffer
	cmd    *exec.Cmd
	done   chan struct{}
}

// DefaultEnv is the environment Start gives a server: a free port, a fresh
// SQLite file in dir and the fixed secrets.
func DefaultEnv(dir string) []string {
	return []string{
		"ADDR=127.0.0.1:0",
		"DATABASE_URL=sqlite:" + filepath.Join(dir, "shop.db"),
		"SESSION_SECRET=" + SessionSecret,
		"ACCESS_TOKEN_SECRET=" + AccessSecret,
		"DEVICE_SECRET=" + DeviceSecret,
	}
}

// Start runs framework's example with DefaultEnv plus env (later entries
// win) and waits until it listens. The server is stopped at test cleanup.
func Start(t testing.TB, framework string, env ...string) *Server {
	t.Helper()
	return StartEnv(t, framework, append(DefaultEnv(t.TempDir()), env...))
}

// StartEnv runs framework's example with exactly env (added to the test
// process's environment) and waits until it listens.
func StartEnv(t testing.TB, framework string, env []string) *Server {
	t.Helper()
	s, err := launch(t, framework, env)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Fails runs framework's example with env and expects it to exit before
// listening; it returns what the server wrote on stderr.
func Fails(t testing.TB, framework string, env ...string) (stderr string) {
	t.Helper()
	s, err := launch(t, framework, append(DefaultEnv(t.TempDir()), env...))
	if err == nil {
		t.Fatalf("%s started at %s; want a failure at start", framework, s.URL)
	}
	return s.Stderr.String()
}

func launch(t testing.TB, framework string, env []string) (*Server, error) {
	cmd := exec.Command(Binary(t, framework))
	cmd.Env = append(os.Environ(), env...)
	s := &Server{T: t, cmd: cmd, Stdout: new(syncBuffer), Stderr: new(syncBuffer), done: make(chan struct{})}
	cmd.Stderr = s.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return s, err
	}
	if err := cmd.Start(); err != nil {
		return s, err
	}
	t.Cleanup(s.Stop)
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			s.Stdout.WriteString(line + "\n")
			if _, addr, ok := strings.Cut(line, "listening on "); ok {
				select {
				case listening <- addr:
				default:
				}
			}
		}
		s.cmd.Wait()
		close(s.done)
	}()
	select {
	case s.URL = <-listening:
		return s, nil
	case <-s.done:
		return s, fmt.Errorf("%s exited before listening: %v; stderr: %s", framework, s.cmd.ProcessState, s.Stderr)
	case <-time.After(60 * time.Second):
		return s, fmt.Errorf("%s did not start within 60s; stderr: %s", framework, s.Stderr)
	}
}

// RSS returns the server process's resident memory in bytes, read from
// /proc (Linux); ok is false where that cannot be read.
func (s *Server) RSS() (bytes int64, ok bool) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, found := strings.CutPrefix(line, "VmRSS:"); found {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err == nil {
				return kb << 10, true
			}
		}
	}
	return 0, false
}

// Stop ends the server with SIGINT, as a person would with ^C, and waits.
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// Req describes one request to a server.
type Req struct {
	Method, Path string
	Body         any // string, []byte, or a value to encode as JSON
	Header       http.Header
	Cookie       string // the raw Cookie header
	Bearer       string // an access token for Authorization: Bearer
}

// Resp is a server's answer with its body read.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as an object, failing t if it is not one.
func (r Resp) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %q", err, r.Body)
	}
	return m
}

// Cookie returns the "name=value" of the first Set-Cookie, for replaying.
func (r Resp) Cookie() string {
	v, _, _ := strings.Cut(r.Header.Get("Set-Cookie"), ";")
	return v
}

// CookieNamed returns the "name=value" of the Set-Cookie for name, or "".
func (r Resp) CookieNamed(name string) string {
	for _, line := range r.Header.Values("Set-Cookie") {
		v, _, _ := strings.Cut(line, ";")
		if n, _, _ := strings.Cut(v, "="); n == name {
			return v
		}
	}
	return ""
}

var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do sends r and reads the answer, failing the test on a transport error.
func (s *Server) Do(r Req) Resp {
	s.T.Helper()
	res, err := s.Try(r)
	if err != nil {
		s.T.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	return res
}

// Try sends r and returns a transport error instead of failing, for tests
// that count failures under load.
func (s *Server) Try(r Req) (Resp, error) {
	var body io.Reader
	contentType := ""
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			return Resp{}, err
		}
		body, contentType = bytes.NewReader(js), "application/json"
	}
	hr, err := http.NewRequest(r.Method, s.URL+r.Path, body)
	if err != nil {
		return Resp{}, err
	}
	if contentType != "" {
		hr.Header.Set("Content-Type", contentType)
	}
	for k, vs := range r.Header {
		hr.Header[k] = vs
	}
	if r.Cookie != "" {
		hr.Header.Set("Cookie", r.Cookie)
	}
	if r.Bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.Bearer)
	}
	send := client.Do
	if hr.ContentLength > bodyLimit {
		send = sendWhileReading
	}
	res, err := send(hr)
	if err != nil {
		return Resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return Resp{Status: res.StatusCode, Header: res.Header, Body: b}, err
}

// bodyLimit is the example servers' request body limit.
const bodyLimit = 1 << 20

// sendWhileReading sends a request whose body the server refuses from its
// headers the way browsers and curl do: it writes and reads at once, so the
// answer is seen even when the server stops reading and resets the
// connection before the body is written (fasthttp closes at once after its
// 413; net/http's client would report only the failed write).
func sendWhileReading(req *http.Request) (*http.Response, error) {
	conn, err := net.DialTimeout("tcp", req.URL.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(client.Timeout))
	go req.Write(conn) // a write error is expected once the server has answered
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		conn.Close()
		return nil, err
	}
	res.Body = struct {
		io.Reader
		io.Closer
	}{res.Body, conn}
	return res, nil
}

// Expect fails t unless got has status want.
func Expect(t testing.TB, what string, got Resp, want int) {
	t.Helper()
	if got.Status != want {
		t.Fatalf("%s: status %d; want %d; body %.500s", what, got.Status, want, got.Body)
	}
}

// Credentials builds the JSON body of the login endpoints.
func Credentials(user, password string) map[string]string {
	return map[string]string{"username": user, "password": password}
}

// Login signs a demo user in with a session cookie ("<user>-password") and
// returns the cookie as "name=value".
func (s *Server) Login(user string) string {
	s.T.Helper()
	r := s.Do(Req{Method: "POST", Path: "/api/session", Body: Credentials(user, user+"-password")})
	Expect(s.T, "login "+user, r, 200)
	return r.Cookie()
}

// Tokens gets a demo user a token pair and returns the access and refresh tokens.
func (s *Server) Tokens(user string) (access, refresh string) {
	s.T.Helper()
	r := s.Do(Req{Method: "POST", Path: "/api/token", Body: Credentials(user, user+"-password")})
	Expect(s.T, "token for "+user, r, 200)
	m := r.JSON(s.T)
	access, _ = m["access_token"].(string)
	refresh, _ = m["refresh_token"].(string)
	return access, refresh
}

// syncBuffer is a bytes.Buffer safe for a writer and readers at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
