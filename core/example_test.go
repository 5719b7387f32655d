package core_test

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
)

// APIKeys is a complete custom strategy: it authenticates machine clients
// that send "X-API-Key: <key>". Keys are compared as SHA-256 digests in
// constant time, so neither the key nor its length leaks through timing.
type APIKeys map[[32]byte]string // sha256(key) → user ID

func (k APIKeys) Authenticate(r core.Request) (core.Identity, error) {
	keys := r.Header("X-API-Key")
	switch {
	case len(keys) == 0:
		return core.Identity{}, core.ErrNoCredential // not for us: let the chain go on
	case len(keys) > 1 || len(keys[0]) > 256:
		return core.Identity{}, fmt.Errorf("apikey: malformed: %w", core.ErrInvalidCredential)
	}
	sum := sha256.Sum256([]byte(keys[0]))
	for digest, userID := range k {
		if subtle.ConstantTimeCompare(sum[:], digest[:]) == 1 {
			return core.Identity{UserID: userID, Strategy: "apikey"}, nil
		}
	}
	return core.Identity{}, fmt.Errorf("apikey: unknown key: %w", core.ErrInvalidCredential)
}

// Example_customStrategy writes an API-key strategy and chains it with
// another one, as an application would beside gobware's cookie and JWT.
func Example_customStrategy() {
	keys := APIKeys{sha256.Sum256([]byte("k-123")): "robot-7"}
	auth := core.Chain(keys, core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		return core.Identity{}, core.ErrNoCredential // stands in for the cookie strategy
	}))

	for _, key := range []string{"k-123", "wrong", ""} {
		r := &coretest.Request{} // stands in for the request an adapter passes
		if key != "" {
			r.AddHeader("X-API-Key", key)
		}
		id, err := auth.Authenticate(r)
		fmt.Printf("%q → user %q, strategy %q, status %d\n", key, id.UserID, id.Strategy, core.Status(err))
	}
	// Output:
	// "k-123" → user "robot-7", strategy "apikey", status 200
	// "wrong" → user "", strategy "", status 401
	// "" → user "", strategy "", status 401
}

func ExampleNewContext() {
	ctx := core.NewContext(context.Background(), core.Identity{UserID: "42", Strategy: "cookie"})
	fmt.Println(core.UserID(ctx))
	// Output: 42
}

func ExampleParseSecret() {
	_, err := core.ParseSecret("dG9vIHNob3J0")
	fmt.Println(err)
	key, _ := core.ParseSecret("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	fmt.Println(len(key))
	// Output:
	// core: secret must be base64 or base64url of exactly 32 bytes (got 9 bytes)
	// 32
}

// ExampleRequireAttribute checks a role and the age of the sign-in before a
// sensitive action, as a handler does with the Identity the middleware
// stored in its context.
func ExampleRequireAttribute() {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	id := core.Identity{
		UserID:     "alice",
		Method:     core.MethodPassword,
		AuthTime:   now.Add(-20 * time.Minute),
		Attributes: core.Attributes{core.RoleAttribute: {"admin"}, "tenant": {"acme"}},
	}
	fmt.Println(id.HasRole("admin"), id.Attributes.Get("tenant"))
	fmt.Println(core.RequireAttribute(id, core.RoleAttribute, "admin"))
	err := core.RequireFreshLogin(id, 15*time.Minute, now)
	fmt.Println(errors.Is(err, core.ErrReauthenticationRequired), core.Status(err))
	// Output:
	// true acme
	// <nil>
	// true 403
}

// A strategy reads its credential with CookieValue (or HeaderValue): the
// first value and how many the request carries, so that duplicates, a
// sign of cookie tossing, can be refused.
func ExampleCookieValue() {
	r := &coretest.Request{}
	r.AddCookie("sid", "abc").AddCookie("sid", "xyz")
	v, n := core.CookieValue(r, "sid")
	fmt.Println(v, n)
	// Output: abc 2
}
