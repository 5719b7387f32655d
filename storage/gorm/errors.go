package gorm

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// ErrBadOption is wrapped by every error the constructors return (a nil
// *gorm.DB, say) and by SessionStore.CreateCapped for a cap below 1 or a
// dialect it cannot lock on. It wraps [core.ErrInvalidArgument].
var ErrBadOption = errclass.New(core.ErrInvalidArgument, "gorm: invalid option")

// errNilDB is returned by the constructors when given a nil *gorm.DB.
var errNilDB = fmt.Errorf("%w: nil *gorm.DB", ErrBadOption)

// classify marks errors that mean "the database cannot be reached or cannot
// serve now" (closed pool, refused or dropped connection, cancelled or
// timed-out context, a server shutting down or out of connections: see
// [core.IsUnavailable]) by wrapping [core.ErrUnavailable], so that callers
// answer 503 instead of 500, and never 401. Other errors are returned
// unchanged; nil stays nil. Every store in this package passes its errors
// through it (except gorm.ErrRecordNotFound, which each store maps to its
// own "not found" sentinel first).
//
// Errors only a driver can recognise by their codes (SQLite's busy, locked,
// cannot-open, I/O and disk-full) are classified where the database is
// opened, by the dialector's gorm.ErrorTranslator (see storage/gorm/sqlite),
// so that this package needs no driver and builds without cgo.
func classify(err error) error {
	if err == nil || errors.Is(err, core.ErrUnavailable) || !core.IsUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", core.ErrUnavailable, err)
}

// classifyCtx is classify for an error met while ctx was in force. Once ctx
// has ended, what the database said is reported as ctx's end, whatever its
// text: database/sql rolls back the transaction GORM opened around a write
// when the context is cancelled, and the write then fails with
// [database/sql.ErrTxDone], which names neither the cancellation nor an outage. A
// client that hung up must read as a cancelled request (499), not as a bug.
func classifyCtx(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return classify(err)
}

// translate gives an error that did not come through GORM (a lookup run on
// database/sql directly) the translation GORM's AddError gives every other
// error of db: the dialector's, when db is configured with TranslateError.
func translate(db *gorm.DB, err error) error {
	if err == nil || !db.Config.TranslateError {
		return err
	}
	if t, ok := db.Dialector.(gorm.ErrorTranslator); ok {
		return t.Translate(err)
	}
	return err
}
