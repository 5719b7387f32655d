package gorm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/internal/tableprefix"
	"github.com/gobware/gobware/limiter"
)

// LimiterTable is the name of the login-failure table, after the
// TablePrefix of the *gorm.DB's schema.NamingStrategy, if any.
const LimiterTable = "gobware_login_failures"

// limiterRow is one row of LimiterTable: the attempts counted against one
// limiter key, which the limiter hands over as the hex SHA-256 of the key
// (never a username).
type limiterRow struct {
	Key       string    `gorm:"column:key_hash;primaryKey;size:64"`
	Failures  int       `gorm:"column:failures;not null"`
	LastAt    time.Time `gorm:"column:last_at;not null;precision:6"`
	ExpiresAt time.Time `gorm:"column:expires_at;not null;precision:6;index"`
	// Version is the limiter's random version of the row, which every
	// write compares; 0 in rows written before the column existed.
	Version int64 `gorm:"column:version;not null;default:0"`
}

// TableName puts LimiterTable after the naming strategy's TablePrefix.
func (limiterRow) TableName(namer schema.Namer) string { return tableprefix.Of(namer) + LimiterTable }

// LimiterStore is a limiter.Store on any GORM dialect, so that several
// servers sharing one database share their login limits. It is safe for
// concurrent use by any number of processes: CompareAndSwap is one
// conditional UPDATE (or DELETE) on the key and the version it read, or,
// for a key without a row, one INSERT that does nothing on conflict. Each
// is its own short statement; no transaction holds locks across them,
// which InnoDB would turn into deadlocks under a burst.
//
// The version column was added with the compare-and-swap limiter:
// NewLimiterStore adds it to an existing table (rows get version 0, which
// the limiter treats as "any record without a version"), so counters
// survive the upgrade.
type LimiterStore struct {
	db             *gorm.DB
	update, delete string // the conditional statements, with the dialect's quoted table name
}

// NewLimiterStore brings db's tables up to date (see Migrate) and returns
// a store over LimiterTable.
func NewLimiterStore(db *gorm.DB) (*LimiterStore, error) {
	if db == nil {
		return nil, errNilDB
	}
	if err := Migrate(context.Background(), db); err != nil {
		return nil, err
	}
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(&limiterRow{}); err != nil {
		return nil, fmt.Errorf("gorm: %s: %w", LimiterTable, err)
	}
	table := stmt.Quote(stmt.Schema.Table)
	return &LimiterStore{
		db: db,
		update: "UPDATE " + table + " SET failures = ?, last_at = ?, expires_at = ?, version = ? " +
			"WHERE key_hash = ? AND version = ?",
		delete: "DELETE FROM " + table + " WHERE key_hash = ? AND version = ?",
	}, nil
}

// Get implements limiter.Store.
func (s *LimiterStore) Get(ctx context.Context, key string) (limiter.Record, error) {
	var row limiterRow
	err := s.db.WithContext(ctx).Where("key_hash = ?", key).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return limiter.Record{}, nil
	case err != nil:
		return limiter.Record{}, fmt.Errorf("gorm: read login attempts: %w", classifyCtx(ctx, err))
	}
	return limiter.Record{Failures: row.Failures, Last: row.LastAt.UTC(), Version: row.Version}, nil
}

// CompareAndSwap implements limiter.Store: one UPDATE (or DELETE, when
// next has no failures) WHERE key_hash and version match; when old has
// version 0 and no row matched, an INSERT that does nothing when a row
// appeared meanwhile.
func (s *LimiterStore) CompareAndSwap(ctx context.Context, key string, old, next limiter.Record, expires time.Time) (bool, error) {
	db := s.db.WithContext(ctx)
	var swapped bool
	err := retry(ctx, func() error {
		if next.Failures <= 0 {
			res := db.Exec(s.delete, key, old.Version)
			if res.Error != nil || res.RowsAffected > 0 || old.Version != 0 {
				swapped = res.RowsAffected > 0
				return res.Error
			}
			// "No record" to "no record" is a swap when there is no row.
			var n int64
			err := db.Model(&limiterRow{}).Where("key_hash = ?", key).Count(&n).Error
			swapped = n == 0
			return err
		}
		last := utcMicro(next.Last)
		res := db.Exec(s.update, next.Failures, last, utcMicro(expires), next.Version, key, old.Version)
		if res.Error != nil || res.RowsAffected > 0 || old.Version != 0 {
			swapped = res.RowsAffected > 0
			return res.Error
		}
		ins := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&limiterRow{
			Key: key, Failures: next.Failures, LastAt: last, ExpiresAt: utcMicro(expires), Version: next.Version,
		})
		swapped = ins.RowsAffected > 0
		return ins.Error
	})
	if err != nil {
		return false, fmt.Errorf("gorm: count login attempt: %w", classifyCtx(ctx, err))
	}
	return swapped, nil
}

// Reset implements limiter.Store.
func (s *LimiterStore) Reset(ctx context.Context, key string) error {
	if err := s.db.WithContext(ctx).Where("key_hash = ?", key).Delete(&limiterRow{}).Error; err != nil {
		return fmt.Errorf("gorm: reset login attempts: %w", classifyCtx(ctx, err))
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
