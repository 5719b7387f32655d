package passkeystore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gobware/gobware/passkey/passkeystore"
)

// A challenge is taken once; the second Take finds nothing, which is what
// makes a WebAuthn response impossible to replay.
func ExampleMemoryChallenges() {
	ctx := context.Background()
	challenges := passkeystore.NewMemoryChallenges(0)
	c := passkeystore.Challenge{Hash: [32]byte{1}, Ceremony: passkeystore.Login, ExpiresAt: time.Now().Add(passkeystore.ChallengeTTL)}
	_ = challenges.Put(ctx, c)

	got, err := challenges.Take(ctx, c.Hash)
	fmt.Println(got.Ceremony, err)
	_, err = challenges.Take(ctx, c.Hash)
	fmt.Println(errors.Is(err, passkeystore.ErrNotFound))
	// Output:
	// login <nil>
	// true
}

// Another user's passkey is not found: Delete and Rename take the owner.
func ExampleMemoryStore() {
	ctx := context.Background()
	store := passkeystore.NewMemoryStore()
	_ = store.Create(ctx, passkeystore.Credential{ID: []byte{1, 2, 3}, UserID: "alice", Name: "Laptop", CreatedAt: time.Now()})

	fmt.Println(errors.Is(store.Delete(ctx, "bob", []byte{1, 2, 3}), passkeystore.ErrNotFound))
	fmt.Println(store.Delete(ctx, "alice", []byte{1, 2, 3}))
	// Output:
	// true
	// <nil>
}
