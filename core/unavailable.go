package core

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// IsUnavailable reports whether err means that a backend could not be
// reached or could not serve right now, so that the request deserves a 503
// (try again) rather than a 500 (a bug) or a 401 (bad credentials): err
// wraps [ErrUnavailable], a closed or dropped connection, a refused, reset or
// timed-out network call, a cancelled context, a server shutting down or out
// of connections (SQLSTATE classes 08, 53 and 57P), or one of the errors the
// common database drivers only expose as text.
//
// It is the one place where gobware recognises outages: stores wrap what it
// recognises with [ErrUnavailable], and httpapi maps the rest of any
// application error through it, so a database that goes away mid-request is
// a 503 whichever package met it.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	for _, target := range []error{
		ErrUnavailable,
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
	// PostgreSQL drivers report SQLSTATE: class 08 connection exception,
	// 53 insufficient resources, 57P operator intervention (shutdown).
	var state interface{ SQLState() string }
	if errors.As(err, &state) {
		code := state.SQLState()
		if strings.HasPrefix(code, "08") || strings.HasPrefix(code, "53") || strings.HasPrefix(code, "57P") {
			return true
		}
	}
	msg := strings.ToLower(err.Error())
	for _, s := range unavailableTexts {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// unavailableTexts are outages that database/sql and the drivers only
// expose as text.
var unavailableTexts = []string{
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
	"database is locked",       // SQLite busy beyond its timeout
	"i/o timeout",              // flattened net timeouts
	"use of closed network connection",
}
