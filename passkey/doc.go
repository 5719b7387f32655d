// Package passkey signs users in with passkeys (WebAuthn discoverable
// credentials), on top of github.com/go-webauthn/webauthn.
//
// A Service runs the two WebAuthn ceremonies of one relying party:
//
//   - Registration, for a user who is already signed in (with a password,
//     say): BeginRegistration returns the options for the browser's
//     navigator.credentials.create; FinishRegistration verifies the answer
//     and stores the new passkey's public key.
//   - Sign-in, usernameless: BeginLogin returns options with no allow list,
//     so the browser offers whichever passkeys it holds for the site;
//     FinishLogin verifies the answer and returns the passkey, whose UserID
//     is the user to sign in.
//
// After a sign-in the application does what it does after a password
// check, recording that the user signed in with a passkey: a session
// (cookie.Strategy.LoginWith) for a browser,
//
//	c, err := passkeys.FinishLogin(ctx, body)
//	if err != nil {
//		return err // 401: see below
//	}
//	return sessions.LoginWith(req, resp, c.UserID, core.LoginOptions{Method: core.MethodPasskey})
//
// or a token pair (jwt.Strategy.IssueWith with the same method) for an API
// client; see Example_tokenPair. Either way the Identity of every later
// request says Method "passkey".
//
// Both ceremonies require a discoverable credential and user verification
// (a PIN or biometric on the authenticator), so a passkey alone is two
// factors. Attestation is not requested.
//
// # Configuration
//
// New takes the relying-party ID (the site's registrable domain, such as
// "example.com", or "localhost" in development) and the origins its pages
// are served from ("https://example.com", "http://localhost:8080"). Both
// are required; an origin must be https (http only on localhost), carry no
// path, and sit on the RP ID or a subdomain of it. Anything else is refused
// by New with an error wrapping ErrBadOption, since browsers would refuse
// every ceremony.
//
// # Challenges
//
// Each Begin call stores a fresh 32-byte challenge in a ChallengeStore
// (under its SHA-256), bound to its ceremony and, for a registration, to
// the signed-in user. It is accepted for ChallengeTTL (five minutes) and
// only once: the Finish call that names it removes it, whatever the
// outcome, so a response can never be replayed. The default store is in
// process memory (MemoryChallenges); servers behind one name share
// storage/gorm's ChallengeStore or storage/redis's.
//
// Sign-in options are handed to anyone who asks, so each client address
// (IPv6 by /64) is issued at most Options.MaxChallengesPerMinute
// challenges a minute (DefaultMaxChallengesPerMinute, 600): one client
// cannot fill the challenge store. The address is the client address of
// the request's core.RequestInfo, which gobware's middleware, its
// RequestInfo middleware and httpapi's routes put on the request's
// context, through trusted proxies only; a client over the bound gets a
// *LimitedError, which HTTP layers answer with 429 and Retry-After.
//
// # What is stored
//
// A Store keeps each passkey's credential ID, public key, signature counter,
// flags and names: nothing secret, so a leaked table signs nobody in.
// MemoryStore serves tests; storage/gorm's PasskeyStore keeps them on
// SQLite, PostgreSQL or MySQL/MariaDB. The storage contract lives in
// package passkeystore (standard library only), so storage/gorm does not
// compile in the WebAuthn library; this package re-exports its names. The
// user handle the authenticator
// holds is UserHandle(userID), a SHA-256 of the user ID, never the ID
// itself. List, Rename and Delete manage a user's passkeys; another user's
// passkey is ErrNotFound.
//
// # Refusals and events
//
// Bad input (a malformed or oversized response, one whose body or client
// data has a member named twice or a WebAuthn member name in another case,
// which the WebAuthn library's encoding/json would read differently from a
// proxy or log, an unknown, used, expired
// or misbound challenge, a credential of another origin or RP ID, no user
// verification, a bad signature, an unknown credential, a signature counter
// that did not increase) is refused with an error wrapping one of this
// package's sentinels and core.ErrInvalidCredential, which core.Status
// answers with 401; nothing is stored or updated. Each refusal is reported
// to Options.Events: core.EventPasskeyRefused for a registration,
// core.EventLoginFailed for a sign-in, with Strategy "passkey" and a
// machine-readable Reason. A failing store is ErrStore (5xx), never a
// refusal.
//
// The signature counter is handled as the library reports it: a counter
// that does not move past the stored one sets the library's clone warning,
// and FinishLogin refuses the sign-in with ErrCounter. Authenticators that
// report 0 every time (most synced passkeys) are accepted.
//
// Package passkeytest has a software authenticator that produces real
// attestations and assertions, for testing applications end to end, and
// the conformance suites of Store and ChallengeStore.
package passkey
