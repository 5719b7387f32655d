package passkey_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeytest"
)

// A signed-in user registers a passkey, then signs in with it alone. The
// software authenticator plays the browser; in an application the options
// go to navigator.credentials.create/get and their answers come back as
// request bodies.
func Example() {
	ctx := context.Background()
	passkeys, err := passkey.New("localhost", []string{"http://localhost:8080"}, passkey.NewMemoryStore(), passkey.Options{
		Events: func(context.Context, core.Event) {}, // quiet for the example
	})
	if err != nil {
		panic(err)
	}
	browser := passkeytest.NewAuthenticator("http://localhost:8080")

	// Registration: the user "alice" is signed in with a password.
	options, _ := passkeys.BeginRegistration(ctx, passkey.User{ID: "alice", Name: "alice@example.com"})
	answer, _ := browser.Create(options)
	if _, err := passkeys.FinishRegistration(ctx, "alice", "Laptop", answer); err != nil {
		panic(err)
	}

	// Sign-in, usernameless: the passkey says who the user is.
	options, _ = passkeys.BeginLogin(ctx)
	answer, _ = browser.Get(options)
	c, err := passkeys.FinishLogin(ctx, answer)
	fmt.Println(c.UserID, c.Name, err)

	// The same answer again is a replay: its challenge is used up.
	_, err = passkeys.FinishLogin(ctx, answer)
	fmt.Println(errors.Is(err, passkey.ErrChallenge), core.Status(err))
	// Output:
	// alice Laptop <nil>
	// true 401
}

// Relying-party ID and origins are checked against each other when the
// Service is made.
func ExampleNew() {
	_, err := passkey.New("example.com", []string{"https://example.org"}, passkey.NewMemoryStore(), passkey.Options{})
	fmt.Println(errors.Is(err, passkey.ErrBadOption))
	fmt.Println(err)
	// Output:
	// true
	// passkey: invalid option: origin "https://example.org" is not on the relying-party ID "example.com" or a subdomain of it
}

// A user lists, renames and deletes their passkeys.
func ExampleService_List() {
	ctx := context.Background()
	passkeys, _ := passkey.New("localhost", []string{"http://localhost:8080"}, passkey.NewMemoryStore(), passkey.Options{
		Events: func(context.Context, core.Event) {},
	})
	browser := passkeytest.NewAuthenticator("http://localhost:8080")
	options, _ := passkeys.BeginRegistration(ctx, passkey.User{ID: "alice"})
	answer, _ := browser.Create(options)
	c, _ := passkeys.FinishRegistration(ctx, "alice", "", answer)

	_ = passkeys.Rename(ctx, "alice", c.ID, "Work laptop")
	list, _ := passkeys.List(ctx, "alice")
	fmt.Println(len(list), list[0].Name)
	fmt.Println(errors.Is(passkeys.Delete(ctx, "bob", c.ID), passkey.ErrNotFound)) // not bob's
	fmt.Println(passkeys.Delete(ctx, "alice", c.ID))
	// Output:
	// 1 Work laptop
	// true
	// <nil>
}

// Sign-in options are anonymous, so each client address gets a bounded
// number of challenges a minute. Behind gobware's middleware the request's
// context carries the client's address; here it is set by hand.
func ExampleLimitedError() {
	passkeys, err := passkey.New("localhost", []string{"http://localhost:8080"}, passkey.NewMemoryStore(), passkey.Options{
		MaxChallengesPerMinute: 2,
		Events:                 func(context.Context, core.Event) {},
	})
	if err != nil {
		panic(err)
	}
	ctx := core.WithRequestInfo(context.Background(), core.RequestInfo{ClientIP: "203.0.113.7"})
	for i := 1; i <= 3; i++ {
		_, err := passkeys.BeginLogin(ctx)
		var limited *passkey.LimitedError
		if errors.As(err, &limited) {
			fmt.Println(i, core.Status(err), limited.RetryAfter() > 0)
			continue
		}
		fmt.Println(i, err)
	}
	// Output:
	// 1 <nil>
	// 2 <nil>
	// 3 429 true
}
