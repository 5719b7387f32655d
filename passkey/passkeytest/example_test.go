package passkeytest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeytest"
)

// An authenticator on another site's page answers with its own origin in
// the client data; the Service refuses the registration.
func ExampleAuthenticator() {
	ctx := context.Background()
	passkeys, _ := passkey.New("localhost", []string{"http://localhost:8080"}, passkey.NewMemoryStore(), passkey.Options{
		Events: func(context.Context, core.Event) {},
	})
	phished := passkeytest.NewAuthenticator("https://evil.example")
	options, _ := passkeys.BeginRegistration(ctx, passkey.User{ID: "alice"})
	answer, _ := phished.Create(options)
	_, err := passkeys.FinishRegistration(ctx, "alice", "", answer)
	fmt.Println(errors.Is(err, passkey.ErrVerification))
	// Output: true
}
