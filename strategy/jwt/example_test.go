package jwt_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
)

// exampleStrategy stands in for the application's setup: keys from
// ACCESS_TOKEN_SECRET, a GORM store in production.
func exampleStrategy() *jwt.Strategy {
	keys, err := core.ParseKeyRing("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=") // os.Getenv("ACCESS_TOKEN_SECRET")
	if err != nil {
		log.Fatal(err)
	}
	s, err := jwt.New(keys, jwt.NewMemoryStore(), jwt.Options{
		Events: func(context.Context, core.Event) {}, // keep the example's output quiet
	})
	if err != nil {
		log.Fatal(err)
	}
	return s
}

// Issuing a token pair at login.
func ExampleStrategy_Issue() {
	s := exampleStrategy()
	pair, err := s.Issue(context.Background(), "user-42")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token_type: Bearer")
	fmt.Println("expires_in:", pair.ExpiresIn.Seconds())
	fmt.Println("refresh token length:", len(pair.RefreshToken))
	// Output:
	// token_type: Bearer
	// expires_in: 900
	// refresh token length: 76
}

// Authenticating a request by its bearer token. Adapters do this through
// core.Strategy; here the request is built by hand.
func ExampleStrategy_Authenticate() {
	s := exampleStrategy()
	pair, err := s.Issue(context.Background(), "user-42")
	if err != nil {
		log.Fatal(err)
	}

	id, err := s.Authenticate(&coretest.Request{Headers: http.Header{"Authorization": {"Bearer " + pair.AccessToken}}})
	fmt.Println(id.UserID, id.Strategy, err)

	_, err = s.Authenticate(&coretest.Request{Headers: http.Header{"Authorization": {"Bearer " + pair.AccessToken[1:]}}})
	fmt.Println("tampered:", errors.Is(err, core.ErrInvalidCredential), core.Status(err))

	_, err = s.Authenticate(&coretest.Request{})
	fmt.Println("no header:", errors.Is(err, core.ErrNoCredential))
	// Output:
	// user-42 jwt <nil>
	// tampered: true 401
	// no header: true
}

// Refreshing: the refresh token is single use, and presenting it twice
// revokes its whole family.
func ExampleStrategy_Refresh() {
	s := exampleStrategy()
	ctx := context.Background()
	first, err := s.Issue(ctx, "user-42")
	if err != nil {
		log.Fatal(err)
	}

	second, err := s.Refresh(ctx, first.RefreshToken)
	fmt.Println("refresh:", err)

	_, err = s.Refresh(ctx, first.RefreshToken)
	fmt.Println("replay:", errors.Is(err, jwt.ErrReused))

	_, err = s.Refresh(ctx, second.RefreshToken)
	fmt.Println("family revoked:", errors.Is(err, jwt.ErrRevoked))
	// Output:
	// refresh: <nil>
	// replay: true
	// family revoked: true
}

// Log out everywhere with revocation watermarks: the user's access tokens
// stop working at once on this server (and within WatermarkTTL on others
// sharing the WatermarkStore), not only their refresh tokens.
func ExampleStrategy_RevokeUser() {
	keys := [][]byte{[]byte("an example key of exactly 32 by.")}
	s, err := jwt.New(keys, jwt.NewMemoryStore(), jwt.Options{
		Watermarks: jwt.NewMemoryWatermarks(), // storage/gorm and storage/redis have shared ones
		Events:     func(context.Context, core.Event) {},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	pair, err := s.Issue(ctx, "user-42")
	if err != nil {
		log.Fatal(err)
	}
	if err := s.RevokeUser(ctx, "user-42"); err != nil {
		log.Fatal(err)
	}
	_, err = s.Verify(pair.AccessToken)
	fmt.Println("access token:", errors.Is(err, jwt.ErrRevoked))
	_, err = s.Refresh(ctx, pair.RefreshToken)
	fmt.Println("refresh token:", errors.Is(err, jwt.ErrRevoked))
	again, _ := s.Issue(ctx, "user-42")
	_, err = s.Verify(again.AccessToken)
	fmt.Println("after logging in again:", err)
	// Output:
	// access token: true
	// refresh token: true
	// after logging in again: <nil>
}

// A reuse grace window for clients that refresh concurrently: the token
// just spent, presented again within it, gives the same new refresh token.
func ExampleOptions_reuseGrace() {
	keys := [][]byte{[]byte("an example key of exactly 32 by.")}
	s, err := jwt.New(keys, jwt.NewMemoryStore(), jwt.Options{
		ReuseGrace: 5 * time.Second,
		Events:     func(context.Context, core.Event) {},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	first, _ := s.Issue(ctx, "user-42")
	tab1, err1 := s.Refresh(ctx, first.RefreshToken)
	tab2, err2 := s.Refresh(ctx, first.RefreshToken) // another tab, a moment later
	fmt.Println(err1, err2, tab1.RefreshToken == tab2.RefreshToken)
	_, err = s.Refresh(ctx, tab2.RefreshToken)
	fmt.Println("family lives on:", err == nil)
	// Output:
	// <nil> <nil> true
	// family lives on: true
}

// A login records the method and the attributes; every access token of
// the family carries them inside the encryption, and RefreshAttributes
// re-derives the attributes at each refresh, so a role removed in the
// application's tables is gone from the next access token.
func ExampleStrategy_IssueWith() {
	keys, err := core.ParseKeyRing("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")
	if err != nil {
		log.Fatal(err)
	}
	roles := map[string][]string{"user-42": {"admin"}} // stands in for the application's user table
	s, err := jwt.New(keys, jwt.NewMemoryStore(), jwt.Options{
		Events: func(context.Context, core.Event) {},
		RefreshAttributes: func(_ context.Context, userID string, current core.Attributes) (core.Attributes, error) {
			next := current.Clone()
			next[core.RoleAttribute] = roles[userID]
			return next, nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	pair, err := s.IssueWith(context.Background(), "user-42", jwt.IssueOptions{
		Method:     core.MethodPassword,
		Attributes: core.Attributes{core.RoleAttribute: roles["user-42"], "tenant": {"acme"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	bearer := func(tok string) core.Request {
		return &coretest.Request{Headers: http.Header{"Authorization": {"Bearer " + tok}}}
	}
	id, _ := s.Authenticate(bearer(pair.AccessToken))
	fmt.Println(id.Method, id.HasRole("admin"), id.Attributes.Get("tenant"), !id.AuthTime.IsZero())

	roles["user-42"] = nil // the admin role is removed
	pair, err = s.Refresh(context.Background(), pair.RefreshToken)
	if err != nil {
		log.Fatal(err)
	}
	id, _ = s.Authenticate(bearer(pair.AccessToken))
	fmt.Println(id.Method, id.HasRole("admin"), id.Attributes.Get("tenant"))
	// Output:
	// password true acme true
	// password false acme
}
