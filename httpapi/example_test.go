package httpapi_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// An adapter over a framework of its own reads cookies as net/http does
// from the raw Cookie header lines.
func ExampleReadCookie() {
	lines := []string{`theme=dark; sid="abc.def"`, "sid=second"}
	first, n := httpapi.ReadCookie(lines, "sid")
	fmt.Println(first, n)
	fmt.Println(httpapi.ReadCookies(lines, "sid"))
	// Output:
	// abc.def 2
	// [abc.def second]
}

// Guard is what every adapter's middleware runs: on success the context
// it returns carries the Identity; otherwise the reply says what to send.
func ExampleGuard() {
	apiKey := core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		if v, n := core.HeaderValue(r, "X-Api-Key"); n == 1 && v == "k-123" {
			return core.Identity{UserID: "build-bot", Strategy: "apikey"}, nil
		}
		return core.Identity{}, core.ErrNoCredential
	})
	g := httpapi.Guard{Strategy: apiKey}

	r := httptest.NewRequest("GET", "/builds", nil)
	r.Header.Set("X-Api-Key", "k-123")
	ctx, reply := g.Check(r.Context(), httpapi.HTTPRequest(r, nil))
	fmt.Println(core.UserID(ctx), reply == nil)

	anonymous := httptest.NewRequest("GET", "/builds", nil)
	_, reply = g.Check(anonymous.Context(), httpapi.HTTPRequest(anonymous, nil))
	fmt.Println(reply.Status)
	// Output:
	// build-bot true
	// 401
}
