package gorm

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/tableprefix"
	"github.com/gobware/gobware/strategy/cookie"
)

// errBadCap is returned by SessionStore.CreateCapped for a cap below 1.
var errBadCap = fmt.Errorf("%w: session cap must be at least 1", ErrBadOption)

// errCapDialect is returned by SessionStore.CreateCapped on a database other
// than SQLite, PostgreSQL and MySQL/MariaDB: the cap needs a per-user lock
// this package knows how to take only there.
var errCapDialect = fmt.Errorf("%w: session cap needs SQLite, PostgreSQL or MySQL/MariaDB", ErrBadOption)

// errCapLockTimeout is returned when MySQL's per-user lock of the session
// cap was not granted within capLockWait. It wraps core.ErrUnavailable.
var errCapLockTimeout = fmt.Errorf("gorm: session cap: per-user lock not granted in time: %w", core.ErrUnavailable)

// capLockWait bounds the wait for MySQL's per-user lock, as SQLite's busy
// timeout bounds the wait for its write lock.
const capLockWait = 10 * time.Second

// CreateCapped implements cookie.Capper: one transaction inserts the
// session, reads the user's other live sessions newest first, and deletes
// those beyond the first max-1.
//
// Concurrent calls for one user are serialised by a per-user lock held for
// the whole transaction, so no two of them trim on a stale view and no
// reader ever sees more than max live sessions: on PostgreSQL a
// transaction-level advisory lock (pg_advisory_xact_lock, keyed by a hash
// of the table and user ID); on MySQL/MariaDB a named lock (GET_LOCK) taken
// on the connection that runs the transaction and released after it; on
// SQLite the database's single write lock, which the INSERT takes before
// anything is read. Other dialects get an error. A transaction the database
// aborts to break a deadlock is run again.
func (s *SessionStore) CreateCapped(ctx context.Context, sess cookie.Session, max int) ([]cookie.Hash, error) {
	if max < 1 {
		return nil, errBadCap
	}
	row, err := toRow(sess)
	if err != nil {
		return nil, err
	}
	var ended []cookie.Hash
	trim := func(tx *gorm.DB) error {
		ended = nil
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		var others []string
		now := row.CreatedAt
		err := tx.Model(&sessionRow{}).
			Where(userIs+" AND hash <> ? AND idle_until > ? AND expires_at > ?", row.UserID, row.UserID, row.Hash, now, now).
			Order("created_at DESC").Order("hash").
			Pluck("hash", &others).Error
		if err != nil || len(others) < max {
			return err
		}
		doomed := others[max-1:]
		if err := tx.Where("hash IN ?", doomed).Delete(&sessionRow{}).Error; err != nil {
			return err
		}
		for i := len(doomed) - 1; i >= 0; i-- { // oldest first
			var h cookie.Hash
			if n, err := hex.Decode(h[:], []byte(doomed[i])); err != nil || n != len(h) || len(doomed[i]) != 2*n {
				return fmt.Errorf("gorm: corrupt session hash in %s", SessionTable)
			}
			ended = append(ended, h)
		}
		return nil
	}

	if err := s.userTx(ctx, sess.UserID, true, trim); err != nil {
		return nil, fmt.Errorf("gorm: create capped session: %w", classify(err))
	}
	return ended, nil
}

// userTx runs f in a transaction holding the per-user lock of the session
// cap for userID (see CreateCapped), run again when the database aborts it
// to break a deadlock. On a dialect without such a lock it returns
// errCapDialect when required, else runs f in a plain transaction.
func (s *SessionStore) userTx(ctx context.Context, userID string, required bool, f func(tx *gorm.DB) error) error {
	db := s.db.WithContext(ctx)
	lock := capLock(tableprefix.Of(s.db.NamingStrategy)+SessionTable, userID)
	switch name := s.db.Dialector.Name(); name {
	case "sqlite":
		return retry(ctx, func() error { return db.Transaction(f) })
	case "postgres":
		key := int64(binary.BigEndian.Uint64(lock[:8]))
		return retry(ctx, func() error {
			return db.Transaction(func(tx *gorm.DB) error {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", key).Error; err != nil {
					return err
				}
				return f(tx)
			})
		})
	case "mysql":
		return retry(ctx, func() error {
			return withNamedLock(db, "gobware_session_cap:"+hex.EncodeToString(lock[:20]), func(conn *gorm.DB) error {
				return conn.Transaction(f)
			})
		})
	default:
		if required {
			return fmt.Errorf("%w (not %s)", errCapDialect, name)
		}
		return retry(ctx, func() error { return db.Transaction(f) })
	}
}

// capLock names the per-user lock of the session cap: a hash of the table
// and the user ID, so that users never share a lock by accident of
// spelling, and servers sharing a table share the lock.
func capLock(table, userID string) [sha256.Size]byte {
	return sha256.Sum256([]byte("gobware session cap\x00" + table + "\x00" + userID))
}

// withNamedLock runs f on one connection of db's pool while that connection
// holds MySQL's named lock name (GET_LOCK). The lock belongs to the
// connection, not to a transaction, so it is released explicitly
// afterwards; if the release cannot be confirmed, the connection is
// discarded rather than returned to the pool, which releases it too.
func withNamedLock(db *gorm.DB, name string, f func(conn *gorm.DB) error) error {
	return db.Connection(func(conn *gorm.DB) error {
		c, ok := conn.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return fmt.Errorf("gorm: session cap: no connection of its own to lock on (%T)", conn.Statement.ConnPool)
		}
		ctx := conn.Statement.Context
		var got sql.NullInt64
		if err := c.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", name, int(capLockWait/time.Second)).Scan(&got); err != nil {
			return err
		}
		if !got.Valid || got.Int64 != 1 {
			return errCapLockTimeout
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			var released sql.NullInt64
			if err := c.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", name).Scan(&released); err != nil || released.Int64 != 1 {
				_ = c.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
		return f(conn)
	})
}
