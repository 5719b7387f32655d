package gorm

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/internal/tableprefix"
	"github.com/gobware/gobware/passkey/passkeystore"
)

// PasskeyTable and ChallengeTable are the names of the passkey tables,
// after the TablePrefix of the *gorm.DB's schema.NamingStrategy, if any.
const (
	PasskeyTable   = "gobware_passkeys"
	ChallengeTable = "gobware_passkey_challenges"
)

// passkeyRow is one row of PasskeyTable: a public key and its metadata,
// nothing secret. The primary key is the hex SHA-256 of the credential ID
// (IDs are up to 1023 bytes, longer than MySQL can index); the ID itself
// is kept base64url-encoded.
type passkeyRow struct {
	IDHash            string     `gorm:"column:id_hash;primaryKey;size:64"`
	CredentialID      string     `gorm:"column:credential_id;size:1400;not null"`
	UserID            string     `gorm:"column:user_id;size:255;not null;index"`
	Name              string     `gorm:"column:name;size:256;not null"`
	PublicKey         []byte     `gorm:"column:public_key;not null"`
	SignCount         int64      `gorm:"column:sign_count;not null"`
	AAGUID            []byte     `gorm:"column:aaguid"`
	Transports        string     `gorm:"column:transports;size:255;not null"`
	AttestationFormat string     `gorm:"column:attestation_format;size:32;not null"`
	BackupEligible    bool       `gorm:"column:backup_eligible;not null"`
	BackupState       bool       `gorm:"column:backup_state;not null"`
	CreatedAt         time.Time  `gorm:"column:created_at;not null;precision:6;autoCreateTime:false"`
	LastUsedAt        *time.Time `gorm:"column:last_used_at;precision:6"`
}

// TableName puts PasskeyTable after the naming strategy's TablePrefix.
func (passkeyRow) TableName(namer schema.Namer) string { return tableprefix.Of(namer) + PasskeyTable }

// challengeRow is one row of ChallengeTable: the SHA-256 of an issued
// challenge, never the challenge.
type challengeRow struct {
	Hash      string    `gorm:"column:hash;primaryKey;size:64"`
	Ceremony  string    `gorm:"column:ceremony;size:16;not null"`
	UserID    string    `gorm:"column:user_id;size:255;not null"`
	ExpiresAt time.Time `gorm:"column:expires_at;not null;precision:6;index"`
}

// TableName puts ChallengeTable after the naming strategy's TablePrefix.
func (challengeRow) TableName(namer schema.Namer) string {
	return tableprefix.Of(namer) + ChallengeTable
}

// PasskeyStore is a passkeystore.Store on any GORM dialect. It is safe for
// concurrent use. The user ID column is indexed for List.
type PasskeyStore struct{ db *gorm.DB }

// NewPasskeyStore brings db's tables up to date (see Migrate) and returns
// a store over PasskeyTable.
func NewPasskeyStore(db *gorm.DB) (*PasskeyStore, error) {
	if db == nil {
		return nil, errNilDB
	}
	if err := Migrate(context.Background(), db); err != nil {
		return nil, err
	}
	return &PasskeyStore{db: db}, nil
}

func idHash(id []byte) string {
	sum := sha256.Sum256(id)
	return hex.EncodeToString(sum[:])
}

// Create implements passkeystore.Store.
func (s *PasskeyStore) Create(ctx context.Context, c passkeystore.Credential) error {
	row := passkeyRow{
		IDHash:            idHash(c.ID),
		CredentialID:      base64.RawURLEncoding.EncodeToString(c.ID),
		UserID:            c.UserID,
		Name:              c.Name,
		PublicKey:         c.PublicKey,
		SignCount:         int64(c.SignCount),
		AAGUID:            c.AAGUID,
		Transports:        strings.Join(c.Transports, ","),
		AttestationFormat: c.AttestationFormat,
		BackupEligible:    c.BackupEligible,
		BackupState:       c.BackupState,
		CreatedAt:         c.CreatedAt.UTC(),
	}
	if !c.LastUsedAt.IsZero() {
		t := c.LastUsedAt.UTC()
		row.LastUsedAt = &t
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return fmt.Errorf("gorm: create passkey: %w", classify(res.Error))
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("gorm: %w", passkeystore.ErrExists)
	}
	return nil
}

// Find implements passkeystore.Store.
func (s *PasskeyStore) Find(ctx context.Context, id []byte) (passkeystore.Credential, error) {
	var rows []passkeyRow
	if err := s.db.WithContext(ctx).Where("id_hash = ?", idHash(id)).Limit(1).Find(&rows).Error; err != nil {
		return passkeystore.Credential{}, fmt.Errorf("gorm: find passkey: %w", classify(err))
	}
	if len(rows) == 0 {
		return passkeystore.Credential{}, passkeystore.ErrNotFound
	}
	return rows[0].credential()
}

// List implements passkeystore.Store.
func (s *PasskeyStore) List(ctx context.Context, userID string) ([]passkeystore.Credential, error) {
	var rows []passkeyRow
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at, id_hash").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("gorm: list passkeys: %w", classify(err))
	}
	out := make([]passkeystore.Credential, 0, len(rows))
	for _, r := range rows {
		c, err := r.credential()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Used implements passkeystore.Store.
func (s *PasskeyStore) Used(ctx context.Context, id []byte, signCount uint32, backupState bool, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&passkeyRow{}).Where("id_hash = ?", idHash(id)).
		Updates(map[string]any{"sign_count": int64(signCount), "backup_state": backupState, "last_used_at": at.UTC()})
	if res.Error == nil && res.RowsAffected == 0 {
		// MySQL counts changed rows: the same values again change none.
		_, err := s.Find(ctx, id)
		return err
	}
	return s.affected("record passkey use", res)
}

// Rename implements passkeystore.Store.
func (s *PasskeyStore) Rename(ctx context.Context, userID string, id []byte, name string) error {
	res := s.db.WithContext(ctx).Model(&passkeyRow{}).Where("id_hash = ? AND user_id = ?", idHash(id), userID).
		Update("name", name)
	if res.Error == nil && res.RowsAffected == 0 {
		// MySQL counts changed rows: renaming to the same name changes none.
		if _, err := s.own(ctx, userID, id); err != nil {
			return err
		}
		return nil
	}
	return s.affected("rename passkey", res)
}

// Delete implements passkeystore.Store.
func (s *PasskeyStore) Delete(ctx context.Context, userID string, id []byte) error {
	res := s.db.WithContext(ctx).Where("id_hash = ? AND user_id = ?", idHash(id), userID).Delete(&passkeyRow{})
	return s.affected("delete passkey", res)
}

// own finds the user's passkey id, or passkeystore.ErrNotFound.
func (s *PasskeyStore) own(ctx context.Context, userID string, id []byte) (passkeystore.Credential, error) {
	c, err := s.Find(ctx, id)
	if err == nil && c.UserID != userID {
		return passkeystore.Credential{}, passkeystore.ErrNotFound
	}
	return c, err
}

func (s *PasskeyStore) affected(op string, res *gorm.DB) error {
	if res.Error != nil {
		return fmt.Errorf("gorm: %s: %w", op, classify(res.Error))
	}
	if res.RowsAffected == 0 {
		return passkeystore.ErrNotFound
	}
	return nil
}

func (r passkeyRow) credential() (passkeystore.Credential, error) {
	id, err := base64.RawURLEncoding.DecodeString(r.CredentialID)
	if err != nil {
		return passkeystore.Credential{}, fmt.Errorf("gorm: passkey row %s: credential ID: %w", r.IDHash, err)
	}
	c := passkeystore.Credential{
		ID:                id,
		UserID:            r.UserID,
		Name:              r.Name,
		PublicKey:         r.PublicKey,
		SignCount:         uint32(r.SignCount),
		AAGUID:            r.AAGUID,
		AttestationFormat: r.AttestationFormat,
		BackupEligible:    r.BackupEligible,
		BackupState:       r.BackupState,
		CreatedAt:         r.CreatedAt.UTC(),
	}
	if r.Transports != "" {
		c.Transports = strings.Split(r.Transports, ",")
	}
	if r.LastUsedAt != nil {
		c.LastUsedAt = r.LastUsedAt.UTC()
	}
	return c, nil
}

// ChallengeStore is a passkeystore.ChallengeStore on any GORM dialect, shared by
// every server on the database, so that a ceremony begun on one server can
// finish on another. It stores the SHA-256 of each challenge. It is safe
// for concurrent use.
type ChallengeStore struct{ db *gorm.DB }

// NewChallengeStore brings db's tables up to date (see Migrate) and
// returns a store over ChallengeTable.
func NewChallengeStore(db *gorm.DB) (*ChallengeStore, error) {
	if db == nil {
		return nil, errNilDB
	}
	if err := Migrate(context.Background(), db); err != nil {
		return nil, err
	}
	return &ChallengeStore{db: db}, nil
}

// Put implements passkeystore.ChallengeStore.
func (s *ChallengeStore) Put(ctx context.Context, c passkeystore.Challenge) error {
	row := challengeRow{Hash: hex.EncodeToString(c.Hash[:]), Ceremony: string(c.Ceremony), UserID: c.UserID, ExpiresAt: c.ExpiresAt.UTC()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("gorm: store passkey challenge: %w", classify(err))
	}
	return nil
}

// Take implements passkeystore.ChallengeStore: it reads the row, then deletes
// it, and only the caller whose DELETE removed the row gets it, so of
// concurrent Takes exactly one succeeds.
func (s *ChallengeStore) Take(ctx context.Context, hash [32]byte) (passkeystore.Challenge, error) {
	key := hex.EncodeToString(hash[:])
	var rows []challengeRow
	if err := s.db.WithContext(ctx).Where("hash = ?", key).Limit(1).Find(&rows).Error; err != nil {
		return passkeystore.Challenge{}, fmt.Errorf("gorm: find passkey challenge: %w", classify(err))
	}
	if len(rows) == 0 {
		return passkeystore.Challenge{}, passkeystore.ErrNotFound
	}
	res := s.db.WithContext(ctx).Where("hash = ?", key).Delete(&challengeRow{})
	if res.Error != nil {
		return passkeystore.Challenge{}, fmt.Errorf("gorm: use passkey challenge: %w", classify(res.Error))
	}
	if res.RowsAffected == 0 {
		return passkeystore.Challenge{}, passkeystore.ErrNotFound // another Take won
	}
	r := rows[0]
	return passkeystore.Challenge{Hash: hash, Ceremony: passkeystore.Ceremony(r.Ceremony), UserID: r.UserID, ExpiresAt: r.ExpiresAt.UTC()}, nil
}

// Cleanup deletes the challenges expired at now and returns how many. It
// implements Cleaner, for StartCleanup.
func (s *ChallengeStore) Cleanup(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", now.UTC()).Delete(&challengeRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("gorm: clean up passkey challenges: %w", classify(res.Error))
	}
	return res.RowsAffected, nil
}
