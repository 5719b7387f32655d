package gorm_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	gormstore "github.com/gobware/gobware/storage/gorm"
)

// testDB is one database under test. Tables are named prefix + gobware_*.
type testDB struct {
	db     *gorm.DB
	prefix string
}

// sessionTable is the name of the session table in this database.
func (d testDB) sessionTable() string { return d.prefix + gormstore.SessionTable }

// eachDB runs f against a fresh SQLite file, and against PostgreSQL and
// MySQL/MariaDB when GOBWARE_TEST_POSTGRES_DSN and GOBWARE_TEST_MYSQL_DSN
// are set. On the shared servers each run gets its own random table prefix
// and drops its session table afterwards, so parallel test runs of several
// packages never meet.
func eachDB(t *testing.T, f func(t *testing.T, d testDB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		db, err := gormstore.OpenSQLite(filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { closeDB(db) })
		f(t, testDB{db: db})
	})
	for _, d := range []struct {
		name, env string
		open      func(string) gorm.Dialector
	}{
		{"postgres", "GOBWARE_TEST_POSTGRES_DSN", postgres.Open},
		{"mysql", "GOBWARE_TEST_MYSQL_DSN", mysql.Open},
	} {
		t.Run(d.name, func(t *testing.T) {
			dsn := os.Getenv(d.env)
			if dsn == "" {
				t.Skipf("%s not set", d.env)
			}
			var b [6]byte
			rand.Read(b[:])
			prefix := "t" + hex.EncodeToString(b[:]) + "_"
			db, err := gorm.Open(d.open(dsn), &gorm.Config{
				NamingStrategy: schema.NamingStrategy{TablePrefix: prefix},
				Logger:         logger.Default.LogMode(logger.Silent),
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				// A second connection: the test may have closed db.
				if cleaner, err := gorm.Open(d.open(dsn), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)}); err == nil {
					if err := cleaner.Migrator().DropTable(prefix + gormstore.SessionTable); err != nil {
						t.Errorf("drop %s: %v", prefix+gormstore.SessionTable, err)
					}
					closeDB(cleaner)
				}
				closeDB(db)
			})
			f(t, testDB{db: db, prefix: prefix})
		})
	}
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
