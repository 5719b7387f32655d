package browser_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// addAuthenticator gives the tab a platform authenticator through the
// DevTools WebAuthn domain: CTAP2, internal transport, resident keys, user
// verification that succeeds. It returns its ID.
func (b *tab) addAuthenticator() webauthn.AuthenticatorID {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		b.t.Fatalf("WebAuthn.enable: %v", err)
	}
	res, err := chromedp.Call(b.ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
		Protocol:                    webauthn.AuthenticatorProtocolCtap2,
		Ctap2version:                webauthn.Ctap2versionCtap21,
		Transport:                   webauthn.AuthenticatorTransportInternal,
		HasResidentKey:              true,
		HasUserVerification:         true,
		IsUserVerified:              true,
		AutomaticPresenceSimulation: true,
	}})
	if err != nil {
		b.t.Fatalf("WebAuthn.addVirtualAuthenticator: %v", err)
	}
	return res.AuthenticatorID
}

// credentials returns how many credentials the virtual authenticator holds.
func (b *tab) credentials(id webauthn.AuthenticatorID) int {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: id})
	if err != nil {
		b.t.Fatalf("WebAuthn.getCredentials: %v", err)
	}
	n := 0
	for _, c := range res.Credentials {
		if c.IsResidentCredential && c.RpID == "localhost" {
			n++
		}
	}
	return n
}

// TestPasskeyWalk, on every framework, opens the page at
// http://localhost:<port> (the default PASSKEY_ORIGINS) in Chromium with a
// virtual platform authenticator: alice signs in with her password, adds a
// passkey, renames it, signs out, signs in with the passkey alone, sees it listed,
// deletes it, and finds that it no longer signs her in. An authenticator
// that cannot verify the user gets a clear message.
func TestPasskeyWalk(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			chromium(t)
			s := exampletest.Start(t, fw)
			b := openTab(t, s)
			u, _ := url.Parse(s.URL)
			b.base = "http://localhost:" + u.Port()
			auth := b.addAuthenticator()
			b.open()

			b.signIn("cookie", "alice", "alice-password")
			b.waitState("cookie")
			if got := b.text("#passkeys-empty"); got == "<missing>" {
				t.Fatal("the account has no passkeys panel")
			}
			b.click("#add-passkey")
			b.waitMessage("info", "Your passkey was added")
			if n := eval[int](b, `document.querySelectorAll('#passkeys li').length`); n != 1 {
				t.Fatalf("the page lists %d passkeys after adding one; want 1", n)
			}
			if n := b.credentials(auth); n != 1 {
				t.Fatalf("the authenticator holds %d discoverable credentials for localhost; want 1", n)
			}
			b.click("#add-passkey")
			b.waitMessage("error", "already holds a passkey")

			// Renamed in place, with the keyboard; an empty name is refused
			// on the page and changes nothing.
			b.typeInto("[data-rename-passkey] input", "Work laptop\r")
			b.waitMessage("info", `Renamed the passkey to "Work laptop"`)
			if got := b.text("#passkeys li .agent"); got != "Work laptop" {
				t.Errorf("the renamed passkey reads %q; want Work laptop", got)
			}
			b.typeInto("[data-rename-passkey] input", "   \r")
			b.waitMessage("error", "Give the passkey a name")
			if got := b.text("#passkeys li .agent"); got != "Work laptop" {
				t.Errorf("after an empty name the passkey reads %q; want Work laptop", got)
			}

			b.click("#sign-out")
			b.waitState("signed-out")
			b.click("#passkey-sign-in")
			b.waitState("cookie")
			b.waitMessage("info", "You signed in with a passkey")
			if got := b.text("#who-name"); got != "alice" {
				t.Errorf("signed in with the passkey as %q; want alice", got)
			}
			if got := b.text("#passkeys li .times"); !strings.Contains(got, "last used") {
				t.Errorf("the passkey's line reads %q; want its last use", got)
			}

			b.click("[data-delete-passkey]")
			b.waitMessage("info", "no longer signs you in")
			if n := eval[int](b, `document.querySelectorAll('#passkeys li').length`); n != 0 {
				t.Errorf("the page lists %d passkeys after deleting it; want 0", n)
			}
			b.click("#sign-out")
			b.waitState("signed-out")
			b.click("#passkey-sign-in")
			b.waitMessage("error", "That passkey did not sign you in")
			if got := b.state(); got != "signed-out" {
				t.Errorf("state after the deleted passkey = %q; want signed-out", got)
			}

			// The authenticator now fails user verification: the browser
			// refuses, and the page says so.
			if _, err := chromedp.Call(b.ctx, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: auth, IsUserVerified: false}); err != nil {
				t.Fatalf("WebAuthn.setUserVerified: %v", err)
			}
			b.click("#passkey-sign-in")
			b.waitMessage("error", "No passkey was used")
			b.noPageErrors()
		})
	}
}
