package e2e_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestAStalledBodyIsCutOff sends the headers of a login and half its
// body, then nothing. Every example cuts the connection off once
// READ_TIMEOUT (30 s by default, 2 s here) has passed, instead of holding
// it for as long as the client likes.
func TestAStalledBodyIsCutOff(t *testing.T) {
	const readTimeout = 2 * time.Second
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := exampletest.Start(t, fw, "READ_TIMEOUT="+readTimeout.String())
			conn := dial(t, s)
			start := time.Now()
			fmt.Fprintf(conn, "POST /api/session HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":", strings.TrimPrefix(s.URL, "http://"))
			conn.SetReadDeadline(time.Now().Add(readTimeout + 10*time.Second))
			_, err := io.Copy(io.Discard, conn) // whatever the server answers, until it closes
			if elapsed := time.Since(start); err != nil || elapsed > readTimeout+5*time.Second {
				t.Fatalf("the connection with a stalled body was still open after %v (%v); want it closed after READ_TIMEOUT (%v)", elapsed.Round(time.Millisecond), err, readTimeout)
			}
			exampletest.Expect(t, "healthz after the stalled body", s.Do(exampletest.Req{Method: "GET", Path: "/healthz"}), 200)
		})
	}
}

// TestADeclaredLargeBodyIsRefusedAtOnce declares a 4 MiB body and sends
// none of it. Every example answers 413 payload_too_large at once, from
// the headers: nothing is read, and nothing of that size allocated (fiber
// refuses it through BodyLimit before fasthttp allocates the declared
// length; net/http and gin through the Content-Length check of
// httpapi.DecodeJSON).
func TestADeclaredLargeBodyIsRefusedAtOnce(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			t.Parallel()
			s := exampletest.Start(t, fw)
			bob, _ := s.Tokens("bob")
			for _, path := range []string{"/api/session", "/api/cart/items"} {
				conn := dial(t, s)
				fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, strings.TrimPrefix(s.URL, "http://"), bob, 4<<20)
				conn.SetReadDeadline(time.Now().Add(5 * time.Second)) // READ_TIMEOUT is 30 s: this must come from the headers
				res, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					t.Fatalf("POST %s declaring 4 MiB: no answer within 5 s: %v", path, err)
				}
				var p struct{ Code string }
				err = json.NewDecoder(res.Body).Decode(&p)
				res.Body.Close()
				if res.StatusCode != 413 || res.Header.Get("Content-Type") != "application/problem+json" || err != nil || p.Code != "payload_too_large" {
					t.Errorf("POST %s declaring 4 MiB = %d %s (%v, %q); want a 413 payload_too_large problem", path, res.StatusCode, res.Header.Get("Content-Type"), err, p.Code)
				}
			}
		})
	}
}

// TestAHundredDeclaredLargeBodiesPinNoMemory holds 100 connections open,
// each having declared a 4 MiB body and sent none of it, as a cheap attack
// on a server that allocates the declared length before reading (fasthttp
// does, below fiber's BodyLimit). Every one is answered 413, and the
// server's resident memory grows by far less than the 400 MiB declared.
func TestAHundredDeclaredLargeBodiesPinNoMemory(t *testing.T) {
	const conns, declared = 100, 4 << 20
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			before, ok := s.RSS()
			if !ok {
				t.Skip("no /proc here to read the server's memory from")
			}
			for i := range conns {
				conn := dial(t, s) // closed when the test ends, not before
				fmt.Fprintf(conn, "POST /api/session HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", strings.TrimPrefix(s.URL, "http://"), declared)
				conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				res, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					t.Fatalf("connection %d declaring 4 MiB: no answer within 5 s: %v", i, err)
				}
				res.Body.Close()
				if res.StatusCode != 413 {
					t.Fatalf("connection %d declaring 4 MiB = %d; want 413", i, res.StatusCode)
				}
			}
			after, _ := s.RSS()
			grew := after - before
			t.Logf("%d connections declaring %d MiB each: resident memory %d MiB → %d MiB", conns, declared>>20, before>>20, after>>20)
			if grew > 64<<20 {
				t.Errorf("resident memory grew by %d MiB with %d connections declaring 4 MiB each; want far less than the %d MiB declared", grew>>20, conns, conns*declared>>20)
			}
		})
	}
}

func dial(t *testing.T, s *exampletest.Server) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
