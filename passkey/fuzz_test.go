package passkey_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeytest"
)

// fuzzRig returns a quiet Service with one passkey of alice's and a
// registration and a sign-in answered but not finished, as seeds.
func fuzzRig(f *testing.F) (svc *passkey.Service, created, asserted []byte) {
	ctx := context.Background()
	svc, err := passkey.New("localhost", []string{"http://localhost:8080"}, passkey.NewMemoryStore(), passkey.Options{Events: func(context.Context, core.Event) {}})
	if err != nil {
		f.Fatal(err)
	}
	auth := passkeytest.NewAuthenticator("http://localhost:8080")
	opts, _ := svc.BeginRegistration(ctx, passkey.User{ID: "alice"})
	first, err := auth.Create(opts)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := svc.FinishRegistration(ctx, "alice", "", first); err != nil {
		f.Fatal(err)
	}
	opts, _ = svc.BeginRegistration(ctx, passkey.User{ID: "bob"})
	created, _ = passkeytest.NewAuthenticator("http://localhost:8080").Create(opts)
	opts, _ = svc.BeginLogin(ctx)
	asserted, _ = auth.Get(opts)
	return svc, created, asserted
}

// Whatever the body, a finished registration is a passkey or a refusal
// wrapping core.ErrInvalidCredential: never a panic, never a 5xx.
func FuzzFinishRegistration(f *testing.F) {
	svc, created, asserted := fuzzRig(f)
	for _, seed := range [][]byte{created, asserted, []byte(`{}`), []byte(`{"id":"AA","rawId":"AA","type":"public-key","response":{}}`), nil} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := svc.FinishRegistration(context.Background(), "bob", "", body)
		if err != nil && (!errors.Is(err, core.ErrInvalidCredential) || core.Status(err) != 401) {
			t.Errorf("FinishRegistration(%q) = %v; want a refusal", body, err)
		}
	})
}

// Whatever the body, a finished sign-in is a user or a refusal wrapping
// core.ErrInvalidCredential: never a panic, never a 5xx.
func FuzzFinishLogin(f *testing.F) {
	svc, created, asserted := fuzzRig(f)
	for _, seed := range [][]byte{asserted, created, []byte(`{}`), []byte(`{"id":"AA","rawId":"AA","type":"public-key","response":{"authenticatorData":"AA"}}`), nil} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := svc.FinishLogin(context.Background(), body)
		if err != nil && (!errors.Is(err, core.ErrInvalidCredential) || core.Status(err) != 401) {
			t.Errorf("FinishLogin(%q) = %v; want a refusal", body, err)
		}
		if err == nil && c.UserID != "alice" {
			t.Errorf("FinishLogin signed in %q", c.UserID)
		}
	})
}
