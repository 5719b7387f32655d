package cart

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// stateError is an error that reports its SQLSTATE, as PostgreSQL's does.
type stateError string

func (e stateError) Error() string    { return "pg: " + string(e) }
func (e stateError) SQLState() string { return string(e) }

func TestIsDeadlock(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"a PostgreSQL deadlock is retried", stateError("40P01"), true},
		{"a PostgreSQL serialization failure is retried", fmt.Errorf("wrapped: %w", stateError("40001")), true},
		{"a PostgreSQL unique violation is not retried", stateError("23505"), false},
		{"a MySQL deadlock is retried", errors.New("Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction"), true},
		{"a wrapped MySQL deadlock is retried", fmt.Errorf("cart: add mug: %w", errors.New("Error 1213 (40001): Deadlock found")), true},
		{"a MySQL lock wait timeout is not retried", errors.New("Error 1205 (HY000): Lock wait timeout exceeded"), false},
		{"a closed database is not retried", errors.New("sql: database is closed"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isDeadlock(tc.err); got != tc.want {
				t.Errorf("isDeadlock(%q) = %v; want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestWithRetry(t *testing.T) {
	deadlock := stateError("40P01")
	t.Run("a deadlock is retried until the statement passes", func(t *testing.T) {
		calls := 0
		err := withRetry(context.Background(), func() error {
			if calls++; calls < 3 {
				return deadlock
			}
			return nil
		})
		if err != nil || calls != 3 {
			t.Errorf("withRetry(fails twice) = %v after %d calls; want nil after 3", err, calls)
		}
	})
	t.Run("retries stop after maxAttempts", func(t *testing.T) {
		calls := 0
		err := withRetry(context.Background(), func() error { calls++; return deadlock })
		if !errors.Is(err, deadlock) || calls != maxAttempts {
			t.Errorf("withRetry(always deadlocks) = %v after %d calls; want %v after %d", err, calls, deadlock, maxAttempts)
		}
	})
	t.Run("other errors are not retried", func(t *testing.T) {
		calls := 0
		other := errors.New("boom")
		err := withRetry(context.Background(), func() error { calls++; return other })
		if !errors.Is(err, other) || calls != 1 {
			t.Errorf("withRetry(boom) = %v after %d calls; want boom after 1", err, calls)
		}
	})
	t.Run("a cancelled context stops the retries", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		calls := 0
		err := withRetry(ctx, func() error { calls++; return deadlock })
		if !errors.Is(err, deadlock) || calls != 1 {
			t.Errorf("withRetry(cancelled) = %v after %d calls; want %v after 1", err, calls, deadlock)
		}
	})
}
