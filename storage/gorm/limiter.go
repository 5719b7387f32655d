package gorm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/limiter"
)

// LimiterTable is the name of the login-failure table, after the
// TablePrefix of the *gorm.DB's schema.NamingStrategy, if any.
const LimiterTable = "gobware_login_failures"

// limiterRow is one row of LimiterTable: the failures of one limiter key,
// which the limiter hands over as the hex SHA-256 of the key (never a
// username).
type limiterRow struct {
	Key       string    `gorm:"column:key_hash;primaryKey;size:64"`
	Failures  int       `gorm:"column:failures;not null"`
	LastAt    time.Time `gorm:"column:last_at;not null;precision:6"`
	ExpiresAt time.Time `gorm:"column:expires_at;not null;precision:6;index"`
}

// TableName puts LimiterTable after the naming strategy's TablePrefix.
func (limiterRow) TableName(namer schema.Namer) string { return prefixedTable(namer, LimiterTable) }

// LimiterStore is a limiter.Store on any GORM dialect, so that several
// servers sharing one database share their login limits. It is safe for
// concurrent use by any number of processes: Fail counts every failure
// exactly once, by one conditional UPDATE or, for a key's first failure,
// one INSERT, each its own short statement (no transaction holds locks
// across them, which InnoDB would turn into deadlocks under a burst).
type LimiterStore struct {
	db     *gorm.DB
	update string // the counting UPDATE, with the dialect's quoted table name
}

// NewLimiterStore migrates LimiterTable on db and returns a store over it.
func NewLimiterStore(db *gorm.DB) (*LimiterStore, error) {
	if db == nil {
		return nil, errors.New("gorm: nil *gorm.DB")
	}
	if err := migrateTables(db, &limiterRow{}); err != nil {
		return nil, fmt.Errorf("gorm: migrate %s: %w", LimiterTable, classify(err))
	}
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(&limiterRow{}); err != nil {
		return nil, fmt.Errorf("gorm: %s: %w", LimiterTable, err)
	}
	// One statement, assignments in this order: MySQL evaluates SET from
	// left to right with the new values, the others with the old ones, and
	// last_at is the one whose old value the others read.
	update := "UPDATE " + stmt.Quote(stmt.Schema.Table) + " SET " +
		"failures = CASE WHEN last_at <= ? THEN 1 ELSE failures + 1 END, " +
		"expires_at = CASE WHEN last_at < ? THEN ? ELSE expires_at END, " +
		"last_at = CASE WHEN last_at < ? THEN ? ELSE last_at END " +
		"WHERE key_hash = ?"
	return &LimiterStore{db: db, update: update}, nil
}

// Get implements limiter.Store.
func (s *LimiterStore) Get(ctx context.Context, key string) (limiter.Record, error) {
	var row limiterRow
	err := s.db.WithContext(ctx).Where("key_hash = ?", key).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return limiter.Record{}, nil
	case err != nil:
		return limiter.Record{}, fmt.Errorf("gorm: read login failures: %w", classify(err))
	}
	return limiter.Record{Failures: row.Failures, Last: row.LastAt.UTC()}, nil
}

// Fail implements limiter.Store: an UPDATE that counts (or starts afresh
// after forget), or an INSERT of the first failure when there is no row;
// when a concurrent INSERT wins, the UPDATE runs again. The record returned
// is read afterwards, so it may include failures counted concurrently.
func (s *LimiterStore) Fail(ctx context.Context, key string, at time.Time, forget time.Duration) (limiter.Record, error) {
	at = utcMicro(at)
	cutoff, expires := at.Add(-forget), at.Add(forget)
	db := s.db.WithContext(ctx)
	var row limiterRow
	err := retry(ctx, func() error {
		for range 3 {
			res := db.Exec(s.update, cutoff, at, expires, at, at, key)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				ins := db.Clauses(clause.OnConflict{DoNothing: true}).
					Create(&limiterRow{Key: key, Failures: 1, LastAt: at, ExpiresAt: expires})
				if ins.Error != nil {
					return ins.Error
				}
				if ins.RowsAffected == 0 {
					continue // a concurrent first failure got there first
				}
			}
			return db.Where("key_hash = ?", key).Take(&row).Error
		}
		return errors.New("gorm: login failure neither counted nor inserted")
	})
	if err != nil {
		return limiter.Record{}, fmt.Errorf("gorm: count login failure: %w", classify(err))
	}
	return limiter.Record{Failures: row.Failures, Last: row.LastAt.UTC()}, nil
}

// Reset implements limiter.Store.
func (s *LimiterStore) Reset(ctx context.Context, key string) error {
	if err := s.db.WithContext(ctx).Where("key_hash = ?", key).Delete(&limiterRow{}).Error; err != nil {
		return fmt.Errorf("gorm: reset login failures: %w", classify(err))
	}
	return nil
}

// Cleanup deletes the counters forgotten at now and returns how many. It
// implements Cleaner, for StartCleanup.
func (s *LimiterStore) Cleanup(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", utcMicro(now)).Delete(&limiterRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("gorm: clean up login failures: %w", classify(res.Error))
	}
	return res.RowsAffected, nil
}
