// Package bench measures gobware beside the libraries people would otherwise
// use for the same job, in one `go test -bench` run so that ratios, not
// absolute times, carry the result (RESULTS.md here has the targets and the
// latest run).
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
// The Redis rows of SessionAuth run when their server is given:
// gobware-redis and floor-redis-raw on GOBWARE_TEST_REDIS_URL,
// gobware-redis-cluster on GOBWARE_TEST_REDIS_CLUSTER_ADDRS (comma-separated
// seed nodes of a Redis Cluster); each skips with a message otherwise.
package bench
