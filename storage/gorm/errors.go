package gorm

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/mattn/go-sqlite3"

	"github.com/gobware/gobware/core"
)

// classify marks errors that mean "the database cannot be reached or cannot
// serve now" (closed pool, refused or dropped connection, cancelled or
// timed-out context, busy or locked SQLite file, a server shutting down or
// out of connections) by wrapping core.ErrUnavailable, so that callers answer
// 503 instead of 500, and never 401. Other errors are returned unchanged;
// nil stays nil. Every store in this package passes its errors through it
// (except gorm.ErrRecordNotFound, which each store maps to its own "not
// found" sentinel first).
func classify(err error) error {
	if err == nil || errors.Is(err, core.ErrUnavailable) || !unavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", core.ErrUnavailable, err)
}

func unavailable(err error) bool {
	for _, target := range []error{
		context.Canceled, context.DeadlineExceeded,
		sql.ErrConnDone, driver.ErrBadConn,
		io.EOF, io.ErrUnexpectedEOF, net.ErrClosed,
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EPIPE, syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var liteErr sqlite3.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked, sqlite3.ErrCantOpen, sqlite3.ErrIoErr, sqlite3.ErrFull:
			return true
		}
	}
	// PostgreSQL (pgx) reports SQLSTATE: class 08 connection exception,
	// 53 insufficient resources, 57P operator intervention (shutdown).
	var state interface{ SQLState() string }
	if errors.As(err, &state) {
		code := state.SQLState()
		if strings.HasPrefix(code, "08") || strings.HasPrefix(code, "53") || strings.HasPrefix(code, "57P") {
			return true
		}
	}
	// Errors that database/sql and the drivers only expose as text.
	msg := strings.ToLower(err.Error())
	for _, s := range []string{
		"database is closed",       // database/sql after DB.Close
		"bad connection",           // driver.ErrBadConn flattened
		"invalid connection",       // go-sql-driver/mysql ErrInvalidConn
		"too many connections",     // MySQL 1040
		"conn closed",              // pgx
		"connection refused",       // flattened net errors
		"connection reset",         //
		"broken pipe",              //
		"server has gone away",     // MySQL 2006
		"lost connection to mysql", // MySQL 2013
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
