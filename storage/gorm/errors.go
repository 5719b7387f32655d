package gorm

import (
	"errors"
	"fmt"

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

// unavailable is core.IsUnavailable plus SQLite's own codes for a file it
// cannot use right now.
func unavailable(err error) bool {
	if core.IsUnavailable(err) {
		return true
	}
	var liteErr sqlite3.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked, sqlite3.ErrCantOpen, sqlite3.ErrIoErr, sqlite3.ErrFull:
			return true
		}
	}
	return false
}
