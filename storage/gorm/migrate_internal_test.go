package gorm

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gormlib "gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/internal/sqlmigrate"
	"github.com/gobware/gobware/internal/tableprefix"
	"github.com/gobware/gobware/internal/testdb"
	"github.com/gobware/gobware/storage/gorm/sqlite"
	"github.com/gobware/gobware/strategy/cookie"
)

// models are the rows of every table Migrate owns.
var models = []any{&sessionRow{}, &familyRow{}, &watermarkRow{}, &limiterRow{}, &passkeyRow{}, &challengeRow{}}

// checkSchema fails t unless db has every table, column and index the
// models ask for, and every migration recorded once.
func checkSchema(t *testing.T, db *gormlib.DB) {
	t.Helper()
	m := db.Migrator()
	for _, model := range models {
		stmt := &gormlib.Statement{DB: db}
		if err := stmt.Parse(model); err != nil {
			t.Fatal(err)
		}
		table := stmt.Schema.Table
		if !m.HasTable(model) {
			t.Errorf("table %s is missing", table)
			continue
		}
		for _, f := range stmt.Schema.Fields {
			if f.DBName != "" && !m.HasColumn(model, f.DBName) {
				t.Errorf("column %s.%s is missing", table, f.DBName)
			}
		}
		for _, idx := range stmt.Schema.ParseIndexes() {
			if !m.HasIndex(model, idx.Name) {
				t.Errorf("index %s on %s is missing", idx.Name, table)
			}
		}
	}
	want, err := sqlmigrate.Load(Migrations(), db.Dialector.Name(), "storage/gorm")
	if err != nil {
		t.Fatal(err)
	}
	var versions []int
	table := tableprefix.Of(db.NamingStrategy) + MigrationTable
	if err := db.Table(table).Where("component = ?", "storage/gorm").Order("version").Pluck("version", &versions).Error; err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	if len(versions) != len(want) {
		t.Errorf("%s records versions %v; want 1…%d, each once", table, versions, len(want))
	}
}

func TestMigrateCreatesEveryTableOnAnEmptyDatabaseAndIsANoOpAfterwards(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		if err := Migrate(ctx, d.DB); err != nil {
			t.Fatalf("Migrate = %v", err)
		}
		checkSchema(t, d.DB)
		if err := Migrate(ctx, d.DB); err != nil {
			t.Fatalf("Migrate again = %v", err)
		}
		checkSchema(t, d.DB)
	})
}

// previousRelease creates the tables as the release before versioned
// migrations did (testdata/previous, dumped from a database it set up).
func previousRelease(t *testing.T, d testdb.DB) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "previous", d.Name+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range sqlmigrate.Statements(sqlmigrate.Render(string(b), d.Prefix)) {
		if err := d.DB.Exec(stmt.SQL).Error; err != nil {
			t.Fatalf("previous release's schema: %v\n%s", err, stmt.SQL)
		}
	}
}

func TestMigrateUpgradesThePreviousReleasesDatabaseWithItsSessionsLive(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		previousRelease(t, d)
		now := time.Now().UTC().Truncate(time.Microsecond)
		h := cookie.HashID(strings.Repeat("A", 43))
		table := d.Prefix + SessionTable
		err := d.DB.Exec("INSERT INTO "+table+" (hash, user_id, created_at, last_seen_at, idle_until, expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			sessionKey(h), "alice", now.Add(-time.Minute), now.Add(-time.Minute), now.Add(29*time.Minute), now.Add(23*time.Hour), "Firefox", "192.0.2.1").Error
		if err != nil {
			t.Fatalf("insert a session as the previous release did: %v", err)
		}
		if err := Migrate(ctx, d.DB); err != nil {
			t.Fatalf("Migrate = %v", err)
		}
		checkSchema(t, d.DB)
		store, err := NewSessionStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		for name, find := range map[string]func(context.Context, cookie.Hash, time.Time) (cookie.Session, error){"Find": store.Find, "Lookup": store.Lookup} {
			sess, err := find(ctx, h, now)
			if err != nil || sess.UserID != "alice" || !sess.ExpiresAt.Equal(now.Add(23*time.Hour)) {
				t.Errorf("%s after the upgrade = %+v, %v; want alice's session", name, sess, err)
			}
		}
	})
}

// helperEnv names the variable that makes TestMigrateHelperProcess run:
// dialect, then the prefix, then the SQLite file (for sqlite).
const helperEnv = "GOBWARE_TEST_MIGRATE_HELPER"

// TestMigrateHelperProcess is the second process of
// TestMigrateFromTwoProcessesAtOnce; it does nothing otherwise.
func TestMigrateHelperProcess(t *testing.T) {
	args := os.Getenv(helperEnv)
	if args == "" {
		t.Skip("run by TestMigrateFromTwoProcessesAtOnce")
	}
	f := strings.SplitN(args, "|", 3)
	db := openAs(t, f[0], f[1], f[2])
	if err := Migrate(context.Background(), db); err != nil {
		t.Fatalf("Migrate = %v", err)
	}
}

// openAs opens the database a server would, with a pool of its own.
func openAs(t testing.TB, dialect, prefix, path string) *gormlib.DB {
	t.Helper()
	if dialect == "sqlite" {
		db, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { closeDB(db) })
		return db
	}
	d := testdb.Open(t, dialect) // for its dialector; its own tables are never created
	db, err := gormlib.Open(d.DB.Dialector, &gormlib.Config{
		NamingStrategy: schema.NamingStrategy{TablePrefix: prefix},
		Logger:         logger.Default.LogMode(logger.Silent),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeDB(db) })
	return db
}

func closeDB(db *gormlib.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

func TestMigrateFromTwoProcessesAtOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		path := ""
		if d.Name == "sqlite" {
			path = filepath.Join(t.TempDir(), "shared.db")
		}
		for round := range 3 {
			prefix := fmt.Sprintf("%sr%d_", d.Prefix, round)
			if d.Name == "sqlite" {
				prefix = ""
				path = filepath.Join(t.TempDir(), fmt.Sprintf("round%d.db", round))
			}
			// Two processes and, in this one, two pools: four servers
			// starting at once.
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 2 {
				cmd := exec.Command(os.Args[0], "-test.run=^TestMigrateHelperProcess$", "-test.count=1")
				cmd.Env = append(os.Environ(), helperEnv+"="+d.Name+"|"+prefix+"|"+path)
				wg.Add(1)
				go func() {
					defer wg.Done()
					if out, err := cmd.CombinedOutput(); err != nil {
						errs <- fmt.Errorf("helper process: %v\n%s", err, out)
					}
				}()
			}
			for range 2 {
				db := openAs(t, d.Name, prefix, path)
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := Migrate(context.Background(), db); err != nil {
						errs <- fmt.Errorf("Migrate = %w", err)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			checkSchema(t, openAs(t, d.Name, prefix, path))
		}
	})
}

func TestMigrationsLoadForEveryDialect(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres", "mysql"} {
		ms, err := sqlmigrate.Load(Migrations(), dialect, "storage/gorm")
		if err != nil || len(ms) == 0 {
			t.Errorf("Load(%s) = %d migrations, %v; want them all", dialect, len(ms), err)
		}
	}
}

func TestCreateWritesEveryColumnOfTheSessionRow(t *testing.T) {
	db := testdb.Open(t, "sqlite")
	stmt := &gormlib.Statement{DB: db.DB}
	if err := stmt.Parse(&sessionRow{}); err != nil {
		t.Fatal(err)
	}
	var row sessionRow
	if len(stmt.Schema.DBNames) != len(insertColumns) || len(row.insertArgs()) != len(insertColumns) {
		t.Fatalf("sessionRow has columns %q; Create writes %q with %d values", stmt.Schema.DBNames, insertColumns, len(row.insertArgs()))
	}
	for i, c := range stmt.Schema.DBNames {
		if insertColumns[i] != c {
			t.Errorf("column %d: sessionRow has %q, Create writes %q", i, c, insertColumns[i])
		}
	}
}
