// Package redis keeps gobware's server-side state in Redis (version 7 or
// later, through github.com/redis/go-redis/v9): sessions for the cookie
// strategy, refresh-token families, revocation watermarks and the
// access-token revocation list for the JWT strategy. It is the engine for sessions at scale: any number of app
// servers pointed at one Redis share every login, logout and refresh.
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
//	sessions, err := redisstore.NewSessionStore(client, redisstore.Options{})
//	auth, err := cookie.New(keys, sessions, cookie.Options{})
//
// Every key starts with Options.Prefix ("gobware:" by default), so several
// applications, or tests, can share one Redis database.
//
// What is stored: only SHA-256 hashes of session IDs and refresh tokens,
// never the values clients present, so a dump of Redis cannot be replayed.
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
// Users and families: per-user indexes (a sorted set of a user's sessions,
// a set of a user's refresh-token families) make "log out everywhere",
// listing a user's sessions and revoking a user's tokens cost one key per
// item of that user, never a scan of the keyspace.
//
// Atomicity: every write that reads first or touches several keys (create,
// touch, delete, log out everywhere, rotate, revoke) is one Lua script,
// which Redis runs without interleaving. So of concurrent refreshes of one
// token exactly one wins, and a touch racing a logout never revives the
// session. On Redis Cluster, give Options.Prefix a hash tag
// ("{gobware}:") so that the keys a script touches share a slot.
//
// Errors: "not found" is the consuming package's sentinel (cookie.ErrNotFound,
// jwt.ErrNotFound). Redis that cannot be reached or cannot serve (refused
// or dropped connection, closed client, pool timeout, cancelled context, a
// server loading or read-only after a fail-over) gives an error wrapping
// core.ErrUnavailable, which adapters answer with 503, never 401; go-redis
// reconnects by itself, so service resumes when Redis is back.
package redis
