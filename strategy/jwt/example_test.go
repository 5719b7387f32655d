package jwt_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

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
