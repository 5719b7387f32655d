// Package core is gobware's contract: the one question every strategy answers
// ("which user sent this request?"), the small request and response abstraction
// that lets the same strategy run on net/http, gin and fiber, and the error
// taxonomy that every adapter maps to HTTP in the same way.
//
// A Strategy turns a Request into an Identity or an error. The error says what
// happened, and callers check it with errors.Is:
//
//   - ErrNoCredential: the request carries nothing this strategy understands.
//     A Chain moves on to its next strategy; at the end of the chain it is a 401.
//   - ErrInvalidCredential: a credential is present but forged, expired, revoked
//     or malformed. The chain stops; it is a 401.
//   - ErrUnavailable: a backend (database, cache) did not answer. It is a 503,
//     never a 401: an outage must not look like everybody logging out.
//   - anything else is a failure of the server: a 500.
//
// An Identity says more than who: how the user signed in (Method), when
// (AuthTime, kept across refreshes), until when the credential is accepted
// (Expires), and the small Attributes the application chose at login, such
// as roles. RequireAttribute and RequireFreshLogin are the pure checks an
// authorisation decision needs; they answer ErrForbidden and
// ErrReauthenticationRequired, both 403, which the HTTP layers tell apart
// by problem code ("forbidden", "reauthentication_required").
//
// Strategies never write responses themselves; adapters do, from the error.
// Strategies that issue credentials (a session cookie, say) write through the
// Response interface, which every adapter implements for its framework.
//
// core imports nothing but the standard library, so a custom strategy (API keys,
// mTLS, a header set by a trusted proxy) depends on nothing else of gobware.
package core
