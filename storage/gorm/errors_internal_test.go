package gorm

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	gormlib "gorm.io/gorm"

	"github.com/gobware/gobware/core"
)

// pgError mimics pgconn.PgError, which reports its SQLSTATE.
type pgError string

func (e pgError) Error() string    { return "pg error " + string(e) }
func (e pgError) SQLState() string { return string(e) }

func TestClassifyMarksOnlyOutagesUnavailable(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"nil stays nil", nil, false},
		{"a closed database", errors.New("sql: database is closed"), true},
		{"a closed connection", sql.ErrConnDone, true},
		{"a bad driver connection", fmt.Errorf("query: %w", driver.ErrBadConn), true},
		{"a cancelled context", fmt.Errorf("x: %w", context.Canceled), true},
		{"an expired deadline", context.DeadlineExceeded, true},
		{"a refused connection", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"a reset connection", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"a PostgreSQL connection failure (class 08)", pgError("08006"), true},
		{"PostgreSQL shutting down (57P01)", pgError("57P01"), true},
		{"PostgreSQL out of connections (53300)", pgError("53300"), true},
		{"SQLite busy beyond its timeout, by its message", errors.New("database is locked"), true},
		{"the MySQL driver's invalid connection", errors.New("invalid connection"), true},
		{"an already-unavailable error is kept as is", fmt.Errorf("x: %w", core.ErrUnavailable), true},
		{"a unique violation is a plain failure", pgError("23505"), false},
		{"a syntax error is a plain failure", errors.New("near \"SELEC\": syntax error"), false},
		{"record not found is not an outage", gormlib.ErrRecordNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err)
			if tt.err == nil {
				if got != nil {
					t.Errorf("classify(nil) = %v; want nil", got)
				}
				return
			}
			if errors.Is(got, core.ErrUnavailable) != tt.unavailable {
				t.Errorf("classify(%v) = %v; want unavailable=%v", tt.err, got, tt.unavailable)
			}
			if !errors.Is(got, tt.err) && got != tt.err {
				t.Errorf("classify(%v) = %v; want it to wrap the original", tt.err, got)
			}
		})
	}
}

// database/sql rolls back GORM's transaction when the request's context is
// cancelled, and the write then reports only sql.ErrTxDone: a store must
// still say "cancelled" (499), not a bug (500).
func TestAWriteCutShortByItsCancelledContextIsReportedAsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := classifyCtx(ctx, fmt.Errorf("commit: %w", sql.ErrTxDone))
	if !errors.Is(err, context.Canceled) || core.Status(err) != core.StatusClientClosedRequest {
		t.Errorf("classifyCtx(cancelled, ErrTxDone) = %v (status %d); want context.Canceled, 499", err, core.Status(err))
	}
	if err := classifyCtx(context.Background(), sql.ErrTxDone); errors.Is(err, context.Canceled) || core.Status(err) != 500 {
		t.Errorf("classifyCtx(live, ErrTxDone) = %v (status %d); want the error unchanged, 500", err, core.Status(err))
	}
	if err := classifyCtx(ctx, nil); err != nil {
		t.Errorf("classifyCtx(cancelled, nil) = %v; want nil", err)
	}
}
