package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

func TestCheckOrigin(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		header  map[string]string
		refused bool
	}{
		{"a safe method is never refused", "GET", map[string]string{"Sec-Fetch-Site": "cross-site"}, false},
		{"same-origin fetch metadata passes", "POST", map[string]string{"Sec-Fetch-Site": "same-origin"}, false},
		{"a user-initiated navigation passes", "POST", map[string]string{"Sec-Fetch-Site": "none"}, false},
		{"cross-site fetch metadata is refused", "POST", map[string]string{"Sec-Fetch-Site": "cross-site"}, true},
		{"same-site fetch metadata is refused", "DELETE", map[string]string{"Sec-Fetch-Site": "same-site"}, true},
		{"fetch metadata wins over a matching origin", "PUT", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://shop.example"}, true},
		{"an origin naming the host passes", "POST", map[string]string{"Origin": "https://shop.example"}, false},
		{"an origin naming another host is refused", "POST", map[string]string{"Origin": "https://evil.example"}, true},
		{"an origin on another port is refused", "PATCH", map[string]string{"Origin": "https://shop.example:8443"}, true},
		{"a null origin is refused", "POST", map[string]string{"Origin": "null"}, true},
		{"no browser headers at all passes (not a browser)", "POST", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFake(tt.method)
			for k, v := range tt.header {
				r.Headers.Set(k, v)
			}
			err := httpapi.CheckOrigin(r)
			if got := errors.Is(err, core.ErrForbiddenOrigin); got != tt.refused {
				t.Errorf("CheckOrigin(%s %v) = %v; want refused=%v", tt.method, tt.header, err, tt.refused)
			}
		})
	}
}

// cookieStrategy stands in for the cookie strategy: it names its cookie and
// accepts the value "good".
type cookieStrategy struct{}

func (cookieStrategy) CookieName() string { return "sid" }
func (cookieStrategy) Authenticate(r core.Request) (core.Identity, error) {
	switch v := r.Cookies("sid"); {
	case len(v) == 0:
		return core.Identity{}, core.ErrNoCredential
	case v[0] == "good":
		return core.Identity{UserID: "1", Strategy: "cookie"}, nil
	}
	return core.Identity{}, core.ErrInvalidCredential
}

type bearer struct{ core.Strategy }

func (bearer) Challenge() string { return "Bearer" }

func problemCode(t *testing.T, r *httpapi.Reply) string {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q; want application/problem+json", ct)
	}
	var p httpapi.Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != r.Status || p.Title == "" || p.Detail == "" || p.Type == "" {
		t.Fatalf("incomplete problem %s for status %d", r.Body, r.Status)
	}
	return p.Code
}

func TestGuard(t *testing.T) {
	panics := core.StrategyFunc(func(core.Request) (core.Identity, error) { panic("boom") })
	down := core.StrategyFunc(func(core.Request) (core.Identity, error) {
		return core.Identity{}, fmt.Errorf("store: %w", core.ErrUnavailable)
	})
	tests := []struct {
		name       string
		guard      httpapi.Guard
		method     string
		cookie     string
		origin     string
		wantStatus int
		wantCode   string
		wantUser   string
	}{
		{"a valid cookie passes with the identity", httpapi.Guard{Strategy: cookieStrategy{}}, "GET", "good", "", 200, "", "1"},
		{"no credential is 401 unauthenticated", httpapi.Guard{Strategy: cookieStrategy{}}, "GET", "", "", 401, "unauthenticated", ""},
		{"a bad cookie is 401 invalid_credentials", httpapi.Guard{Strategy: cookieStrategy{}}, "GET", "forged", "", 401, "invalid_credentials", ""},
		{"a cross-origin write with the cookie is 403", httpapi.Guard{Strategy: cookieStrategy{}}, "POST", "good", "https://evil.example", 403, "forbidden_origin", ""},
		{"a cross-origin write without the cookie is not refused for origin", httpapi.Guard{Strategy: cookieStrategy{}}, "POST", "", "https://evil.example", 401, "unauthenticated", ""},
		{"a panicking strategy is a 500", httpapi.Guard{Strategy: panics}, "GET", "", "", 500, "internal", ""},
		{"an unreachable store is 503, not 401", httpapi.Guard{Strategy: down}, "GET", "good", "", 503, "unavailable", ""},
		{"optional lets an anonymous request through", httpapi.Guard{Strategy: cookieStrategy{}, Optional: true}, "GET", "", "", 200, "", ""},
		{"optional lets a stale cookie through anonymously", httpapi.Guard{Strategy: cookieStrategy{}, Optional: true}, "GET", "forged", "", 200, "", ""},
		{"optional still reports an outage", httpapi.Guard{Strategy: down, Optional: true}, "GET", "", "", 503, "unavailable", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFake(tt.method)
			if tt.cookie != "" {
				r.AddCookie("sid", tt.cookie)
			}
			if tt.origin != "" {
				r.Headers.Set("Origin", tt.origin)
			}
			ctx, reply := tt.guard.Check(context.Background(), r)
			if tt.wantStatus == 200 {
				if reply != nil {
					t.Fatalf("Check() refused with %d %s", reply.Status, reply.Body)
				}
				if got := core.UserID(ctx); got != tt.wantUser {
					t.Errorf("UserID = %q; want %q", got, tt.wantUser)
				}
				return
			}
			if reply == nil || reply.Status != tt.wantStatus {
				t.Fatalf("Check() = %+v; want status %d", reply, tt.wantStatus)
			}
			if code := problemCode(t, reply); code != tt.wantCode {
				t.Errorf("code = %q; want %q", code, tt.wantCode)
			}
		})
	}
}

func TestGuardChallengesOnlyOn401(t *testing.T) {
	g := httpapi.Guard{Strategy: core.Chain(cookieStrategy{}, bearer{core.StrategyFunc(func(core.Request) (core.Identity, error) {
		return core.Identity{}, core.ErrNoCredential
	})})}
	_, reply := g.Check(context.Background(), newFake("GET"))
	if reply == nil || reply.Status != 401 || reply.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Fatalf("Check(no credential) = %+v; want 401 with WWW-Authenticate: Bearer", reply)
	}
	r := newFake("POST")
	r.AddCookie("sid", "good")
	r.Headers.Set("Sec-Fetch-Site", "cross-site")
	if _, reply := g.Check(context.Background(), r); reply == nil || reply.Header.Get("WWW-Authenticate") != "" {
		t.Fatalf("Check(cross-site) = %+v; want 403 without a challenge", reply)
	}
}

func TestDecodeJSON(t *testing.T) {
	type line struct {
		SKU      string `json:"sku"`
		Quantity int    `json:"quantity"`
	}
	type body struct {
		Name  string         `json:"name"`
		Lines []line         `json:"lines"`
		Meta  map[string]any `json:"meta"`
	}
	tests := []struct {
		name, contentType, body string
		wantStatus              int
		wantDetail              string
	}{
		{"a well-formed body decodes", "application/json", `{"name":"x"}`, 0, ""},
		{"a nested body decodes", "application/json", `{"name":"x","lines":[{"sku":"a","quantity":2}],"meta":{"k":"v","K":"w"}}`, 0, ""},
		{"a charset parameter is fine", "application/json; charset=utf-8", `{"name":"x"}`, 0, ""},
		{"a +json type is fine", "application/merge-patch+json", `{"name":"x"}`, 0, ""},
		{"a missing content type is 400", "", `{"name":"x"}`, 400, "The body must be JSON, sent with Content-Type: application/json."},
		{"a form content type is 400", "application/x-www-form-urlencoded", `name=x`, 400, "The body must be JSON, sent with Content-Type: application/json."},
		{"an empty body is 400", "application/json", ``, 400, "The body is empty; a JSON object is expected."},
		{"truncated JSON is 400", "application/json", `{"name":"x`, 400, "The body is not valid JSON."},
		{"a wrong field type is 400", "application/json", `{"name":7}`, 400, `The field "name" has the wrong type.`},
		{"an unknown field is 400 and named", "application/json", `{"name":"x","admin":true}`, 400, `The body has the field "admin", which this endpoint does not accept.`},
		{"two JSON values are 400", "application/json", `{"name":"x"}{"name":"y"}`, 400, "The body holds more than one JSON value."},
		{"binary garbage is 400", "application/json", "\x00\xff\xfe", 400, "The body is not valid UTF-8."},
		{"a body over 1 MiB is 413", "application/json", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "The body is larger than 1 MiB."},

		{"a duplicate field is 400 and named", "application/json", `{"name":"nobody","name":"alice"}`, 400, `The field "name" appears twice.`},
		{"a duplicate spelled with an escape is 400", "application/json", `{"name":"a","n\u0061me":"b"}`, 400, `The field "name" appears twice.`},
		{"a duplicate in an array element is 400 with its path", "application/json", `{"lines":[{"sku":"a","sku":"b"}]}`, 400, `The field "lines.sku" appears twice.`},
		{"a duplicate in a free-form object is 400", "application/json", `{"meta":{"a":{"b":1,"b":2}}}`, 400, `The field "meta.a.b" appears twice.`},
		{"a field in capitals is 400 and named", "application/json", `{"NAME":"x"}`, 400, `The body has the field "NAME", which this endpoint does not accept; fields are case-sensitive.`},
		{"a field in mixed case at depth is 400", "application/json", `{"lines":[{"Sku":"a"}]}`, 400, `The body has the field "lines.Sku", which this endpoint does not accept; fields are case-sensitive.`},
		{"a Kelvin sign for k is 400 and shown as an escape", "application/json", `{"lines":[{"s\u212aU":"a"}]}`, 400, `The body has the field "lines.s\u212aU", which this endpoint does not accept; fields are case-sensitive.`},
		{"a long s for s is 400", "application/json", "{\"lines\":[{\"\u017fku\":\"a\"}]}", 400, `The body has the field "lines.\u017fku", which this endpoint does not accept; fields are case-sensitive.`},
		{"an invalid UTF-8 byte in a value is 400", "application/json", "{\"name\":\"a\xffb\"}", 400, "The body is not valid UTF-8."},
		{"an invalid UTF-8 byte in a name is 400", "application/json", "{\"na\xc0me\":\"a\"}", 400, "The body is not valid UTF-8."},
		{"a lone surrogate escape is 400", "application/json", `{"name":"\udc00"}`, 400, "The body is not valid UTF-8."},
		{"a huge integer is 400 and named", "application/json", `{"lines":[{"quantity":99999999999999999999}]}`, 400, `The field "lines.quantity" must be a whole number within range.`},
		{"an exponent beyond float64 is 400", "application/json", `{"lines":[{"quantity":1e400}]}`, 400, `The field "lines.quantity" must be a whole number within range.`},
		{"a fraction for an integer is 400", "application/json", `{"lines":[{"quantity":1.5}]}`, 400, `The field "lines.quantity" must be a whole number within range.`},
		{"a thousand-digit number in a free-form object is 400", "application/json", `{"meta":{"n":1` + strings.Repeat("0", 1000) + `}}`, 400, `The field "meta" has the wrong type.`},
		{"nesting 65 deep is 400", "application/json", `{"meta":{"a":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}}`, 400, "The body nests arrays and objects more than 64 levels deep."},
		{"a body of open brackets is 400", "application/json", strings.Repeat("[", 1<<20-1), 400, "The body nests arrays and objects more than 64 levels deep."},
		{"a 3000-byte unknown name is quoted in part", "application/json", `{"` + strings.Repeat("x", 3000) + `":1}`, 400, `The body has the field "` + strings.Repeat("x", 64) + `"…, which this endpoint does not accept.`},
		{"a control character in a name is quoted as an escape", "application/json", `{"a\u0000\n":1}`, 400, `The body has the field "a\x00\n", which this endpoint does not accept.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFake("POST")
			r.body = tt.body
			if tt.contentType != "" {
				r.Headers.Set("Content-Type", tt.contentType)
			}
			var b body
			err := httpapi.DecodeJSON(r, &b)
			var p *httpapi.Problem
			switch {
			case tt.wantStatus == 0 && err != nil:
				t.Errorf("DecodeJSON() = %v; want success", err)
			case tt.wantStatus != 0 && (!errors.As(err, &p) || p.Status != tt.wantStatus || p.Detail != tt.wantDetail):
				t.Errorf("DecodeJSON() = %#v; want a %d problem saying %q", err, tt.wantStatus, tt.wantDetail)
			}
		})
	}
}

func TestProblemForMapsEveryError(t *testing.T) {
	tests := []struct {
		err        error
		wantStatus int
		wantCode   string
	}{
		{core.ErrNoCredential, 401, "unauthenticated"},
		{fmt.Errorf("x: %w", core.ErrInvalidCredential), 401, "invalid_credentials"},
		{core.ErrForbiddenOrigin, 403, "forbidden_origin"},
		{fmt.Errorf("x: %w", core.ErrForbidden), 403, "forbidden"},
		{fmt.Errorf("x: %w", core.ErrReauthenticationRequired), 403, "reauthentication_required"},
		{fmt.Errorf("gorm: %w", core.ErrUnavailable), 503, "unavailable"},
		{fmt.Errorf("add: %w", cart.ErrUnknownProduct), 404, "not_found"},
		{cart.ErrInvalidQuantity, 422, "validation_failed"},
		{cart.ErrLineLimit, 422, "validation_failed"},
		{cart.ErrInvalidSKU, 404, "not_found"},
		{errors.New(`pq: relation "x" does not exist`), 500, "internal"},
		{httpapi.NewProblem(http.StatusTeapot, "teapot", "short and stout"), 418, "teapot"},
	}
	for _, tt := range tests {
		p := httpapi.ProblemFor(tt.err)
		if p.Status != tt.wantStatus || p.Code != tt.wantCode {
			t.Errorf("ProblemFor(%v) = %d %s; want %d %s", tt.err, p.Status, p.Code, tt.wantStatus, tt.wantCode)
		}
	}
	if p := httpapi.ProblemFor(errors.New(`pq: secret table "users"`)); strings.Contains(p.Detail, "users") {
		t.Errorf("ProblemFor leaked the internal error into the detail: %q", p.Detail)
	}
}

func TestServe(t *testing.T) {
	hit := 0
	ok := func(ctx context.Context, r httpapi.Request) *httpapi.Reply { hit++; return httpapi.NoContent() }
	boom := func(ctx context.Context, r httpapi.Request) *httpapi.Reply { panic("handler bug") }
	res := httpapi.Resources([]httpapi.Route{
		{Method: "GET", Pattern: "/x", Handler: ok},
		{Method: "DELETE", Pattern: "/x", Handler: ok, Sessions: cookieNamed("sid")},
		{Method: "POST", Pattern: "/login", Handler: ok, LoginCSRF: true},
		{Method: "GET", Pattern: "/boom", Handler: boom},
	})

	r := newFake("PATCH")
	reply := httpapi.Serve(res[0], r)
	if reply.Status != 405 || reply.Header.Get("Allow") != "DELETE, GET, HEAD" || problemCode(t, reply) != "method_not_allowed" {
		t.Errorf("Serve(PATCH /x) = %d Allow=%q; want 405 Allow=DELETE, GET, HEAD", reply.Status, reply.Header.Get("Allow"))
	}

	r = newFake("DELETE")
	r.AddCookie("sid", "v")
	r.Headers.Set("Origin", "https://evil.example")
	if reply := httpapi.Serve(res[0], r); reply.Status != 403 || hit != 0 {
		t.Errorf("Serve(cross-origin DELETE with cookie) = %d, handler ran %d times; want 403 and no run", reply.Status, hit)
	}

	r = newFake("POST")
	r.Headers.Set("Sec-Fetch-Site", "cross-site")
	if reply := httpapi.Serve(res[1], r); reply.Status != 403 || hit != 0 {
		t.Errorf("Serve(cross-site login without cookie) = %d; want 403 (login CSRF)", reply.Status)
	}

	if reply := httpapi.Serve(res[2], newFake("GET")); reply.Status != 500 || problemCode(t, reply) != "internal" {
		t.Errorf("Serve(panicking handler) = %d; want 500", reply.Status)
	}
}

// cookieNamed is a strategy that reads the cookie name and nothing else.
type cookieNamed string

func (c cookieNamed) CookieName() string { return string(c) }
func (cookieNamed) Authenticate(core.Request) (core.Identity, error) {
	return core.Identity{}, core.ErrNoCredential
}

func TestProblemForAClientThatWentAwayIs499NotAnOutage(t *testing.T) {
	err := fmt.Errorf("cookie: session store failed: %w: %w", core.ErrUnavailable, context.Canceled)
	p := httpapi.ProblemFor(err)
	if p.Status != 499 || p.Code != "client_closed_request" {
		t.Errorf("ProblemFor(cancelled) = %d %s; want 499 client_closed_request", p.Status, p.Code)
	}
	if core.Status(err) != p.Status {
		t.Errorf("core.Status = %d, ProblemFor = %d; want one status table", core.Status(err), p.Status)
	}
	if p := httpapi.ProblemFor(fmt.Errorf("dial: %w", syscall.ECONNREFUSED)); p.Status != 503 {
		t.Errorf("ProblemFor(ECONNREFUSED) = %d; want 503 (a real outage)", p.Status)
	}
}

func TestProblemWrapsItsCause(t *testing.T) {
	p := httpapi.ProblemFor(fmt.Errorf("guard: %w", core.ErrForbiddenOrigin))
	if !errors.Is(p, core.ErrForbiddenOrigin) || p.Status != 403 {
		t.Errorf("ProblemFor(forbidden origin) = %v; want a 403 that errors.Is core.ErrForbiddenOrigin", p)
	}
}

// unreadable is a body that fails the test if anything reads it.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the body was read")
	return 0, io.EOF
}

// TestDecodeJSONRefusesADeclaredLargeBodyUnread checks that a
// Content-Length over MaxBodySize is a 413 before a byte is read.
func TestDecodeJSONRefusesADeclaredLargeBodyUnread(t *testing.T) {
	r := httptest.NewRequest("POST", "/", unreadable{t})
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Length", "4194304")
	var v struct{}
	err := httpapi.DecodeJSON(httpapi.HTTPRequest(r, nil), &v)
	if p := httpapi.ProblemFor(err); p.Status != 413 || p.Code != "payload_too_large" {
		t.Errorf("DecodeJSON with Content-Length 4 MiB = %v; want 413 payload_too_large", err)
	}
}

// quotaError is a domain error of an application's own that says its status.
type quotaError struct{}

func (quotaError) Error() string   { return "shop: basket is full" }
func (quotaError) HTTPStatus() int { return http.StatusConflict }

// TestClientErrorsBecomeTheirStatus checks httpapi.ClientError: a domain
// error with an HTTPStatus method, wrapped or not, becomes that 4xx with
// its text as the detail; a status that is not a 4xx is ignored.
func TestClientErrorsBecomeTheirStatus(t *testing.T) {
	p := httpapi.ProblemFor(fmt.Errorf("checkout: %w", quotaError{}))
	if p.Status != 409 || p.Code != "conflict" {
		t.Errorf("ProblemFor(wrapped quotaError) = %d %s; want 409 conflict", p.Status, p.Code)
	}
	if p := httpapi.ProblemFor(quotaError{}); p.Detail != "Basket is full." {
		t.Errorf("detail %q; want %q", p.Detail, "Basket is full.")
	}
	if p := httpapi.ProblemFor(serverSays(502)); p.Status != 500 {
		t.Errorf("an error saying 502 = %d; want 500 (only a 4xx is the client's)", p.Status)
	}
}

type serverSays int

func (s serverSays) Error() string   { return "upstream" }
func (s serverSays) HTTPStatus() int { return int(s) }

func TestGuardNamesTheRequestInTheStrategysEventsAndInTheContextItReturns(t *testing.T) {
	var seen core.RequestInfo
	s := core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		seen, _ = core.RequestInfoFrom(r.Context())
		return core.Identity{UserID: "u1", Strategy: "test"}, nil
	})
	for _, tt := range []struct {
		name, header string
		plain        bool
	}{
		{"a plain X-Request-ID is kept", "req-123", true},
		{"without one a new ID is made", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://shop.example/api/me", nil)
			r.RemoteAddr = "192.0.2.7:4000"
			if tt.header != "" {
				r.Header.Set(httpapi.RequestIDHeader, tt.header)
			}
			ctx, reply := httpapi.Guard{Strategy: s}.Check(r.Context(), httpapi.HTTPRequest(r, nil))
			if reply != nil {
				t.Fatalf("Check = %d; want a pass", reply.Status)
			}
			got, ok := core.RequestInfoFrom(ctx)
			if !ok || got != seen || got.ClientIP != "192.0.2.7" || got.ID == "" || (tt.plain && got.ID != tt.header) {
				t.Errorf("context's RequestInfo = %+v, %v; the strategy saw %+v; want one info, from 192.0.2.7, ID %q", got, ok, seen, tt.header)
			}
			if core.UserID(ctx) != "u1" {
				t.Errorf("UserID = %q; want u1", core.UserID(ctx))
			}
		})
	}
}

// The guard's price on a request that passes is one allocation: the
// request wrapped with its lazily made request info and room for the
// identity. The *http.Request adapter, the cookie and header reads and the
// identity's context node take none of their own.
func TestGuardLetsARequestThroughWithOneAllocation(t *testing.T) {
	s := core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		if v, n := core.CookieValue(r, "sid"); n != 1 || v != "abc" {
			return core.Identity{}, core.ErrNoCredential
		}
		if v, n := core.HeaderValue(r, "Authorization"); n != 1 || v != "Bearer x" {
			return core.Identity{}, core.ErrNoCredential
		}
		return core.Identity{UserID: "alice", Strategy: "test"}, nil
	})
	g := httpapi.Guard{Strategy: s}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", "other=1; sid=abc")
	r.Header.Set("Authorization", "Bearer x")
	var ctx context.Context
	n := testing.AllocsPerRun(100, func() {
		var reply *httpapi.Reply
		ctx, reply = g.Check(r.Context(), httpapi.HTTPRequest(r, nil))
		if reply != nil {
			t.Fatalf("refused: %d %s", reply.Status, reply.Body)
		}
	})
	if core.UserID(ctx) != "alice" {
		t.Fatalf("the context carries %q; want alice", core.UserID(ctx))
	}
	if n > 1 {
		t.Errorf("a request that passes the guard took %v allocations; want 1", n)
	}
}

// HeaderValue and CookieValue of the *http.Request adapter answer what
// Header and Cookies do, first value and count, whatever the name's case.
func TestHTTPRequestValuesAgreeWithTheirSlices(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Add("Authorization", "Bearer a")
	r.Header.Add("Authorization", "Bearer b")
	r.Header.Add("Cookie", `sid=1; other=x`)
	r.Header.Add("Cookie", `sid="2"`)
	q := httpapi.HTTPRequest(r, nil)
	for _, name := range []string{"Authorization", "authorization", "X-Missing", "x-missing"} {
		vs := q.Header(name)
		v, n := core.HeaderValue(q, name)
		if n != len(vs) || n > 0 && v != vs[0] || n == 0 && v != "" {
			t.Errorf("HeaderValue(%q) = %q, %d; Header gives %q", name, v, n, vs)
		}
	}
	for _, name := range []string{"sid", "other", "none"} {
		vs := q.Cookies(name)
		v, n := core.CookieValue(q, name)
		if n != len(vs) || n > 0 && v != vs[0] || n == 0 && v != "" {
			t.Errorf("CookieValue(%q) = %q, %d; Cookies gives %q", name, v, n, vs)
		}
	}
	if v, n := core.CookieValue(q, "sid"); v != "1" || n != 2 {
		t.Errorf("CookieValue(sid) = %q, %d; want 1, 2", v, n)
	}
}

// slowDown is a 429 the client caused, with its own words and wait, as
// passkey.LimitedError is.
type slowDown struct{}

func (slowDown) Error() string             { return "quota: too many exports this hour" }
func (slowDown) HTTPStatus() int           { return http.StatusTooManyRequests }
func (slowDown) RetryAfter() time.Duration { return 90 * time.Second }

func TestTooManyRequestsShowsAClientErrorsOwnDetail(t *testing.T) {
	reply := httpapi.Error(fmt.Errorf("export: %w", slowDown{}))
	p := reply.Problem
	if reply.Status != 429 || p.Code != "too_many_requests" || p.Detail != "Too many exports this hour." || reply.Header.Get("Retry-After") != "90" {
		t.Errorf("reply = %d %s %q, Retry-After %q; want 429 too_many_requests with the error's text and 90",
			reply.Status, p.Code, p.Detail, reply.Header.Get("Retry-After"))
	}
	// A rate-limit error that is not a client error keeps the generic text.
	if p := httpapi.ProblemFor(fmt.Errorf("login: %w", core.ErrRateLimited)); p.Status != 429 || p.Detail != "Too many failed attempts; try again after the time in Retry-After." {
		t.Errorf("ProblemFor(ErrRateLimited) = %d %q; want 429 with the failed-attempts text", p.Status, p.Detail)
	}
}
