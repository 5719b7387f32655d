package gorm_test

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/gobware/gobware/internal/testdb"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// oldFamilyRow is the refresh-family table of the versions before login
// methods and attributes, as they created it.
type oldFamilyRow struct {
	ID           string     `gorm:"column:id;primaryKey;size:64"`
	UserID       string     `gorm:"column:user_id;size:255;not null;index"`
	Generation   int64      `gorm:"column:generation;not null"`
	CurrentHash  string     `gorm:"column:current_hash;size:64;not null"`
	PreviousHash string     `gorm:"column:previous_hash;size:64;not null"`
	RotatedAt    *time.Time `gorm:"column:rotated_at;precision:6"`
	CreatedAt    time.Time  `gorm:"column:created_at;not null;precision:6;autoCreateTime:false"`
	ExpiresAt    time.Time  `gorm:"column:expires_at;not null;precision:6;index"`
	Revoked      bool       `gorm:"column:revoked;not null;default:false"`
}

// A family table created by an earlier version gains the new columns when
// the store opens it; its families read back carrying nothing and rotate.
func TestRefreshStoreMigratesTheEarlierFamilyTable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		table := d.Prefix + gormstore.RefreshTable
		if err := d.DB.Migrator().DropTable(table); err != nil {
			t.Fatal(err)
		}
		if err := d.DB.Table(table).AutoMigrate(&oldFamilyRow{}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		cur := refresh.HashToken("current token")
		row := oldFamilyRow{ID: "family-of-before", UserID: "alice", CurrentHash: hex.EncodeToString(cur[:]), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := d.DB.Table(table).Create(&row).Error; err != nil {
			t.Fatal(err)
		}
		st, err := gormstore.NewRefreshStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{"method", "auth_time", "attributes"} {
			if !d.DB.Migrator().HasColumn(table, col) {
				t.Errorf("the migration did not add column %s", col)
			}
		}
		f, err := st.Find(t.Context(), row.ID)
		if err != nil || f.UserID != "alice" || f.Current != cur || f.Method != "" || !f.AuthTime.IsZero() || f.Attributes != nil {
			t.Fatalf("Find(family of the earlier table) = %+v, %v; want alice's, carrying nothing", f, err)
		}
		next := refresh.HashToken("next token")
		if f, err := st.Rotate(t.Context(), row.ID, 0, cur, next, now.Add(time.Minute)); err != nil || f.Current != next {
			t.Errorf("Rotate(family of the earlier table) = %+v, %v", f, err)
		}
	})
}
