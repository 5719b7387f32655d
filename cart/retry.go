package cart

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
)

// maxAttempts bounds how often one change is tried when the database rolls
// it back to break a deadlock.
const maxAttempts = 10

// withRetry runs op again when the database aborted it to break a deadlock
// or a serialization conflict, after a short random pause that grows with
// each attempt so that the colliding statements stop meeting. Every op given
// here changes the cart in statements that each commit on their own, and the
// one that failed was undone entirely, so trying again is safe.
//
// MySQL and MariaDB abort even single-row statements this way (an INSERT
// meeting a row that a concurrent DELETE has just marked deleted), and their
// manual asks applications to retry. PostgreSQL and SQLite rarely need it.
func withRetry(ctx context.Context, op func() error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = op()
		if err == nil || !isDeadlock(err) || attempt == maxAttempts || ctx.Err() != nil {
			return err
		}
		pause := time.NewTimer(rand.N(time.Duration(attempt) * 2 * time.Millisecond))
		select {
		case <-ctx.Done():
			pause.Stop()
			return err
		case <-pause.C:
		}
	}
}

// isDeadlock reports whether err says the database aborted the statement to
// break a deadlock or a serialization conflict.
func isDeadlock(err error) bool {
	// PostgreSQL's driver (pgconn.PgError) reports the SQLSTATE.
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		state := coded.SQLState()
		return state == "40001" || state == "40P01"
	}
	// The MySQL driver's error has no accessor, and cart imports no driver;
	// its message is "Error 1213 (40001): Deadlock found ...".
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.HasPrefix(e.Error(), "Error 1213 ") {
			return true
		}
	}
	return false
}
