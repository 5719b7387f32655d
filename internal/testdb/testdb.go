package testdb

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/storage/gorm/sqlite"
)

// Names are the engines Each runs on, in order.
var Names = []string{"sqlite", "postgres", "mysql"}

// servers are the engines reached through a DSN in the environment.
var servers = map[string]struct {
	env  string
	open func(dsn string) gorm.Dialector
}{
	"postgres": {"GOBWARE_TEST_POSTGRES_DSN", postgres.Open},
	"mysql":    {"GOBWARE_TEST_MYSQL_DSN", mysql.Open},
}

// DB is one database under test. Its tables are named Prefix + the model's
// usual table name; Prefix is empty for SQLite, whose file is private to
// the test.
type DB struct {
	*gorm.DB
	Name   string // one of Names
	Prefix string
}

// Each runs f as the subtests "sqlite", "postgres" and "mysql", each on a
// database opened by Open.
func Each(t *testing.T, f func(t *testing.T, db DB)) {
	t.Helper()
	for _, name := range Names {
		t.Run(name, func(t *testing.T) { f(t, Open(t, name)) })
	}
}

// Open opens the named database (one of Names) for t, skipping t when the
// server's DSN is not in the environment. The connections are closed, and
// a server's tables dropped, when t ends.
func Open(t testing.TB, name string) DB {
	t.Helper()
	if name == "sqlite" {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatalf("sqlite.Open = %v", err)
		}
		t.Cleanup(func() { closeDB(db) }) // the file goes with t.TempDir
		return DB{DB: db, Name: name}
	}
	server, ok := servers[name]
	if !ok {
		t.Fatalf("testdb.Open(%q): unknown database; want one of %q", name, Names)
	}
	dsn := os.Getenv(server.env)
	if dsn == "" {
		t.Skipf("%s is not set; skipping the %s tests", server.env, name)
	}
	prefix := randomPrefix(t)
	db, err := gorm.Open(server.open(dsn), &gorm.Config{
		NamingStrategy: schema.NamingStrategy{TablePrefix: prefix},
		Logger:         logger.Default.LogMode(logger.Silent),
	})
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer closeDB(db)
		dropTables(t, server.open(dsn), prefix)
	})
	return DB{DB: db, Name: name, Prefix: prefix}
}

// dropTables drops every table whose name starts with prefix, through a
// connection of its own: the test may have closed its database.
func dropTables(t testing.TB, dialector gorm.Dialector, prefix string) {
	db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Errorf("connecting to drop the %s* tables: %v", prefix, err)
		return
	}
	defer closeDB(db)
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Errorf("listing the %s* tables: %v", prefix, err)
		return
	}
	var mine []any
	for _, table := range tables {
		if strings.HasPrefix(table, prefix) {
			mine = append(mine, table)
		}
	}
	if len(mine) == 0 {
		return
	}
	if err := db.Migrator().DropTable(mine...); err != nil {
		t.Errorf("drop %v: %v", mine, err)
	}
}

// randomPrefix returns a table prefix no other test run will use.
func randomPrefix(t testing.TB) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "t" + hex.EncodeToString(b[:]) + "_"
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

// Reopen opens d's database a second time, with a connection pool of its
// own and the same table prefix, as a second server would. It is closed
// when t ends.
func (d DB) Reopen(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(d.DB.Dialector, &gorm.Config{
		NamingStrategy: d.DB.NamingStrategy,
		Logger:         logger.Default.LogMode(logger.Silent),
	})
	if err != nil {
		t.Fatalf("reopen %s: %v", d.Name, err)
	}
	t.Cleanup(func() { closeDB(db) })
	return db
}
