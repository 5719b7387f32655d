// Package gorm stores gobware's server-side state (sessions, refresh-token
// families, revocation watermarks) in any database GORM speaks. Users usually import it under an
// alias, since it shares its name with GORM itself:
//
//	import gormstore "github.com/gobware/gobware/storage/gorm"
//
// SQLite is the embedded default. OpenSQLite opens a file database set up
// for a web server (WAL, busy timeout, immediate transactions, a small
// pool), so one binary with one file serves concurrent requests:
//
//	db, err := gormstore.OpenSQLite("app.db")
//	sessions, err := gormstore.NewSessionStore(db)
//	auth, err := cookie.New(keys, sessions, cookie.Options{})
//
// The same stores work unchanged on PostgreSQL and MySQL/MariaDB, which is
// how several app servers share sessions: open the *gorm.DB with
// gorm.io/driver/postgres or gorm.io/driver/mysql (with parseTime=true)
// and pass it in. Constructors create or migrate their tables; tables are
// named gobware_* after the TablePrefix of the DB's schema.NamingStrategy.
//
// What is stored: only SHA-256 hashes of session IDs and tokens, never the
// values a client presents, so a leaked table cannot be replayed. A
// refresh-token family is one row, however often it rotates; NewRefreshStore
// converts the one-row-per-token table of earlier versions (see
// LegacyRefreshTable). All times
// are UTC with microsecond precision.
//
// Expiry is enforced in the queries themselves: a read never returns a row
// past its deadline. Rows are deleted later by each store's Cleanup, which
// StartCleanup runs periodically.
//
// SessionStore also implements cookie.Capper, which
// cookie.Options.MaxSessionsPerUser needs: the new session and the end of
// the user's oldest ones are one transaction under a per-user lock (an
// advisory lock on PostgreSQL, a named lock on MySQL/MariaDB, the write lock
// on SQLite), so the cap holds under concurrent logins on any number of
// servers.
//
// Errors: "not found" is the consuming package's sentinel (for sessions,
// cookie.ErrNotFound). A database that cannot be reached (closed pool,
// refused or dropped connection, cancelled context, locked SQLite file)
// gives an error wrapping core.ErrUnavailable, which adapters answer with
// 503; any other failure is a 500. None of them is ever a 401.
package gorm
