package sqlite

import (
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"
	sqlitedriver "gorm.io/driver/sqlite"

	"github.com/gobware/gobware/core"
)

// dialector is GORM's SQLite dialector with an error translation that marks
// SQLite's outages as core.ErrUnavailable. With gorm.Config.TranslateError
// set, GORM passes every error of a query, an Exec, a scan, a transaction's
// BEGIN, COMMIT and ROLLBACK through Translate; storage/gorm does the same
// for the few lookups it runs on database/sql directly.
type dialector struct {
	sqlitedriver.Dialector
}

// Translate implements gorm.ErrorTranslator. Unlike the embedded
// dialector's translation it keeps every other error as the driver gave it
// (no gorm.ErrDuplicatedKey), so that turning translation on changes
// nothing but the outages.
func (dialector) Translate(err error) error {
	return translate(err)
}

// translate wraps core.ErrUnavailable around the SQLite errors that mean
// "the database cannot serve now": busy or locked beyond the busy timeout,
// a file it cannot open, an I/O error, a full disk. Any other error is
// returned unchanged, and nil stays nil.
func translate(err error) error {
	if err == nil || errors.Is(err, core.ErrUnavailable) {
		return err
	}
	var liteErr sqlite3.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked, sqlite3.ErrCantOpen, sqlite3.ErrIoErr, sqlite3.ErrFull:
			return fmt.Errorf("%w: %w", core.ErrUnavailable, err)
		}
	}
	return err
}
