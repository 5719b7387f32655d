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
// # What a session carries
//
// LoginWith records, beside the user, how the user signed in
// (core.LoginOptions.Method), the time of the sign-in, and small
// application attributes (roles under core.RoleAttribute, a tenant), all
// in the session's row or key: Authenticate returns them in the Identity
// (Method, AuthTime, Attributes, and Expires, the earlier of the idle and
// absolute deadlines) from the same single store read that finds the
// session. Attributes are bounded by core.MaxAttributesSize; more is
// refused at login. Touch never changes the auth time.
//
// "Remember me" is chosen at each login (core.LoginOptions.Remember): a
// persistent cookie expires at the session's absolute deadline, any other
// is a browser-session cookie; Options.Persistent is the default.
//
// Update changes a live session (new attributes; a step-up that makes the
// auth time now, after a second factor) and gives it a new ID in the same
// atomic store step (see Rotator): the old cookie stops working at the
// instant the new one starts, on every server, and of concurrent updates
// of one session exactly one succeeds.
//
// Options.Domain and Options.Path scope the cookie for deployments that
// share a session across subdomains or mount the application under a
// path; both need the __Secure- prefix (the default name becomes
// "__Secure-gobware_session"), since browsers drop a __Host- cookie with
// either. Read the trade-off on Options.Domain before sharing a domain.
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
// a store do more: Looker (a cheaper lookup for authentication), Capper
// (the per-user session cap) and Rotator (Update); the memory,
// storage/gorm and storage/redis stores implement Capper and Rotator.
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
