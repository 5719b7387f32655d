package gorm

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/tableprefix"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// RefreshTable is the name of the refresh-family table, after the
// TablePrefix of the *gorm.DB's schema.NamingStrategy, if any: one row per
// family, whatever the number of rotations.
const RefreshTable = "gobware_refresh_families"

// LegacyRefreshTable is the table of earlier versions, which kept one row
// per refresh token. NewRefreshStore converts it into RefreshTable and
// renames it LegacyRefreshIndex.
const LegacyRefreshTable = "gobware_refresh_tokens"

// LegacyRefreshIndex is LegacyRefreshTable after the conversion. It is never
// written again: it lets tokens issued before the conversion be recognised
// (the unspent one rotates, a spent one is reuse) until their families
// expire, and Cleanup empties it as they do.
const LegacyRefreshIndex = "gobware_refresh_legacy"

// familyRow is one row of RefreshTable. As for sessions, hashes are
// 64-character lower-case hex strings and times are UTC with microsecond
// precision, which every dialect stores exactly.
type familyRow struct {
	ID           string     `gorm:"column:id;primaryKey;size:64"`
	UserID       string     `gorm:"column:user_id;size:255;not null;index"`
	Generation   int64      `gorm:"column:generation;not null"`
	CurrentHash  string     `gorm:"column:current_hash;size:64;not null"`
	PreviousHash string     `gorm:"column:previous_hash;size:64;not null"`
	RotatedAt    *time.Time `gorm:"column:rotated_at;precision:6"`
	CreatedAt    time.Time  `gorm:"column:created_at;not null;precision:6;autoCreateTime:false"`
	ExpiresAt    time.Time  `gorm:"column:expires_at;not null;precision:6;index"`
	Revoked      bool       `gorm:"column:revoked;not null;default:false"`

	// What the login recorded (added with login methods and attributes;
	// the migration adds them to a table of an earlier version, whose
	// families read back carrying nothing).
	Method     string     `gorm:"column:method;size:32;not null;default:''"`
	AuthTime   *time.Time `gorm:"column:auth_time;precision:6"`
	Attributes string     `gorm:"column:attributes;size:1024;not null;default:''"` // canonical JSON; '' when none
}

// TableName puts RefreshTable after the naming strategy's TablePrefix.
func (familyRow) TableName(namer schema.Namer) string { return tableprefix.Of(namer) + RefreshTable }

// legacyRow is one row of LegacyRefreshTable (and of LegacyRefreshIndex).
type legacyRow struct {
	Hash      string     `gorm:"column:hash;primaryKey;size:64"`
	Family    string     `gorm:"column:family;size:64;not null;index"`
	UserID    string     `gorm:"column:user_id;size:255;not null;index"`
	IssuedAt  time.Time  `gorm:"column:issued_at;not null;precision:6"`
	ExpiresAt time.Time  `gorm:"column:expires_at;not null;precision:6;index"`
	UsedAt    *time.Time `gorm:"column:used_at;precision:6"`
	Revoked   bool       `gorm:"column:revoked;not null;default:false"`
}

// RefreshStore is a refresh.Store on any GORM dialect. It is safe for
// concurrent use, and for use by several processes sharing one database.
// It keeps one row per family with the SHA-256 of its current token (and of
// the one spent last), never a token.
//
// Rotate is one conditional UPDATE (the family must be at the token's
// generation, with its hash, unrevoked and unexpired), so of any number of
// concurrent rotations of one token exactly one matches; RevokeFamily and
// RevokeUser are one UPDATE each, which a later rotation cannot undo.
type RefreshStore struct {
	db     *gorm.DB
	legacy string // the prefixed LegacyRefreshIndex when it exists, else ""
}

// NewRefreshStore brings db's tables up to date (see Migrate), converts the LegacyRefreshTable of an earlier version if
// there is one (see LegacyRefreshIndex), and returns a store over it.
//
// The conversion reads the old table family by family, so its memory use
// does not grow with the table, and is safe to repeat if interrupted; run
// the first upgraded server alone, and no server of an earlier version
// alongside it.
func NewRefreshStore(db *gorm.DB) (*RefreshStore, error) {
	if db == nil {
		return nil, errNilDB
	}
	if err := Migrate(context.Background(), db); err != nil {
		return nil, err
	}
	s := &RefreshStore{db: db}
	if err := s.convertLegacy(context.Background(), time.Now()); err != nil {
		return nil, fmt.Errorf("gorm: convert %s: %w", LegacyRefreshTable, classify(err))
	}
	if index := tableprefix.Of(db.NamingStrategy) + LegacyRefreshIndex; db.Migrator().HasTable(index) {
		s.legacy = index
	}
	return s, nil
}

// convertBatch is how many families the conversion handles per statement.
const convertBatch = 500

// convertLegacy turns the rows of LegacyRefreshTable into one familyRow per
// live family, then renames the table LegacyRefreshIndex. Inserting a
// family that exists already does nothing, so a conversion interrupted
// half-way (or run by two servers at once) can run again.
func (s *RefreshStore) convertLegacy(ctx context.Context, now time.Time) error {
	old := tableprefix.Of(s.db.NamingStrategy) + LegacyRefreshTable
	db := s.db.WithContext(ctx)
	if !db.Migrator().HasTable(old) {
		return nil
	}
	now = utcMicro(now)
	last := ""
	for {
		var ids []string
		err := db.Table(old).Distinct("family").Where("family > ? AND expires_at > ?", last, now).
			Order("family").Limit(convertBatch).Pluck("family", &ids).Error
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		last = ids[len(ids)-1]
		var rows []legacyRow
		if err := db.Table(old).Where("family IN ?", ids).Order("family").Order("issued_at").Find(&rows).Error; err != nil {
			return err
		}
		families := convertFamilies(rows)
		if len(families) == 0 {
			continue
		}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&families).Error; err != nil {
			return err
		}
	}
	index := tableprefix.Of(s.db.NamingStrategy) + LegacyRefreshIndex
	if err := db.Migrator().RenameTable(old, index); err != nil {
		// Another server converting at the same time renamed it first.
		if !db.Migrator().HasTable(old) && db.Migrator().HasTable(index) {
			return nil
		}
		return err
	}
	return nil
}

// convertFamilies builds one familyRow per family of rows, which are
// ordered by family and issue time. The family's unspent token becomes its
// current token, at generation 0; families whose ID the current token
// format cannot carry (never made by gobware) are left out.
func convertFamilies(rows []legacyRow) []familyRow {
	var out []familyRow
	for i := 0; i < len(rows); {
		j := i
		f := familyRow{ID: rows[i].Family, UserID: rows[i].UserID, CreatedAt: rows[i].IssuedAt.UTC(), ExpiresAt: rows[i].ExpiresAt.UTC()}
		for ; j < len(rows) && rows[j].Family == f.ID; j++ {
			if rows[j].UsedAt == nil {
				f.CurrentHash = rows[j].Hash // the newest unspent one
			}
			f.Revoked = f.Revoked || rows[j].Revoked
		}
		i = j
		if b, err := base64.RawURLEncoding.Strict().DecodeString(f.ID); err == nil && len(b) == 16 {
			out = append(out, f)
		}
	}
	return out
}

func hashHex(h refresh.Hash) string { return hex.EncodeToString(h[:]) }

func parseHash(s string) (refresh.Hash, error) {
	var h refresh.Hash
	if s == "" {
		return h, nil
	}
	if n, err := hex.Decode(h[:], []byte(s)); err != nil || n != len(h) || len(s) != 2*len(h) {
		return h, fmt.Errorf("gorm: corrupt refresh token hash in %s", RefreshTable)
	}
	return h, nil
}

func (r familyRow) family() (refresh.Family, error) {
	f := refresh.Family{
		ID:         r.ID,
		UserID:     r.UserID,
		Generation: uint64(r.Generation),
		CreatedAt:  r.CreatedAt.UTC(),
		ExpiresAt:  r.ExpiresAt.UTC(),
		Revoked:    r.Revoked,
		Method:     r.Method,
	}
	if r.RotatedAt != nil {
		f.RotatedAt = r.RotatedAt.UTC()
	}
	if r.AuthTime != nil {
		f.AuthTime = r.AuthTime.UTC()
	}
	if r.Attributes != "" {
		if err := json.Unmarshal([]byte(r.Attributes), &f.Attributes); err != nil {
			return refresh.Family{}, fmt.Errorf("gorm: corrupt attributes in %s: %w", RefreshTable, core.ErrBackend)
		}
	}
	var err error
	if f.Current, err = parseHash(r.CurrentHash); err != nil {
		return refresh.Family{}, err
	}
	if f.Previous, err = parseHash(r.PreviousHash); err != nil {
		return refresh.Family{}, err
	}
	return f, nil
}

// Create implements refresh.Store.
func (s *RefreshStore) Create(ctx context.Context, f refresh.Family) error {
	row := familyRow{
		ID:          f.ID,
		UserID:      f.UserID,
		Generation:  int64(min(f.Generation, math.MaxInt64)),
		CurrentHash: hashHex(f.Current),
		CreatedAt:   utcMicro(f.CreatedAt),
		ExpiresAt:   utcMicro(f.ExpiresAt),
		Revoked:     f.Revoked,
		Method:      f.Method,
	}
	if !f.AuthTime.IsZero() {
		a := utcMicro(f.AuthTime)
		row.AuthTime = &a
	}
	if len(f.Attributes) > 0 {
		if err := f.Attributes.Check(); err != nil {
			return fmt.Errorf("gorm: refresh family attributes: %w", err)
		}
		b, err := json.Marshal(f.Attributes)
		if err != nil {
			return fmt.Errorf("gorm: refresh family attributes: %w", err)
		}
		row.Attributes = string(b)
	}
	if f.Previous != (refresh.Hash{}) {
		row.PreviousHash = hashHex(f.Previous)
	}
	if !f.RotatedAt.IsZero() {
		r := utcMicro(f.RotatedAt)
		row.RotatedAt = &r
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("gorm: create refresh family: %w", classify(err))
	}
	return nil
}

// Rotate implements refresh.Store.
func (s *RefreshStore) Rotate(ctx context.Context, id string, gen uint64, old, next refresh.Hash, now time.Time) (refresh.Family, error) {
	now = utcMicro(now)
	var rotated bool
	if gen < math.MaxInt64 {
		err := retry(ctx, func() error {
			res := s.db.WithContext(ctx).Model(&familyRow{}).
				Where("id = ? AND generation = ? AND current_hash = ? AND revoked = ? AND expires_at > ?", id, int64(gen), hashHex(old), false, now).
				Updates(map[string]any{
					"generation":    int64(gen) + 1,
					"current_hash":  hashHex(next),
					"previous_hash": hashHex(old),
					"rotated_at":    now,
				})
			rotated = res.RowsAffected == 1
			return res.Error
		})
		if err != nil {
			return refresh.Family{}, fmt.Errorf("gorm: rotate refresh token: %w", classify(err))
		}
	}
	f, err := s.Find(ctx, id)
	if err != nil {
		return refresh.Family{}, err
	}
	if rotated {
		// The columns the UPDATE set are ours, whatever happened since.
		f.Generation, f.Current, f.Previous, f.RotatedAt = gen+1, next, old, now
		return f, nil
	}
	switch err := refresh.CheckRotation(f, gen, old, now); {
	case errors.Is(err, refresh.ErrNotFound):
		return refresh.Family{}, err
	case err != nil:
		return f, err
	}
	return refresh.Family{}, fmt.Errorf("gorm: refresh token neither rotated nor refused")
}

// Find implements refresh.Store.
func (s *RefreshStore) Find(ctx context.Context, id string) (refresh.Family, error) {
	var row familyRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return refresh.Family{}, refresh.ErrNotFound
	case err != nil:
		return refresh.Family{}, fmt.Errorf("gorm: find refresh family: %w", classify(err))
	}
	if row.ID != id { // MySQL's padding collations
		return refresh.Family{}, refresh.ErrNotFound
	}
	return row.family()
}

// FindLegacy implements refresh.LegacyStore for tokens issued before the
// conversion of LegacyRefreshTable.
func (s *RefreshStore) FindLegacy(ctx context.Context, h refresh.Hash) (refresh.Family, bool, error) {
	if s.legacy == "" {
		return refresh.Family{}, false, refresh.ErrNotFound
	}
	var row legacyRow
	err := s.db.WithContext(ctx).Table(s.legacy).Where("hash = ?", hashHex(h)).Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return refresh.Family{}, false, refresh.ErrNotFound
	case err != nil:
		return refresh.Family{}, false, fmt.Errorf("gorm: find earlier refresh token: %w", classify(err))
	}
	f, err := s.Find(ctx, row.Family)
	if err != nil {
		return refresh.Family{}, false, err
	}
	return f, row.UsedAt == nil, nil
}

// RevokeFamily implements refresh.Store.
func (s *RefreshStore) RevokeFamily(ctx context.Context, id string) error {
	return s.revoke(ctx, "refresh family", "id = ?", id)
}

// RevokeUser implements refresh.Store. User IDs match exactly, even on
// MySQL's padding collations.
func (s *RefreshStore) RevokeUser(ctx context.Context, userID string) error {
	return s.revoke(ctx, "refresh families of a user", userIs, userID, userID)
}

func (s *RefreshStore) revoke(ctx context.Context, what, where string, args ...any) error {
	err := retry(ctx, func() error {
		return s.db.WithContext(ctx).Model(&familyRow{}).Where(where+" AND revoked = ?", append(args, false)...).
			Update("revoked", true).Error
	})
	if err != nil {
		return fmt.Errorf("gorm: revoke %s: %w", what, classify(err))
	}
	return nil
}

// maxRetries bounds how often retry repeats a statement or transaction that
// the database aborted to break a deadlock.
const maxRetries = 5

// retry runs f, and runs it again, after a short randomised pause, when the
// database aborted it to break a deadlock or a serialization conflict (it
// has then been rolled back entirely and the database asks for a retry).
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

// Cleanup deletes the families that have expired at now, and the rows of
// LegacyRefreshIndex whose family has, and returns how many rows it
// deleted. It implements Cleaner, for StartCleanup. Revoked families are
// kept until they expire: presenting one of their tokens must still be
// recognised as revoked, not as unknown.
func (s *RefreshStore) Cleanup(ctx context.Context, now time.Time) (int64, error) {
	now = utcMicro(now)
	res := s.db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&familyRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("gorm: clean up refresh families: %w", classify(res.Error))
	}
	n := res.RowsAffected
	if s.legacy != "" {
		res := s.db.WithContext(ctx).Table(s.legacy).Where("expires_at <= ?", now).Delete(&legacyRow{})
		if res.Error != nil {
			return n, fmt.Errorf("gorm: clean up earlier refresh tokens: %w", classify(res.Error))
		}
		n += res.RowsAffected
	}
	return n, nil
}
