// Package limiter slows down password guessing. An application calls it
// around its own password check:
//
//	keys := []string{limiter.Account(username), limiter.IP(clientIP)}
//	if err := l.Check(ctx, keys...); err != nil {
//		return err // *limiter.LimitedError (429 with Retry-After), or a store failure
//	}
//	userID, err := users.Verify(ctx, username, password)
//	if err != nil {
//		l.Failure(ctx, keys...) // count the wrong password against every key
//		return err
//	}
//	l.Success(ctx, limiter.Account(username)) // the account starts afresh
//
// Each key (an account, a client address) may fail Options.Free times in a
// row for free; after that it must wait before its next attempt, and the
// wait doubles with every further failure (Options.Backoff, capped at
// Options.MaxBackoff). A key's failures are forgotten after Options.Forget
// without one, or when Success is called for it. While a key must wait,
// Check refuses even the right password: an attacker must not be able to
// tell a correct guess from a refused one.
//
// Addresses get more free failures than accounts (Options.IPFree), because
// one address may front a whole office. Success is called for the account
// only: a login to the attacker's own account must not clear the counter of
// the address from which other accounts are attacked. IP groups IPv6
// addresses by /64, the block a single subscriber usually holds.
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
// passwords into username fields.
//
// # Guarantees and limits
//
// Check and Failure are separate calls, so requests that pass Check at the
// same moment all get their password checked before the first failure is
// counted: a burst of N concurrent guesses is answered in full once. After
// that the key waits, whatever the concurrency. A store that fails makes
// Check fail (the caller answers 503): the limiter never fails open.
//
// Refused checks are reported as core.EventRateLimited and counted failures
// as core.EventLoginFailed, through Options.Events; events carry a salted
// hash of the key, never the key.
package limiter
