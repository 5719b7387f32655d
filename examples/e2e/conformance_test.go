package e2e_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/gobware/gobware/examples/internal/exampletest"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// creds holds the credentials a conformance case may use, made fresh for
// each framework: alice's cookie and token pair, bob's token.
type creds struct {
	cookie, token, refresh, bobToken string
}

// check is one line of the contract: a request and what must come back.
type check struct {
	name    string
	req     func(c creds) exampletest.Req
	Status  int
	code    string            // problem code, for error statuses
	headers map[string]string // exact header values that must be present
	Body    func(t *testing.T, m map[string]any)
}

const json400 = `{"username":"alice","password":`

// contract (README.md, "The example servers"), written once.
var contract = []check{
	{name: "the web page is HTML", req: get("/", ""), Status: 200, headers: map[string]string{"Content-Type": "text/html; charset=utf-8"}},
	{name: "healthz says ok", req: get("/healthz", ""), Status: 200, Body: func(t *testing.T, m map[string]any) { want(t, m, "status", "ok") }},
	{name: "products are listed with integer cents", req: get("/api/products", ""), Status: 200, Body: func(t *testing.T, m map[string]any) {
		ps, _ := m["products"].([]any)
		if len(ps) < 6 {
			t.Fatalf("%d products; want at least 6", len(ps))
		}
		p := ps[0].(map[string]any)
		if _, ok := p["price_cents"].(float64); !ok || p["sku"] == nil || p["name"] == nil {
			t.Fatalf("product %v lacks sku, name or price_cents", p)
		}
	}},
	{name: "an unknown route is a 404 problem", req: get("/api/nothing-here", ""), Status: 404, code: "not_found"},
	{name: "a wrong method is a 405 problem with Allow", req: method("PATCH", "/api/me"), Status: 405, code: "method_not_allowed", headers: map[string]string{"Allow": "GET, HEAD"}},
	{name: "a write to a read-only route is 405", req: method("POST", "/healthz"), Status: 405, code: "method_not_allowed"},

	{name: "me without a credential is 401 with a bearer challenge", req: get("/api/me", ""), Status: 401, code: "unauthenticated", headers: map[string]string{"WWW-Authenticate": "Bearer"}},
	{name: "me by cookie names the user and strategy", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: c.cookie}
	}, Status: 200, Body: func(t *testing.T, m map[string]any) {
		want(t, m, "username", "alice")
		want(t, m, "strategy", "cookie")
		want(t, m, "user_id", "1")
	}},
	{name: "me by bearer token names the user and strategy", req: func(c creds) exampletest.Req { return exampletest.Req{Method: "GET", Path: "/api/me", Bearer: c.token} }, Status: 200, Body: func(t *testing.T, m map[string]any) {
		want(t, m, "username", "alice")
		want(t, m, "strategy", "jwt")
	}},
	{name: "the bearer scheme is case-insensitive", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Header: http.Header{"Authorization": {"bEaReR " + c.token}}}
	}, Status: 200},
	{name: "a tampered cookie is invalid", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: tamper(c.cookie)}
	}, Status: 401, code: "invalid_credentials", headers: map[string]string{"WWW-Authenticate": "Bearer"}},
	{name: "a tampered token is invalid", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Bearer: tamper(c.token)}
	}, Status: 401, code: "invalid_credentials", headers: map[string]string{"WWW-Authenticate": "Bearer"}},
	{name: "a refresh token is not an access token", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Bearer: c.refresh}
	}, Status: 401, code: "invalid_credentials"},
	{name: "duplicate session cookies are refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: c.cookie + "; " + c.cookie}
	}, Status: 401, code: "invalid_credentials"},
	{name: "an empty session cookie is refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: "__Host-gobware_session="}
	}, Status: 401, code: "invalid_credentials"},
	{name: "a truncated session cookie is refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: c.cookie[:len(c.cookie)-10]}
	}, Status: 401, code: "invalid_credentials"},
	{name: "an extended session cookie is refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: c.cookie + "AAAA"}
	}, Status: 401, code: "invalid_credentials"},
	{name: "a 4 KiB session cookie is refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: "__Host-gobware_session=" + strings.Repeat("A", 4000)}
	}, Status: 401, code: "invalid_credentials"},
	{name: "binary bytes in a cookie are refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: "__Host-gobware_session=\x80\xfe\xff" + strings.Repeat("A", 84)}
	}, Status: 401},
	{name: "an 8 KiB bearer token is refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Bearer: strings.Repeat("a.", 4096)}
	}, Status: 401, code: "invalid_credentials"},
	{name: "two Authorization headers are refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Header: http.Header{"Authorization": {"Bearer " + c.token, "Bearer " + c.token}}}
	}, Status: 401, code: "invalid_credentials"},

	{name: "a wrong password is invalid_credentials", req: post("/api/session", exampletest.Credentials("alice", "nope")), Status: 401, code: "invalid_credentials"},
	{name: "an unknown user is invalid_credentials", req: post("/api/session", exampletest.Credentials("mallory", "alice-password")), Status: 401, code: "invalid_credentials"},
	{name: "malformed JSON is bad_request", req: raw("POST", "/api/session", "application/json", json400), Status: 400, code: "bad_request"},
	{name: "a form body is bad_request", req: raw("POST", "/api/session", "application/x-www-form-urlencoded", "username=alice&password=alice-password"), Status: 400, code: "bad_request"},
	{name: "a body of the wrong JSON type is bad_request", req: raw("POST", "/api/session", "application/json", `["alice"]`), Status: 400, code: "bad_request"},
	{name: "binary bytes as a body are bad_request", req: raw("POST", "/api/session", "application/json", "\x00\x01\xff"), Status: 400, code: "bad_request"},
	{name: "a 2 MiB body is payload_too_large", req: raw("POST", "/api/session", "application/json", `{"username":"`+strings.Repeat("a", 2<<20)+`"}`), Status: 413, code: "payload_too_large"},
	{name: "missing fields are validation_failed", req: post("/api/session", map[string]string{"username": "alice"}), Status: 422, code: "validation_failed"},
	{name: "a cross-site login is refused (login CSRF)", req: func(c creds) exampletest.Req {
		r := post("/api/session", exampletest.Credentials("alice", "alice-password"))(c)
		r.Header = http.Header{"Sec-Fetch-Site": {"cross-site"}}
		return r
	}, Status: 403, code: "forbidden_origin"},
	{name: "a login from another origin is refused", req: func(c creds) exampletest.Req {
		r := post("/api/session", exampletest.Credentials("alice", "alice-password"))(c)
		r.Header = http.Header{"Origin": {"https://evil.example"}}
		return r
	}, Status: 403, code: "forbidden_origin"},
	{name: "a cross-site write with the session cookie is refused", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "DELETE", Path: "/api/cart", Cookie: c.cookie, Header: http.Header{"Sec-Fetch-Site": {"same-site"}}}
	}, Status: 403, code: "forbidden_origin"},
	{name: "a cross-origin write with a bearer token only is allowed", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "DELETE", Path: "/api/cart", Bearer: c.bobToken, Header: http.Header{"Origin": {"https://evil.example"}}}
	}, Status: 200},
	{name: "a cross-site read with the session cookie is allowed", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/me", Cookie: c.cookie, Header: http.Header{"Sec-Fetch-Site": {"cross-site"}}}
	}, Status: 200},
	{name: "a same-origin write with the session cookie is allowed", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "DELETE", Path: "/api/cart", Cookie: c.cookie, Header: http.Header{"Sec-Fetch-Site": {"same-origin"}}}
	}, Status: 200},

	{name: "a token pair has the documented shape", req: post("/api/token", exampletest.Credentials("bob", "bob-password")), Status: 200, headers: map[string]string{"Cache-Control": "no-store"}, Body: func(t *testing.T, m map[string]any) {
		want(t, m, "token_type", "Bearer")
		if m["expires_in"] != float64(900) || m["access_token"] == "" || m["refresh_token"] == "" {
			t.Fatalf("token response %v; want expires_in 900 and both tokens", m)
		}
	}},
	{name: "a token with a wrong password is refused", req: post("/api/token", exampletest.Credentials("bob", "alice-password")), Status: 401, code: "invalid_credentials"},
	{name: "refresh without a token is validation_failed", req: post("/api/token/refresh", map[string]string{}), Status: 422, code: "validation_failed"},
	{name: "refresh with garbage is invalid_credentials", req: post("/api/token/refresh", map[string]string{"refresh_token": "garbage"}), Status: 401, code: "invalid_credentials"},
	{name: "refresh with an access token is invalid_credentials", req: func(c creds) exampletest.Req {
		return post("/api/token/refresh", map[string]string{"refresh_token": c.token})(c)
	}, Status: 401, code: "invalid_credentials"},

	{name: "an empty cart", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "GET", Path: "/api/cart", Bearer: c.bobToken}
	}, Status: 200, Body: func(t *testing.T, m map[string]any) {
		want(t, m, "user_id", "2")
		if items, ok := m["items"].([]any); !ok || len(items) != 0 || m["total_cents"] != float64(0) || m["item_count"] != float64(0) {
			t.Fatalf("cart %v; want empty items [] and zero totals", m)
		}
	}},
	{name: "adding an unknown SKU is not_found", req: cartAdd("NO-SUCH-THING", 1), Status: 404, code: "not_found"},
	{name: "adding 0 is validation_failed", req: cartAdd("MUG-GOPHER", 0), Status: 422, code: "validation_failed"},
	{name: "adding 100 is validation_failed", req: cartAdd("MUG-GOPHER", 100), Status: 422, code: "validation_failed"},
	{name: "adding without a quantity is validation_failed", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "POST", Path: "/api/cart/items", Bearer: c.bobToken, Body: map[string]string{"sku": "MUG-GOPHER"}}
	}, Status: 422, code: "validation_failed"},
	{name: "a string quantity is bad_request", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "POST", Path: "/api/cart/items", Bearer: c.bobToken, Body: map[string]any{"sku": "MUG-GOPHER", "quantity": "2"}}
	}, Status: 400, code: "bad_request"},
	{name: "setting a line to 100 is validation_failed", req: cartSet("/api/cart/items/MUG-GOPHER", 100), Status: 422, code: "validation_failed"},
	{name: "an encoded slash in a SKU path is a 4xx", req: cartSet("/api/cart/items/MUG%2FGOPHER", 1), Status: 404, code: "not_found"},
	{name: "a NUL in a SKU path is a 4xx", req: cartSet("/api/cart/items/MUG%00", 1), Status: 404, code: "not_found"},
	{name: "a very long SKU path is a 4xx", req: cartSet("/api/cart/items/"+strings.Repeat("X", 3000), 1), Status: 404, code: "not_found"},
	{name: "ending a session by an unknown handle is not_found", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "DELETE", Path: "/api/sessions/nope", Cookie: c.cookie}
	}, Status: 404, code: "not_found"},
	{name: "ending a session by a 3000-character handle is not_found", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "DELETE", Path: "/api/sessions/" + strings.Repeat("x", 3000), Bearer: c.token}
	}, Status: 404, code: "not_found"},
	{name: "ending a session by an encoded-NUL handle is not_found", req: func(c creds) exampletest.Req {
		return exampletest.Req{Method: "DELETE", Path: "/api/sessions/a%00b", Bearer: c.token}
	}, Status: 404, code: "not_found"},
	{name: "ending a session needs authentication", req: method("DELETE", "/api/sessions/nope"), Status: 401, code: "unauthenticated"},
	{name: "the cart needs authentication", req: method("GET", "/api/cart"), Status: 401, code: "unauthenticated", headers: map[string]string{"WWW-Authenticate": "Bearer"}},
}

func get(path, cookie string) func(creds) exampletest.Req {
	return func(creds) exampletest.Req { return exampletest.Req{Method: "GET", Path: path, Cookie: cookie} }
}
func method(m, path string) func(creds) exampletest.Req {
	return func(creds) exampletest.Req { return exampletest.Req{Method: m, Path: path} }
}
func post(path string, body any) func(creds) exampletest.Req {
	return func(creds) exampletest.Req { return exampletest.Req{Method: "POST", Path: path, Body: body} }
}
func raw(m, path, contentType, body string) func(creds) exampletest.Req {
	return func(creds) exampletest.Req {
		return exampletest.Req{Method: m, Path: path, Body: body, Header: http.Header{"Content-Type": {contentType}}}
	}
}
func cartAdd(sku string, qty int) func(creds) exampletest.Req {
	return func(c creds) exampletest.Req {
		return exampletest.Req{Method: "POST", Path: "/api/cart/items", Bearer: c.bobToken, Body: map[string]any{"sku": sku, "quantity": qty}}
	}
}
func cartSet(path string, qty int) func(creds) exampletest.Req {
	return func(c creds) exampletest.Req {
		return exampletest.Req{Method: "PUT", Path: path, Bearer: c.bobToken, Body: map[string]any{"quantity": qty}}
	}
}

// tamper flips one character in the middle of a credential ("name=value" or a token).
func tamper(v string) string {
	i := len(v) / 2
	if v[i] == 'A' {
		return v[:i] + "B" + v[i+1:]
	}
	return v[:i] + "A" + v[i+1:]
}

func want(t *testing.T, m map[string]any, key string, value any) {
	t.Helper()
	if m[key] != value {
		t.Fatalf("%s = %v; want %v (in %v)", key, m[key], value, m)
	}
}

// credsFor logs alice in both ways and gives bob a token.
func credsFor(s *exampletest.Server) creds {
	var c creds
	c.cookie = s.Login("alice")
	tok := s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: exampletest.Credentials("alice", "alice-password")})
	exampletest.Expect(s.T, "alice's token", tok, 200)
	m := tok.JSON(s.T)
	c.token, c.refresh = m["access_token"].(string), m["refresh_token"].(string)
	bob := s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: exampletest.Credentials("bob", "bob-password")})
	exampletest.Expect(s.T, "bob's token", bob, 200)
	c.bobToken = bob.JSON(s.T)["access_token"].(string)
	return c
}

// TestConformance runs the contract against every framework's example.
func TestConformance(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			c := credsFor(s)
			for _, ck := range contract {
				t.Run(ck.name, func(t *testing.T) {
					s.T = t
					got := s.Do(ck.req(c))
					if got.Status != ck.Status {
						t.Fatalf("status %d; want %d; body %.300s", got.Status, ck.Status, got.Body)
					}
					for k, v := range ck.headers {
						if g := got.Header.Get(k); g != v {
							t.Errorf("%s = %q; want %q", k, g, v)
						}
					}
					if ck.Status >= 400 {
						checkProblem(t, got, ck.Status, ck.code)
					} else if ck.Body != nil {
						ck.Body(t, got.JSON(t))
					}
				})
			}
		})
	}
}

// checkProblem checks an RFC 9457 body with the fields every error reply carries.
func checkProblem(t *testing.T, got exampletest.Resp, status int, code string) {
	t.Helper()
	if ct := got.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q; want application/problem+json", ct)
	}
	var p struct {
		Type, Title, Detail, Code string
		Status                    int
	}
	if err := json.Unmarshal(got.Body, &p); err != nil {
		t.Fatalf("problem body %q: %v", got.Body, err)
	}
	if p.Status != status || p.Type == "" || p.Title == "" || p.Detail == "" || (code != "" && p.Code != code) {
		t.Fatalf("problem %+v; want status %d code %q with type, title and detail", p, status, code)
	}
}

// TestConformanceCookies compares the session and device cookies'
// Set-Cookie lines exactly, on login and logout, on every framework.
func TestConformanceCookies(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			login := s.Do(exampletest.Req{Method: "POST", Path: "/api/session", Body: exampletest.Credentials("alice", "alice-password")})
			exampletest.Expect(t, "login", login, 200)
			set := login.Header.Values("Set-Cookie")
			if len(set) != 2 {
				t.Fatalf("login sent %d Set-Cookie; want 2 (the session, then the device token)", len(set))
			}
			name, rest, _ := strings.Cut(set[0], "=")
			value, attrs, _ := strings.Cut(rest, "; ")
			if name != "__Host-gobware_session" || len(value) != 87 || attrs != "Path=/; HttpOnly; Secure; SameSite=Lax" {
				t.Errorf("login Set-Cookie = %q; want __Host-gobware_session=<87 chars>; Path=/; HttpOnly; Secure; SameSite=Lax", set[0])
			}
			token := s.Do(exampletest.Req{Method: "POST", Path: "/api/token", Body: exampletest.Credentials("alice", "alice-password")})
			for _, line := range []string{set[1], token.Header.Get("Set-Cookie")} {
				name, rest, _ := strings.Cut(line, "=")
				value, attrs, _ := strings.Cut(rest, "; ")
				if name != "__Host-gobware_device" || len(value) != 75 || attrs != "Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Strict" {
					t.Errorf("device Set-Cookie = %q; want __Host-gobware_device=<75 chars>; Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Strict", line)
				}
			}
			if cc := login.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("login Cache-Control = %q; want no-store", cc)
			}
			logout := s.Do(exampletest.Req{Method: "DELETE", Path: "/api/session", Cookie: login.Cookie()})
			exampletest.Expect(t, "logout", logout, 204)
			if got, want := logout.Header.Values("Set-Cookie"), "__Host-gobware_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"; len(got) != 1 || got[0] != want {
				t.Errorf("logout Set-Cookie = %q; want [%q]", got, want)
			}
			if cc := logout.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("logout Cache-Control = %q; want no-store", cc)
			}
		})
	}
}

// TestConformanceRawHeaders sends what Go's client refuses to: CR in a
// header, binary bytes, a huge header. Every framework answers with a 4xx
// and goes on serving.
func TestConformanceRawHeaders(t *testing.T) {
	cases := []struct{ name, request string }{
		{"a bare CR inside a cookie", "GET /api/me HTTP/1.1\r\nHost: x\r\nCookie: __Host-gobware_session=abc\rdef\r\n\r\n"},
		{"an LF-folded header", "GET /api/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\r\n def\r\n\r\n"},
		{"a NUL in the authorization header", "GET /api/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\x00b\r\n\r\n"},
		{"control bytes in a cookie", "GET /api/me HTTP/1.1\r\nHost: x\r\nCookie: __Host-gobware_session=\x01\x02\x7f" + strings.Repeat("A", 84) + "\r\n\r\n"},
		{"a 100 KiB header", "GET /api/me HTTP/1.1\r\nHost: x\r\nCookie: a=" + strings.Repeat("b", 100<<10) + "\r\n\r\n"},
	}
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			addr := strings.TrimPrefix(s.URL, "http://")
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					status := rawStatus(t, addr, tc.request)
					if status < 400 || status >= 500 {
						t.Errorf("status %d; want a 4xx", status)
					}
				})
			}
			s.T = t
			exampletest.Expect(t, "healthz after the raw requests", s.Do(exampletest.Req{Method: "GET", Path: "/healthz"}), 200)
		})
	}
}

func rawStatus(t *testing.T, addr, request string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write([]byte(request)); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("no status line: %v", err)
	}
	var proto string
	var status int
	if _, err := fmt.Sscanf(line, "%s %d", &proto, &status); err != nil {
		t.Fatalf("status line %q: %v", line, err)
	}
	return status
}

// TestConformanceUnknownMethods sends methods no route registers. Every
// framework answers with a 4xx; where it is a 405 (net/http and gin for any
// method, fiber for the standard ones: fasthttp refuses a method it does not
// know with its own 400 before routing), Allow names the resource's methods.
func TestConformanceUnknownMethods(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			for _, m := range []string{"FOO", "PROPFIND", "CONNECT", "TRACE", "PATCH"} {
				r := s.Do(exampletest.Req{Method: m, Path: "/api/me"})
				if r.Status < 400 || r.Status >= 500 {
					t.Errorf("%s /api/me = %d; want a 4xx", m, r.Status)
				}
				if r.Status == 405 {
					checkProblem(t, r, 405, "method_not_allowed")
					if allow := r.Header.Get("Allow"); allow != "GET, HEAD" {
						t.Errorf("%s /api/me: Allow = %q; want %q", m, allow, "GET, HEAD")
					}
				}
			}
		})
	}
}
