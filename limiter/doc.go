// Package limiter slows down password guessing. An application reserves an
// attempt before its own password check and settles it afterwards:
//
//	res, err := l.Reserve(ctx, limiter.LoginKeys(r, username, devices)...)
//	if err != nil {
//		return err // *limiter.LimitedError (429 with Retry-After), or a store failure (503)
//	}
//	settle := context.WithoutCancel(ctx) // settled even if the client hangs up
//	userID, err := users.Verify(ctx, username, password)
//	if err != nil {
//		res.Failed(settle) // the attempt stays counted
//		return err
//	}
//	res.Succeeded(settle) // the account starts afresh; the address gets its attempt back
//	devices.Issue(w, limiter.Account(username)) // a new device token for this browser
//
// Each key (an account, a client address, a device) may fail Options.Free
// times in a row for free; after that it must wait before its next attempt,
// and the wait doubles with every further failure (Options.Backoff, capped
// at Options.MaxBackoff). A key's failures are forgotten after
// Options.Forget without one, or when a login with it succeeds. While a key
// must wait, Reserve refuses even the right password: an attacker must not
// be able to tell a correct guess from a refused one.
//
// Addresses get more free failures than accounts (Options.IPFree), because
// one address may front a whole office. A success resets the account (and
// device) keys but gives the address only its own attempt back: a login to
// the attacker's own account must not clear the counter of the address from
// which other accounts are attacked. IP groups IPv6 addresses by /64, the
// block a single subscriber usually holds.
//
// # Count first, then check
//
// Reserve counts the attempt before the password is checked, with one
// atomic compare-and-swap per key on the store, so concurrent attempts
// cannot all pass before the first is counted: however many arrive at once,
// on however many servers sharing the store, a key lets through exactly
// what one client trying in sequence gets — its free failures and the one
// that starts the wait, then one attempt per backoff window. There is no
// separate "check" and "count" for an application to call in the wrong
// order: the Reservation is the only way to settle, and a reservation that
// is never settled (a crash, a panic, an error in the password check)
// stays counted as a failure. Settle with a context that the client cannot
// cancel (context.WithoutCancel), so that hanging up during the password
// check changes nothing. The price: attempts in flight count, so more
// simultaneous logins to one account than its allowance (a script, a load
// test) get 429 until the earlier ones have settled.
//
// # Device tokens
//
// An attacker who guesses at an account locks its owner out too, unless
// the owner's browser can be told apart. Devices implements OWASP's
// device-cookie scheme: after each successful login the browser gets a
// device token (Devices.Issue: cookie __Host-gobware_device, HttpOnly,
// Secure, SameSite=Strict, a year), an expiry and a random nonce under an
// HMAC-SHA256 that also covers the account key and the cookie name; no
// user data is readable in it. A later attempt on that account from a
// browser with a valid token counts under the device's own key
// (LoginKeys), with its own allowance (Options.DeviceFree), and neither
// the account's nor the address's count. Every other attempt — no token,
// an expired or forged one, one issued for another account — meets the
// account and address limits. A device's success does not reset the
// account's count: the failures there came from elsewhere.
//
// Tokens are stateless: a renewed token does not revoke the previous one
// before its expiry. That is acceptable because a token only ever buys the
// device allowance on one account; it is not a credential. The key must be
// at least 32 bytes of randomness used for nothing else (NewDevices refuses
// a key this process already gave the session or access-token strategy,
// through core.ClaimKeys); the example servers read it from DEVICE_SECRET (a
// key ring, like the others; random per start when unset) and refuse to
// start when it equals one of the other keys.
//
// # Account keys
//
// Account keys a name in one normal form, so that spelling variants of one
// account share its allowance: "Alice", "ALICE", "ａｌｉｃｅ" (fullwidth),
// "café" with a combining accent or a precomposed é, "STRASSE" and
// "straße" each count as one name. The form is Unicode's compatibility
// caseless match (NFKD and full case folding, composed as NFKC); names that
// differ otherwise (a space, a Cyrillic look-alike) are counted apart. The
// key decides only what is counted together: the application's user
// directory alone decides which account a name logs in to.
//
// # Stores
//
// Counters live in a Store. NewMemoryStore, the default, serves one process;
// storage/gorm and storage/redis have stores that several servers share. A
// store only ever sees the SHA-256 of a key, never a username: people type
// passwords into username fields. A store that fails makes Reserve fail
// (the caller answers 503): the limiter never fails open.
//
// Refused attempts are reported as core.EventRateLimited and failed ones
// as core.EventLoginFailed, through Options.Events; events carry a salted
// hash of the key, never the key.
package limiter
