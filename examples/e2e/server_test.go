package e2e_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// frameworks are the example servers, by directory under examples/.
var frameworks = []string{"nethttp", "gin", "fiber"}

// binaries maps a framework to its built example server.
var binaries = map[string]string{}

// Fixed 32-byte test secrets, so a restarted server accepts earlier credentials.
const (
	sessionSecret = "c2Vzc2lvbi1zZWNyZXQtZm9yLXRlc3RzLTMyYnl0ZXM="
	accessSecret  = "YWNjZXNzLXRva2VuLXNlY3JldC1mb3ItdGVzdHMtMzI="
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gobware-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, fw := range frameworks {
		bin := filepath.Join(dir, fw)
		cmd := exec.Command("go", "build", "-o", bin, "../"+fw)
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building examples/%s: %v\n%s", fw, err, out)
			os.Exit(1)
		}
		binaries[fw] = bin
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running example server.
type server struct {
	t      *testing.T
	URL    string
	cmd    *exec.Cmd
	stderr *bytes.Buffer
}

// start runs framework's example with env added to the defaults (a fresh
// SQLite file, fixed secrets, a free port) and waits until it listens.
func start(t *testing.T, framework string, env ...string) *server {
	t.Helper()
	base := []string{
		"ADDR=127.0.0.1:0",
		"DATABASE_URL=sqlite:" + filepath.Join(t.TempDir(), "shop.db"),
		"SESSION_SECRET=" + sessionSecret,
		"ACCESS_TOKEN_SECRET=" + accessSecret,
	}
	return startEnv(t, framework, append(base, env...))
}

func startEnv(t *testing.T, framework string, env []string) *server {
	t.Helper()
	cmd := exec.Command(binaries[framework])
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, stderr: new(bytes.Buffer)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		_, addr, found := strings.Cut(line, "listening on ")
		if !ok || !found {
			cmd.Wait()
			t.Fatalf("%s did not start: %q\nstderr: %s", framework, line, s.stderr)
		}
		s.URL = addr
		go func() {
			for range lines {
			}
		}()
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start within 60s; stderr: %s", framework, s.stderr)
	}
	return s
}

// stop ends the server with SIGINT, as a person would with ^C.
func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// req describes one request to a server.
type req struct {
	method, path string
	body         any // string, []byte or a value to encode as JSON
	header       http.Header
	cookie       string // raw Cookie header
	bearer       string
}

// resp is a server's answer with its body read.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %q", err, r.body)
	}
	return m
}

// cookie returns the "name=value" of the first Set-Cookie, for replaying.
func (r resp) cookie() string {
	sc := r.header.Get("Set-Cookie")
	v, _, _ := strings.Cut(sc, ";")
	return v
}

var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func (s *server) do(r req) resp {
	s.t.Helper()
	var body io.Reader
	contentType := ""
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		body, contentType = bytes.NewReader(js), "application/json"
	}
	hr, err := http.NewRequest(r.method, s.URL+r.path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		hr.Header.Set("Content-Type", contentType)
	}
	for k, vs := range r.header {
		hr.Header[k] = vs
	}
	if r.cookie != "" {
		hr.Header.Set("Cookie", r.cookie)
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	res, err := client.Do(hr)
	if err != nil {
		s.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// expect fails the test unless got has status want.
func expect(t *testing.T, what string, got resp, want int) {
	t.Helper()
	if got.status != want {
		t.Fatalf("%s: status %d; want %d; body %s", what, got.status, want, got.body)
	}
}

// login signs user in with a session cookie and returns "name=value".
func (s *server) login(user string) string {
	s.t.Helper()
	r := s.do(req{method: "POST", path: "/api/session", body: map[string]string{"username": user, "password": user + "-password"}})
	expect(s.t, "login "+user, r, 200)
	return r.cookie()
}
