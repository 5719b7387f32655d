package sqlite

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	sqlitedriver "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// MaxOpenConns is the connection pool size Open gives a file database.
// SQLite lets one writer in at a time whatever the pool size, and in WAL
// mode readers never wait for it; a small pool lets reads run in parallel
// while bounding how many writers queue inside SQLite's busy handler (the
// rest wait in database/sql's pool, which honours contexts).
const MaxOpenConns = 8

// BusyTimeout is how long a connection waits for SQLite's write lock
// before failing with "database is locked".
const BusyTimeout = 5 * time.Second

// Open opens (creating if needed) the SQLite database file at path, set up
// for concurrent web traffic:
//
//   - WAL journal, so readers never block the writer nor each other;
//   - busy_timeout of BusyTimeout, so a writer waits for the lock instead
//     of failing;
//   - every transaction starts with BEGIN IMMEDIATE, so two transactions
//     can never both read and then deadlock trying to write (SQLite would
//     fail one of them with "database is locked" at once, whatever the
//     timeout);
//   - foreign keys enforced, synchronous=NORMAL (durable across application
//     crashes; the safe, standard pairing with WAL);
//   - a pool of MaxOpenConns connections;
//   - SQLite's outage errors (busy or locked beyond the timeout, a file it
//     cannot open, an I/O error, a full disk) wrapping core.ErrUnavailable,
//     on every query made through the returned *gorm.DB, so that the
//     storage/gorm stores (and the application's own code) answer 503;
//   - GORM's logger silenced (SQL statements could contain user data) and
//     GORM's clock in UTC.
//
// path is a plain file path. ":memory:" opens a private in-memory database
// (for tests and demos) that lives until the returned *gorm.DB is closed:
// a connection outside the pool holds it, so no pool setting can drop it;
// queries run on one pooled connection at a time.
//
// Close the database with db.DB() and Close when done.
func Open(path string) (*gorm.DB, error) {
	return open(path, BusyTimeout)
}

// open is Open with the busy timeout as a parameter, for tests that need a
// locked database to fail fast.
func open(path string, busy time.Duration) (*gorm.DB, error) {
	if path == "" || strings.ContainsRune(path, '?') || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlite: Open wants a plain file path or \":memory:\", got %q", path)
	}
	common := fmt.Sprintf("_busy_timeout=%d&_foreign_keys=on&_txlock=immediate", busy.Milliseconds())
	memory := path == ":memory:"
	var pool *sql.DB
	if memory {
		var name [8]byte
		rand.Read(name[:])
		// A unique name keeps two in-memory databases of one process apart.
		c, err := newMemoryConnector("file:gobware-" + hex.EncodeToString(name[:]) + "?mode=memory&cache=shared&" + common)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open %q: %w", path, translate(err))
		}
		pool = sql.OpenDB(c)
		// One connection at a time: shared-cache connections lock whole
		// tables, so a second one would fail at once instead of waiting.
		pool.SetMaxOpenConns(1)
	} else {
		var err error
		pool, err = sql.Open(sqlitedriver.DriverName, path+"?_journal_mode=WAL&_synchronous=NORMAL&"+common)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open %q: %w", path, translate(err))
		}
		pool.SetMaxOpenConns(MaxOpenConns)
		pool.SetMaxIdleConns(MaxOpenConns)
	}
	db, err := gorm.Open(dialector{sqlitedriver.Dialector{Conn: pool}}, &gorm.Config{
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, translate(err))
	}
	if memory {
		return db, nil
	}
	var mode string
	if err := db.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil {
		pool.Close()
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		pool.Close()
		return nil, fmt.Errorf("sqlite: open %q: WAL journal not available (journal_mode=%s)", path, mode)
	}
	return db, nil
}
