package gorm

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/strategy/jwt"
)

// RefreshTable is the name of the refresh-token table, after the TablePrefix
// of the *gorm.DB's schema.NamingStrategy, if any.
const RefreshTable = "gobware_refresh_tokens"

// refreshRow is one row of RefreshTable. As for sessions, the hash is a
// 64-character lower-case hex string and times are UTC with microsecond
// precision, which every dialect stores exactly.
type refreshRow struct {
	Hash      string     `gorm:"column:hash;primaryKey;size:64"`
	Family    string     `gorm:"column:family;size:64;not null;index"`
	UserID    string     `gorm:"column:user_id;size:255;not null;index"`
	IssuedAt  time.Time  `gorm:"column:issued_at;not null;precision:6"`
	ExpiresAt time.Time  `gorm:"column:expires_at;not null;precision:6;index"`
	UsedAt    *time.Time `gorm:"column:used_at;precision:6"`
	Revoked   bool       `gorm:"column:revoked;not null;default:false"`
}

// TableName puts RefreshTable after the naming strategy's TablePrefix.
func (refreshRow) TableName(namer schema.Namer) string { return prefixedTable(namer, RefreshTable) }

// RefreshStore is a jwt.RefreshStore on any GORM dialect. It is safe for
// concurrent use, and for use by several processes sharing one database.
// It stores the SHA-256 of each refresh token (jwt.Hash), never the token.
//
// Rotate runs in one transaction whose conditional UPDATE (the old token
// must be unused, unrevoked and unexpired) lets exactly one of any number of
// concurrent rotations of a token through; RevokeFamily and RevokeUser
// repeat their UPDATE until it matches nothing, so that a successor committed
// by a concurrent rotation is revoked too.
type RefreshStore struct {
	db *gorm.DB
}

// NewRefreshStore migrates RefreshTable on db (creating it and its indexes
// when missing) and returns a store over it.
func NewRefreshStore(db *gorm.DB) (*RefreshStore, error) {
	if db == nil {
		return nil, errors.New("gorm: nil *gorm.DB")
	}
	if err := migrateTables(db, &refreshRow{}); err != nil {
		return nil, fmt.Errorf("gorm: migrate %s: %w", RefreshTable, classify(err))
	}
	return &RefreshStore{db: db}, nil
}

func refreshKey(h jwt.Hash) string { return hex.EncodeToString(h[:]) }

func (r refreshRow) token() (jwt.RefreshToken, error) {
	t := jwt.RefreshToken{
		Family:    r.Family,
		UserID:    r.UserID,
		IssuedAt:  r.IssuedAt.UTC(),
		ExpiresAt: r.ExpiresAt.UTC(),
		Revoked:   r.Revoked,
	}
	if r.UsedAt != nil {
		t.UsedAt = r.UsedAt.UTC()
	}
	if n, err := hex.Decode(t.Hash[:], []byte(r.Hash)); err != nil || n != len(t.Hash) || len(r.Hash) != 2*len(t.Hash) {
		return jwt.RefreshToken{}, fmt.Errorf("gorm: corrupt refresh token hash in %s", RefreshTable)
	}
	return t, nil
}

// Create implements jwt.RefreshStore.
func (s *RefreshStore) Create(ctx context.Context, t jwt.RefreshToken) error {
	row := refreshRow{
		Hash:      refreshKey(t.Hash),
		Family:    t.Family,
		UserID:    t.UserID,
		IssuedAt:  utcMicro(t.IssuedAt),
		ExpiresAt: utcMicro(t.ExpiresAt),
		Revoked:   t.Revoked,
	}
	if t.Used() {
		used := utcMicro(t.UsedAt)
		row.UsedAt = &used
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("gorm: create refresh token: %w", classify(err))
	}
	return nil
}

// Rotate implements jwt.RefreshStore.
func (s *RefreshStore) Rotate(ctx context.Context, old, next jwt.Hash, now time.Time) (jwt.RefreshToken, error) {
	now = utcMicro(now)
	oldKey := refreshKey(old)
	var out jwt.RefreshToken
	err := retry(ctx, func() error {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			// The conditional UPDATE comes first: it takes the row lock, so a
			// concurrent rotation waits here and then finds the token used.
			res := tx.Model(&refreshRow{}).
				Where("hash = ? AND used_at IS NULL AND revoked = ? AND expires_at > ?", oldKey, false, now).
				Update("used_at", now)
			if res.Error != nil {
				return res.Error
			}
			var row refreshRow
			if err := tx.Where("hash = ?", oldKey).Take(&row).Error; err != nil {
				return err
			}
			t, err := row.token()
			if err != nil {
				return err
			}
			if res.RowsAffected == 0 {
				out = t
				switch {
				case t.Revoked:
					return jwt.ErrRevoked
				case !now.Before(t.ExpiresAt):
					return jwt.ErrExpired
				case t.Used():
					return jwt.ErrReused
				}
				return fmt.Errorf("gorm: refresh token neither rotated nor refused")
			}
			succ := refreshRow{
				Hash:      refreshKey(next),
				Family:    row.Family,
				UserID:    row.UserID,
				IssuedAt:  now,
				ExpiresAt: row.ExpiresAt,
			}
			if err := tx.Create(&succ).Error; err != nil {
				return err
			}
			out, err = succ.token()
			return err
		})
	})
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return jwt.RefreshToken{}, jwt.ErrNotFound
	case errors.Is(err, jwt.ErrRevoked), errors.Is(err, jwt.ErrExpired), errors.Is(err, jwt.ErrReused):
		return out, err
	}
	return jwt.RefreshToken{}, fmt.Errorf("gorm: rotate refresh token: %w", classify(err))
}

// Find implements jwt.RefreshStore.
func (s *RefreshStore) Find(ctx context.Context, h jwt.Hash) (jwt.RefreshToken, error) {
	var row refreshRow
	err := s.db.WithContext(ctx).Where("hash = ?", refreshKey(h)).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return jwt.RefreshToken{}, jwt.ErrNotFound
	case err != nil:
		return jwt.RefreshToken{}, fmt.Errorf("gorm: find refresh token: %w", classify(err))
	}
	return row.token()
}

// maxRevokePasses bounds the repetitions of a revoking UPDATE. Each pass
// after the first can only find successors committed by rotations that
// raced the previous pass, and revoked rows cannot be rotated, so two or
// three passes are the most ever seen.
const maxRevokePasses = 16

// revoke sets revoked on every row matching where, repeating the UPDATE
// until it matches nothing (see RefreshStore).
func (s *RefreshStore) revoke(ctx context.Context, what, where string, args ...any) error {
	args = append(args, false)
	for range maxRevokePasses {
		var n int64
		err := retry(ctx, func() error {
			res := s.db.WithContext(ctx).Model(&refreshRow{}).
				Where(where+" AND revoked = ?", args...).
				Update("revoked", true)
			n = res.RowsAffected
			return res.Error
		})
		if err != nil {
			return fmt.Errorf("gorm: revoke %s: %w", what, classify(err))
		}
		if n == 0 {
			return nil
		}
	}
	return fmt.Errorf("gorm: revoke %s: still finding live tokens after %d passes", what, maxRevokePasses)
}

// RevokeFamily implements jwt.RefreshStore.
func (s *RefreshStore) RevokeFamily(ctx context.Context, family string) error {
	return s.revoke(ctx, "refresh family", "family = ?", family)
}

// RevokeUser implements jwt.RefreshStore. User IDs match exactly, even on
// MySQL's padding collations.
func (s *RefreshStore) RevokeUser(ctx context.Context, userID string) error {
	return s.revoke(ctx, "refresh families of a user", userIs, userID, userID)
}

// maxRetries bounds how often retry repeats a statement or transaction that
// the database aborted to break a deadlock.
const maxRetries = 5

// retry runs f, and runs it again, after a short randomised pause, when the
// database aborted it to break a deadlock or a serialization conflict (it
// has then been rolled back entirely and the database asks for a retry).
// InnoDB produces such deadlocks when a revocation's index-range lock meets
// a rotation inserting the family's next token; the retried rotation then
// finds the family revoked.
func retry(ctx context.Context, f func() error) error {
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || attempt > maxRetries || !transient(err) {
			return err
		}
		pause := time.NewTimer(time.Duration(attempt)*time.Millisecond + rand.N(2*time.Millisecond))
		select {
		case <-ctx.Done():
			pause.Stop()
			return err
		case <-pause.C:
		}
	}
}

// transient reports whether err is a deadlock or serialization failure:
// SQLSTATE 40001 or 40P01 (PostgreSQL, and MySQL's 1213 "Deadlock found").
func transient(err error) bool {
	var state interface{ SQLState() string }
	if errors.As(err, &state) {
		if code := state.SQLState(); code == "40001" || code == "40P01" {
			return true
		}
	}
	// go-sql-driver/mysql exposes the state only in its message:
	// "Error 1213 (40001): Deadlock found when trying to get lock; ...".
	msg := err.Error()
	return strings.Contains(msg, "(40001)") || strings.Contains(strings.ToLower(msg), "deadlock")
}

// Cleanup deletes the refresh tokens whose family has expired at now and
// returns how many. It implements Cleaner, for StartCleanup. Revoked and
// spent tokens of live families are kept: presenting one must still be
// recognised as reuse or revocation, not as an unknown token.
func (s *RefreshStore) Cleanup(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", utcMicro(now)).Delete(&refreshRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("gorm: clean up refresh tokens: %w", classify(res.Error))
	}
	return res.RowsAffected, nil
}
