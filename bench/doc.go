// Package bench measures gobware beside the libraries people would otherwise
// use for the same job, in one `go test -bench` run so that ratios, not
// absolute times, carry the result (BENCHMARKS.md here says what is
// measured and the targets, RESULTS.md has the latest run).
//
// It is its own module so that the peer libraries never enter gobware's
// go.mod. Run everything with ./run.sh; or a single family with, e.g.,
//
//	go test -run '^$' -bench 'SessionAuth' -benchmem -count 5
//
// Every implementation does the same work: from the credential as it
// arrives on an *http.Request (cookie header, or Authorization header) to
// the user ID, for an existing, valid session or token. Requests are built
// before the timed loop for all implementations alike.
//
// The server rows of SessionAuth run when their server is given, each in
// tables, a schema or a key prefix of its own that it removes at the end:
// gobware-postgres, scs-pgxstore and floor-postgres-raw on
// GOBWARE_TEST_POSTGRES_URL; gobware-redis, scs-goredisstore and
// floor-redis-raw on GOBWARE_TEST_REDIS_URL; gobware-redis-cluster on
// GOBWARE_TEST_REDIS_CLUSTER_ADDRS (comma-separated seed nodes of a Redis
// Cluster). Each skips with a message otherwise.
//
// Floors are floors: floor-hmac is one HMAC-SHA256 with a state keyed once
// (no allocation), floor-aesgcm one AES-256-GCM open with an AEAD made once,
// and floor-sqlite-raw, floor-postgres-raw and floor-redis-raw one prepared
// lookup (one HMGET) of exactly the columns (fields) gobware's store reads
// to authenticate, by the same key, on the same engine.
package bench
