package gorm

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// SQLiteMaxOpenConns is the connection pool size OpenSQLite gives a file
// database. SQLite lets one writer in at a time whatever the pool size, and
// in WAL mode readers never wait for it; a small pool lets reads run in
// parallel while bounding how many writers queue inside SQLite's busy
// handler (the rest wait in database/sql's pool, which honours contexts).
const SQLiteMaxOpenConns = 8

// SQLiteBusyTimeout is how long a connection waits for SQLite's write lock
// before failing with "database is locked".
const SQLiteBusyTimeout = 5 * time.Second

// OpenSQLite opens (creating if needed) the SQLite database file at path,
// set up for concurrent web traffic:
//
//   - WAL journal, so readers never block the writer nor each other;
//   - busy_timeout of SQLiteBusyTimeout, so a writer waits for the lock
//     instead of failing;
//   - every transaction starts with BEGIN IMMEDIATE, so two transactions
//     can never both read and then deadlock trying to write (SQLite would
//     fail one of them with "database is locked" at once, whatever the
//     timeout);
//   - foreign keys enforced, synchronous=NORMAL (durable across application
//     crashes; the safe, standard pairing with WAL);
//   - a pool of SQLiteMaxOpenConns connections;
//   - GORM's logger silenced (SQL statements could contain user data) and
//     GORM's clock in UTC.
//
// path is a plain file path. ":memory:" opens a private in-memory database
// (for tests and demos), kept on a single connection that is never closed,
// so it lives as long as the returned *gorm.DB.
//
// Close the database with db.DB() and Close when done.
func OpenSQLite(path string) (*gorm.DB, error) {
	if path == "" || strings.ContainsRune(path, '?') || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("gorm: OpenSQLite wants a plain file path or \":memory:\", got %q", path)
	}
	common := fmt.Sprintf("_busy_timeout=%d&_foreign_keys=on&_txlock=immediate", SQLiteBusyTimeout.Milliseconds())
	memory := path == ":memory:"
	var dsn string
	if memory {
		var name [8]byte
		rand.Read(name[:])
		// A unique name keeps two in-memory databases of one process apart.
		dsn = "file:gobware-" + hex.EncodeToString(name[:]) + "?mode=memory&cache=shared&" + common
	} else {
		dsn = path + "?_journal_mode=WAL&_synchronous=NORMAL&" + common
	}
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:  logger.Default.LogMode(logger.Silent),
		NowFunc: func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("gorm: open sqlite %q: %w", path, classify(err))
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("gorm: open sqlite %q: %w", path, err)
	}
	if memory {
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetMaxIdleConns(1)
		sqlDB.SetConnMaxLifetime(0)
		sqlDB.SetConnMaxIdleTime(0)
		return db, nil
	}
	sqlDB.SetMaxOpenConns(SQLiteMaxOpenConns)
	sqlDB.SetMaxIdleConns(SQLiteMaxOpenConns)
	var mode string
	if err := db.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("gorm: open sqlite %q: %w", path, classify(err))
	}
	if !strings.EqualFold(mode, "wal") {
		sqlDB.Close()
		return nil, fmt.Errorf("gorm: open sqlite %q: WAL journal not available (journal_mode=%s)", path, mode)
	}
	return db, nil
}
