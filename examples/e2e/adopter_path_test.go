package e2e_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // to hold SQLite's write lock from outside the server

	et "github.com/gobware/gobware/examples/internal/exampletest"
)

func TestTheSameKeyForBothSecretsStopsTheServer(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			stderr := et.Fails(t, fw, "ACCESS_TOKEN_SECRET="+et.SessionSecret)
			if !strings.Contains(stderr, "SESSION_SECRET") || !strings.Contains(stderr, "ACCESS_TOKEN_SECRET") {
				t.Errorf("stderr = %q; want a message naming both variables", stderr)
			}
		})
	}
}

func TestTrustedProxiesDecideTheClientAddress(t *testing.T) {
	forwarded := http.Header{"X-Forwarded-For": {"198.51.100.66, 203.0.113.9"}}
	login := et.Req{Method: "POST", Path: "/api/session", Body: et.Credentials("alice", "alice-password"), Header: forwarded}
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			behind := et.Start(t, fw, "TRUSTED_PROXIES=127.0.0.0/8")
			et.Expect(t, "login through the trusted proxy", behind.Do(login), 200)
			open := et.Start(t, fw)
			et.Expect(t, "login with a forged header", open.Do(login), 200)
			waitFor(t, behind, "event=login")
			waitFor(t, open, "event=login")
			if line := eventLine(behind, "event=login"); !strings.Contains(line, "client_ip=203.0.113.9") {
				t.Errorf("behind a trusted proxy: %q; want client_ip=203.0.113.9 (the right-most untrusted entry)", line)
			}
			if line := eventLine(open, "event=login"); !strings.Contains(line, "client_ip=127.0.0.1") {
				t.Errorf("without trusted proxies: %q; want the peer 127.0.0.1, the header ignored", line)
			}
			if stderr := et.Fails(t, fw, "TRUSTED_PROXIES=10.0.0.0/99"); !strings.Contains(stderr, "TRUSTED_PROXIES") {
				t.Errorf("a malformed TRUSTED_PROXIES: stderr %q; want a message naming it", stderr)
			}
		})
	}
}

func eventLine(s *et.Server, marker string) string {
	for _, line := range strings.Split(s.Stderr.String(), "\n") {
		if strings.Contains(line, marker) {
			return line
		}
	}
	return ""
}

func waitFor(t *testing.T, s *et.Server, marker string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if eventLine(s, marker) != "" {
			return
		}
	}
	t.Fatalf("no %q in the server's log: %s", marker, s.Stderr)
}

// halfClosedLogin sends a complete login request, closes the sending side
// of the connection at once (as a client that gives up does), and reads
// whatever the server answers.
func halfClosedLogin(t *testing.T, s *et.Server, password string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := fmt.Sprintf(`{"username":"alice","password":%q}`, password)
	fmt.Fprintf(conn, "POST /api/session HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		strings.TrimPrefix(s.URL, "http://"), len(body), body)
	conn.(*net.TCPConn).CloseWrite()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	status, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(status)
}

// A client that hangs up during a login is not an outage: no ERROR line
// and no 503. Every wrong password the server did check (answered 401,
// which a half-closed client can still read) counts against the account;
// one refused before the check (499: the client had gone) costs nothing
// and tells the guesser nothing.
func TestAClientThatHangsUpIsNotAnOutage(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := et.Start(t, fw)
			if status := halfClosedLogin(t, s, "alice-password"); strings.Contains(status, " 503") || strings.Contains(status, " 500") {
				t.Errorf("half-closed login answered %q", status)
			}
			checked := 0
			for range 6 { // beyond the free allowance
				switch status := halfClosedLogin(t, s, "wrong password"); {
				case strings.Contains(status, " 401"):
					checked++
				case !strings.Contains(status, " 499") && status != "":
					t.Errorf("half-closed wrong guess answered %q; want 401 (checked) or 499 (not checked)", status)
				}
			}
			// The log reaches the test through a pipe, maybe after the answer.
			failed := 0
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if failed = strings.Count(s.Stderr.String(), "event=login_failed"); failed >= checked {
					break
				}
			}
			if failed != checked {
				t.Errorf("%d login_failed events for %d checked wrong passwords; every checked guess must count", failed, checked)
			}
			if checked == 6 {
				res := s.Do(et.Req{Method: "POST", Path: "/api/session", Body: et.Credentials("alice", "alice-password")})
				et.Expect(t, "a login after six counted wrong guesses", res, 429)
			}
			for _, line := range strings.Split(s.Stderr.String(), "\n") {
				if strings.Contains(line, " ERROR ") || strings.Contains(line, "httpapi: backend unavailable") {
					t.Errorf("server logged %q; a client hanging up is not an error", line)
				}
			}
			t.Logf("%d of 6 half-closed wrong guesses were checked", checked)
		})
	}
}

// holdWriteLock takes SQLite's write lock on the database at path until
// the test ends, as a long migration or a stuck writer would.
func holdWriteLock(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.ExecContext(context.Background(), "ROLLBACK"); conn.Close() })
}

// A logout the database cannot record is a 503, and the browser is still
// told to forget the cookie.
func TestLogoutWithTheDatabaseWriteLockedStillClearsTheCookie(t *testing.T) {
	for _, fw := range et.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "shop.db")
			s := et.Start(t, fw, "DATABASE_URL=sqlite:"+path)
			cookie := s.Login("alice")
			holdWriteLock(t, path)
			res := s.Do(et.Req{Method: "DELETE", Path: "/api/session", Cookie: cookie})
			et.Expect(t, "logout with the database locked", res, 503)
			if c := res.Header.Get("Set-Cookie"); !strings.Contains(c, "Max-Age=0") {
				t.Errorf("Set-Cookie = %q; want the expiring cookie", c)
			}
		})
	}
}
