package gorm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/gobware/gobware/internal/tableprefix"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// WatermarkTable is the name of the revocation-watermark table, after the
// TablePrefix of the *gorm.DB's schema.NamingStrategy, if any.
const WatermarkTable = "gobware_revocation_watermarks"

// watermarkRow is one row of WatermarkTable. The subject (a user or family,
// see jwt.WatermarkStore) is stored as its SHA-256 in hex: fixed length,
// compared byte for byte on every dialect, and no user ID at rest. Times
// are microseconds since the Unix epoch, so that the greater of two is
// taken by the database the same way on every dialect.
type watermarkRow struct {
	Subject   string `gorm:"column:subject;primaryKey;size:64"`
	RevokedUS int64  `gorm:"column:revoked_us;not null"`
	ExpiresUS int64  `gorm:"column:expires_us;not null;index"`
}

// TableName puts WatermarkTable after the naming strategy's TablePrefix.
func (watermarkRow) TableName(namer schema.Namer) string {
	return tableprefix.Of(namer) + WatermarkTable
}

// WatermarkStore is a jwt.WatermarkStore on any GORM dialect, safe for
// concurrent use by several processes sharing one database. Raise is one
// upsert that keeps the later watermark; Watermarks one SELECT.
type WatermarkStore struct {
	db    *gorm.DB
	table string
	raise string // the dialect's upsert
}

// NewWatermarkStore brings db's tables up to date (see Migrate) and
// returns a store over WatermarkTable.
func NewWatermarkStore(db *gorm.DB) (*WatermarkStore, error) {
	if db == nil {
		return nil, errNilDB
	}
	if err := Migrate(context.Background(), db); err != nil {
		return nil, err
	}
	s := &WatermarkStore{db: db, table: tableprefix.Of(db.NamingStrategy) + WatermarkTable}
	q := db.Statement.Quote(s.table)
	switch db.Dialector.Name() {
	case "mysql":
		s.raise = "INSERT INTO " + q + " (subject, revoked_us, expires_us) VALUES (?, ?, ?) " +
			"ON DUPLICATE KEY UPDATE revoked_us = GREATEST(revoked_us, VALUES(revoked_us)), expires_us = GREATEST(expires_us, VALUES(expires_us))"
	case "postgres":
		s.raise = "INSERT INTO " + q + " AS w (subject, revoked_us, expires_us) VALUES (?, ?, ?) " +
			"ON CONFLICT (subject) DO UPDATE SET revoked_us = GREATEST(w.revoked_us, EXCLUDED.revoked_us), expires_us = GREATEST(w.expires_us, EXCLUDED.expires_us)"
	default: // sqlite
		s.raise = "INSERT INTO " + q + " AS w (subject, revoked_us, expires_us) VALUES (?, ?, ?) " +
			"ON CONFLICT (subject) DO UPDATE SET revoked_us = MAX(w.revoked_us, excluded.revoked_us), expires_us = MAX(w.expires_us, excluded.expires_us)"
	}
	return s, nil
}

func subjectKey(subject string) string {
	sum := sha256.Sum256([]byte(subject))
	return hex.EncodeToString(sum[:])
}

// Raise implements jwt.WatermarkStore.
func (s *WatermarkStore) Raise(ctx context.Context, subject string, at, until time.Time) error {
	if subject == "" {
		return errors.New("gorm: empty watermark subject")
	}
	err := retry(ctx, func() error {
		return s.db.WithContext(ctx).Exec(s.raise, subjectKey(subject), at.UnixMicro(), until.UnixMicro()).Error
	})
	if err != nil {
		return fmt.Errorf("gorm: raise revocation watermark: %w", classify(err))
	}
	return nil
}

// Watermarks implements jwt.WatermarkStore.
func (s *WatermarkStore) Watermarks(ctx context.Context, subjects []string) ([]time.Time, error) {
	out := make([]time.Time, len(subjects))
	if len(subjects) == 0 {
		return out, nil
	}
	keys := make([]string, len(subjects))
	for i, sub := range subjects {
		keys[i] = subjectKey(sub)
	}
	var rows []watermarkRow
	if err := s.db.WithContext(ctx).Where("subject IN ?", keys).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gorm: read revocation watermarks: %w", classify(err))
	}
	found := make(map[string]int64, len(rows))
	for _, r := range rows {
		found[r.Subject] = r.RevokedUS
	}
	for i, k := range keys {
		if us, ok := found[k]; ok {
			out[i] = time.UnixMicro(us).UTC()
		}
	}
	return out, nil
}

// Cleanup deletes the watermarks that have lapsed at now (every access
// token they concern has expired) and returns how many. It implements
// Cleaner, for StartCleanup.
func (s *WatermarkStore) Cleanup(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_us <= ?", now.UnixMicro()).Delete(&watermarkRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("gorm: clean up revocation watermarks: %w", classify(res.Error))
	}
	return res.RowsAffected, nil
}
