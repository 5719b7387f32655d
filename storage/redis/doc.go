// Package redis keeps gobware's server-side state in Redis (version 7 or
// later, through github.com/redis/go-redis/v9): sessions for the cookie
// strategy, refresh-token families, revocation watermarks, the
// access-token revocation list for the JWT strategy, the login limiter's
// counters and passkey challenges. It is the engine for sessions at scale:
// any number of app servers pointed at one Redis, or at one Redis Cluster,
// share every login, logout, refresh and passkey ceremony.
//
// Users usually import it under an alias, since it shares its name with
// go-redis itself:
//
//	import (
//		goredis "github.com/redis/go-redis/v9"
//		redisstore "github.com/gobware/gobware/storage/redis"
//	)
//
//	opt, err := goredis.ParseURL(os.Getenv("REDIS_URL"))
//	client := goredis.NewClient(opt)
//	// or, on Redis Cluster:
//	// client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: seedNodes})
//	sessions, err := redisstore.NewSessionStore(client, redisstore.Options{})
//	auth, err := cookie.New(keys, sessions, cookie.Options{})
//
// Every key starts with Options.Prefix ("gobware:" by default), so several
// applications, or tests, can share one Redis database.
//
// What is stored: only SHA-256 hashes of session IDs, refresh tokens and
// passkey challenges, never the values clients present, so a dump of Redis
// cannot be replayed.
// A refresh-token family is one hash of constant size, however often it
// rotates.
// Times are kept as microseconds since the Unix epoch, as the SQL stores
// keep them.
//
// Expiry: every key carries a Redis TTL at its deadline, so Redis itself
// removes dead state and no cleanup loop is needed. Reads still compare the
// deadlines with the caller's clock, so a session is dead at its deadline to
// the microsecond, and tests can move time without sleeping.
//
// # Keys and slots
//
// Every key names one thing, and no script touches two keys but one (a
// session update's swap, below, whose two keys share a slot by
// construction), so the same code runs on one Redis and on Redis Cluster
// (any goredis.UniversalClient; a session update needs one Redis or a
// Redis Cluster, not a goredis.Ring):
//
//	s:<hex SHA-256 of a session ID>   a session           (its own slot)
//	rf:<family ID>                    a refresh family    (its own slot)
//	limit:<hex SHA-256 of a key>      a limiter counter   (its own slot)
//	pk:<hex SHA-256 of a challenge>   a passkey challenge (its own slot)
//	jti:<jti>, wm:<subject>           revocations         (their own slots)
//	u:<user ID>, ru:<user ID>         the user's sessions and families (the user's slots)
//
// The session ID, the family ID, the limiter key and the challenge are
// random or hashed, so their keys spread evenly over the slots, hence over
// the shards; the cookie carries nothing else (no user, no routing hint).
// Looking a session up is one HMGET on its own slot. A user's index (a sorted set of the
// user's sessions, a set of the user's families) makes "log out
// everywhere", listing a user's sessions, the session cap and revoking a
// user's tokens cost one key per item of that user, never a scan. On Redis
// Cluster, keep hash tags ("{…}") out of the prefix: a tag puts every key
// in one slot, which still works but leaves the other shards idle. Run the
// cluster with cluster-require-full-coverage no, so that the shards that
// are up keep serving while one is down.
//
// # What is atomic, and in what order the writes go
//
// Each script and each command is atomic on its one key. Writes that
// concern an item and its user's index are two or three steps, ordered so
// that any prefix of them, which is what a crash leaves, is harmless:
//
//   - Create writes the session pending (its user under "puser", which
//     Find, List and Touch ignore), then adds it to the user's index, then
//     makes it live (puser becomes user) if it is still pending. A refresh
//     family is created the same way. A duplicate hash is refused at the
//     first step, before anything else is written.
//   - Delete deletes the session key, then its member in the index.
//   - DeleteUser (log out everywhere) reads the index, deletes every
//     session it lists, live or pending, then removes those members. So
//     does RevokeUser, which flags every family it lists as revoked, live
//     or pending, then drops from the set the families whose key is gone.
//   - A session is made live only from pending, and a member leaves an
//     index only after its key is gone (deleted by these steps, or expired),
//     so a key that is gone never becomes a session again.
//
// Log out everywhere racing a login: a session that existed (was live)
// before DeleteUser began was indexed before it went live, so DeleteUser
// reads it and deletes it. A login whose member DeleteUser read, but whose
// session was still pending, finds its key gone when it makes it live: the
// login is ordered before the logout, its session already over, and Create
// returns nil as for any session that ends at once. A login whose member
// DeleteUser did not read comes after the logout, keeps its session and its
// member (DeleteUser removes only the members it read). No live session is
// ever missing from its index, since members leave only after their key.
//
// A crash between two steps leaves a pending session (never shown, never
// touched, expiring at its deadline, deleted by the next DeleteUser, and by
// the next capped login once it is a minute old), or an index member
// without a session (ignored by every read, dropped by List and by capped
// logins, and expiring with the index), or a flagged cap victim (below).
// Nothing it leaves is ever taken for a session, a family or a right.
//
// Refreshes: a family is one key, and Rotate is one script on it, so of
// concurrent rotations of one token exactly one wins; revocation is a flag
// on that key. Families of an earlier layout, whose token hashes lived in
// keys of their own ("rt:"), are converted by reading the token's key (never
// written since) and then running the rotation script, which checks again
// that the family has not been converted meanwhile.
//
// Session cap (cookie.Capper): the decision is made in the user's slot. A
// capped login writes its session pending, then reads the user's index
// under WATCH together with every session it lists, and in one MULTI adds
// its own member and flags the sessions to end (index score -1); a MULTI
// whose index changed since the read fails and the login tries again. Only
// after deleting the flagged sessions does it make its own live, then it
// removes their members. Pending sessions of other logins count against
// the cap, so a later decision sees every session that may still go live.
// Hence at any moment the live sessions are at most the cap: take the
// session that went live last among them; its decision saw all the others
// in the index (members leave only after their key), and each was either
// kept among the cap's newest or flagged, and then deleted before that
// session went live. A victim's member is flagged at most once, so each
// ended session is reported by exactly one login. A login that died after
// flagging leaves flagged members, which the next capped login deletes.
//
// Session updates (cookie.Rotator, for cookie.Strategy.Update): the new
// session ID is drawn so that its key hashes to the old key's slot
// (Colocated; about 16384 SHA-256 draws, a few milliseconds, once per
// update), and the new session is written pending there with a from field
// naming the old one, then indexed, then one script on both keys checks
// that the old session is live and the new one still its pending
// successor, makes the new one live and leaves a moved marker (moved,
// muser) under the old hash. So Find sees the old session or the new one,
// never both or neither, and of concurrent updates of one session exactly
// one script finds the old session live. A log out everywhere that read
// the index before the new member was in it meets the marker and ends the
// session it points to. A capped login neither counts nor ends a pending
// successor (its predecessor counts, and ending that one makes the swap
// fail), unless it is older than a minute: a rotation that died.
//
// Login limits: a counter is one key, and CompareAndSwap is one script on
// it, so the limiter's reserve (swap from the version read) and settle
// (swap again) are atomic wherever the key lives.
//
// Passkey challenges: a challenge is one key, and Take is one GETDEL on it,
// so of concurrent answers to one challenge exactly one gets it.
//
// Errors: "not found" is the consuming package's sentinel ([cookie.ErrNotFound],
// [refresh.ErrNotFound], [passkeystore.ErrNotFound]). Redis that cannot be reached or cannot serve (refused
// or dropped connection, closed client, pool timeout, cancelled context, a
// server loading or read-only after a fail-over) gives an error wrapping
// core.ErrUnavailable, which adapters answer with 503, never 401; go-redis
// reconnects by itself, so service resumes when Redis is back. On Redis
// Cluster that holds per shard: a shard that is down fails the calls whose
// keys live there (a session lookup on it, or a login of a user whose
// index is on it), and only those.
package redis
