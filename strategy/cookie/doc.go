// Package cookie authenticates requests by a signed session cookie backed by
// a server-side session table: the stateful half of gobware.
//
// # How it works
//
// Login makes a new session ID (32 random bytes, base64url), stores the
// session under the ID's SHA-256 hash, and sets the cookie
//
//	__Host-gobware_session=<id>.<HMAC-SHA256(key, cookie name, id)>
//
// with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain. Authenticate
// reads that cookie, checks its length, alphabet and signature (constant
// time, against every key of the ring) before it goes anywhere near the
// store, so a forged cookie costs no database query. Then it looks the hash
// up; the store answers only for a session before both its idle deadline
// and its absolute deadline. Logout deletes the row, which makes the cookie
// worthless even if someone kept a copy.
//
//	keys, err := core.ParseKeyRing(os.Getenv("SESSION_SECRET"))
//	auth, err := cookie.New(keys, cookie.NewMemoryStore(), cookie.Options{})
//
//	// in the login handler, once the password is checked:
//	err = auth.Login(req, resp, userID)
//	// on every request:
//	id, err := auth.Authenticate(req) // id.UserID
//
// Request and Response are gobware's framework-neutral views (package core);
// the adapters provide them for net/http, gin and fiber.
//
// # Guarantees
//
//   - The ID is never reused: every Login issues a fresh one and deletes the
//     session of any valid cookie the request carried (no session fixation).
//     Call Login again to rotate the ID, e.g. after a password change.
//   - An ID the server did not issue, or whose session expired or was
//     deleted, is never adopted (ErrUnknownSession).
//   - Two cookies with the session's name are refused (ErrDuplicateCookie):
//     one of them was planted.
//   - The store sees only hashes; events and errors never contain an ID, a
//     cookie value or a hash.
//   - Idle expiry costs no write per request: the idle deadline is pushed
//     back at most once per Options.TouchInterval.
//   - A store failure is an error wrapping ErrStore (and core.ErrUnavailable
//     when the store says so): a 5xx, never a 401.
//
// # Keys
//
// Keys are at least 32 bytes and separate from every other secret (in
// particular from the access-token key). The first key signs, every key
// verifies: to rotate, put a new key first, and drop the old one once
// Options.Lifetime has passed.
//
// # Stores
//
// Store is the small interface this package needs. MemoryStore keeps
// sessions in memory; package storage/gorm keeps them in SQLite,
// PostgreSQL or MySQL/MariaDB, and package storage/redis in Redis. All of
// them pass the same conformance suite, cookietest. Optional interfaces let
// a store do more: Looker (a cheaper lookup for authentication) and Capper
// (the per-user session cap).
//
// # Managing sessions
//
// Sessions lists a user's live sessions (show them by Session.Hash.Handle,
// with CurrentHandle marking the device in use); End ends one by handle;
// LogoutEverywhere ends them all. Options.MaxSessionsPerUser caps how many
// sessions one user may have: a login beyond it ends the oldest, atomically
// in the store (see Capper), and reports each with a session_ended event
// whose reason is "session_cap". Security events (login, logout,
// invalid_signature, unknown_session, ...) go to Options.Events, by default
// slog.
package cookie
