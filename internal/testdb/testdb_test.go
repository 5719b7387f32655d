package testdb_test

import (
	"strings"
	"testing"

	"github.com/gobware/gobware/internal/testdb"
)

type widget struct{ ID int }

// A test's tables are dropped when it ends, even when it closed its
// database, and another open never sees them.
func TestTablesAreDroppedWhenTheTestEnds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db testdb.DB) {
		var prefix string
		t.Run("a test that makes a table and closes its database", func(t *testing.T) {
			inner := testdb.Open(t, db.Name)
			prefix = inner.Prefix
			if err := inner.AutoMigrate(&widget{}); err != nil {
				t.Fatalf("AutoMigrate = %v", err)
			}
			if table := inner.Prefix + "widgets"; !inner.Migrator().HasTable(table) {
				t.Fatalf("HasTable(%q) = false; want true", table)
			}
			sqlDB, err := inner.DB.DB()
			if err != nil {
				t.Fatal(err)
			}
			sqlDB.Close()
		})
		if db.Name == "sqlite" {
			if db.Prefix != "" {
				t.Errorf("Prefix = %q; want none for a private SQLite file", db.Prefix)
			}
			return
		}
		if prefix == "" || prefix == db.Prefix {
			t.Fatalf("inner Prefix = %q, outer %q; want two different non-empty prefixes", prefix, db.Prefix)
		}
		tables, err := db.Migrator().GetTables()
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range tables {
			if strings.HasPrefix(table, prefix) {
				t.Errorf("table %q outlived its test", table)
			}
		}
	})
}
