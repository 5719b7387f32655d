// Package gorm stores gobware's server-side state (sessions, refresh-token
// families, revocation watermarks, login-failure counts for the limiter) in
// any database GORM speaks. Users usually import it under an alias, since it
// shares its name with GORM itself:
//
//	import gormstore "github.com/gobware/gobware/storage/gorm"
//
// SQLite is the embedded default. The storage/gorm/sqlite package opens a
// file database set up for a web server (WAL, busy timeout, immediate
// transactions, a small pool), so one binary with one file serves
// concurrent requests:
//
//	db, err := sqlite.Open("app.db")
//	sessions, err := gormstore.NewSessionStore(db)
//	auth, err := cookie.New(keys, sessions, cookie.Options{})
//
// The same stores work unchanged on PostgreSQL and MySQL/MariaDB, which is
// how several app servers share sessions: open the *gorm.DB with
// gorm.io/driver/postgres or gorm.io/driver/mysql (with parseTime=true)
// and pass it in. This package itself needs no database driver and no cgo:
// an application on PostgreSQL or MySQL builds with CGO_ENABLED=0, as long
// as it does not import storage/gorm/sqlite.
//
// The stores: NewSessionStore (a [cookie.Store]), NewRefreshStore (a
// [refresh.Store], the token strategy's refresh-token contract, which this
// package imports without the JOSE library), NewWatermarkStore (a
// jwt.WatermarkStore) and
// NewLimiterStore (a limiter.Store, so that several servers share their
// login limits), NewPasskeyStore (a passkey.Store: public keys only) and
// NewChallengeStore (a passkey.ChallengeStore, so that a passkey ceremony
// begun on one server finishes on another; it implements Cleaner).
// Tables are named gobware_* after the TablePrefix of the DB's
// schema.NamingStrategy.
//
// Schema: numbered SQL migrations per dialect own the tables (Migrations
// returns them, as .sql files goose or atlas can apply). Migrate applies
// the ones a database lacks and records them in MigrationTable, under a
// lock, so servers starting at once apply each one once; every constructor
// calls it first. A database set up by a release before migrations is
// taken over with its rows: migration 1 is that schema, created where
// missing.
//
// What is stored: only SHA-256 hashes of session IDs, tokens and limiter
// keys, never the values a client presents, so a leaked table cannot be
// replayed. A refresh-token family is one row, however often it rotates;
// NewRefreshStore converts the one-row-per-token table of earlier versions
// (see LegacyRefreshTable). All times are UTC with microsecond precision.
//
// Expiry: a session past its idle or absolute deadline is never returned.
// Find and Lookup read the row by its hash and check the deadlines in Go
// against the now they are given (at the database's microsecond
// precision); List checks them in its SQL. A refresh-token family's
// deadline is checked by Rotate's conditional UPDATE; Find returns a family
// whatever its state, as [refresh.Store] asks. Rows are deleted later by
// each store's Cleanup, which StartCleanup runs periodically. On
// PostgreSQL and MySQL/MariaDB the session table has one index for
// Cleanup, on the instant a session dies (the earlier of its idle and
// absolute deadlines; on MySQL/MariaDB the virtual column dead_at), rather
// than one per deadline, so that a login writes one index fewer; on SQLite
// it has none, and Cleanup reads the table in windows of rows, holding the
// write lock for one window at a time.
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
// 503; any other failure is a 500. None of them is ever a 401. Codes that
// only a driver can read (SQLite's busy, locked, cannot-open, I/O and
// disk-full errors) are recognised by the *gorm.DB that storage/gorm/sqlite
// opens; a PostgreSQL or MySQL outage is recognised here.
package gorm
