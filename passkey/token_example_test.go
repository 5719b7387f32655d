package passkey_test

import (
	"context"
	"fmt"
	"log"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeytest"
	"github.com/gobware/gobware/strategy/jwt"
)

// A passkey sign-in that ends in a token pair, for an API client, instead
// of a session cookie: the passkey says who the user is, and IssueWith
// records that the user signed in with a passkey, so every access token
// and every refresh of the family says so too.
func Example_tokenPair() {
	ctx := context.Background()
	quiet := func(context.Context, core.Event) {}
	passkeys, err := passkey.New("localhost", []string{"http://localhost:8080"}, passkey.NewMemoryStore(), passkey.Options{Events: quiet})
	if err != nil {
		log.Fatal(err)
	}
	keys, err := core.ParseKeyRing("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=") // os.Getenv("ACCESS_TOKEN_SECRET")
	if err != nil {
		log.Fatal(err)
	}
	tokens, err := jwt.New(keys, jwt.NewMemoryStore(), jwt.Options{Events: quiet})
	if err != nil {
		log.Fatal(err)
	}
	browser := passkeytest.NewAuthenticator("http://localhost:8080")
	options, _ := passkeys.BeginRegistration(ctx, passkey.User{ID: "alice"})
	answer, _ := browser.Create(options)
	if _, err := passkeys.FinishRegistration(ctx, "alice", "Laptop", answer); err != nil {
		log.Fatal(err)
	}

	// POST /passkeys/login/token, say: the answer to BeginLogin's options.
	options, _ = passkeys.BeginLogin(ctx)
	answer, _ = browser.Get(options)
	c, err := passkeys.FinishLogin(ctx, answer)
	if err != nil {
		log.Fatal(err) // answer with core.Status(err): a 401 for a refused passkey
	}
	pair, err := tokens.IssueWith(ctx, c.UserID, jwt.IssueOptions{Method: core.MethodPasskey})
	if err != nil {
		log.Fatal(err)
	}

	id, err := tokens.Authenticate((&coretest.Request{}).AddHeader("Authorization", "Bearer "+pair.AccessToken))
	fmt.Println(id.UserID, id.Method, !id.AuthTime.IsZero(), err)
	refreshed, err := tokens.Refresh(ctx, pair.RefreshToken)
	if err != nil {
		log.Fatal(err)
	}
	id, err = tokens.Authenticate((&coretest.Request{}).AddHeader("Authorization", "Bearer "+refreshed.AccessToken))
	fmt.Println(id.UserID, id.Method, err)
	// Output:
	// alice passkey true <nil>
	// alice passkey <nil>
}
