// Package sqlite opens the SQLite database that is gobware's embedded
// default, set up for a web server (WAL, busy timeout, immediate
// transactions, a small pool), so one binary with one file serves
// concurrent requests:
//
//	import "github.com/gobware/gobware/storage/gorm/sqlite"
//
//	db, err := sqlite.Open("app.db")
//	sessions, err := gormstore.NewSessionStore(db)
//
// It is the only gobware package that needs cgo (through
// github.com/mattn/go-sqlite3). An application on PostgreSQL or
// MySQL/MariaDB does not import it, and builds with CGO_ENABLED=0.
//
// SQLite's own outage errors (busy or locked beyond the busy timeout, a file
// it cannot open, an I/O error, a full disk) are classified here, where
// SQLite is opened: every error of a query through the returned *gorm.DB
// that means the database cannot serve now wraps core.ErrUnavailable, which
// the storage/gorm stores and the adapters answer with 503, never 401.
package sqlite
