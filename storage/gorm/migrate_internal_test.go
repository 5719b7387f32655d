package gorm

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
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
		// Past its absolute deadline, its idle one still ahead: dead.
		over := cookie.HashID(strings.Repeat("B", 43))
		err = d.DB.Exec("INSERT INTO "+table+" (hash, user_id, created_at, last_seen_at, idle_until, expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			sessionKey(over), "bob", now.Add(-25*time.Hour), now.Add(-time.Minute), now.Add(29*time.Minute), now.Add(-time.Hour), "Firefox", "192.0.2.2").Error
		if err != nil {
			t.Fatalf("insert a session as the previous release did: %v", err)
		}
		if err := Migrate(ctx, d.DB); err != nil {
			t.Fatalf("Migrate = %v", err)
		}
		checkSchema(t, d.DB)
		checkSessionIndexes(t, d)
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
		if n, err := store.Cleanup(ctx, now); err != nil || n != 1 {
			t.Errorf("Cleanup after the upgrade = %d, %v; want 1 (bob's, past its absolute deadline)", n, err)
		}
		if sess, err := store.Find(ctx, h, now); err != nil || sess.UserID != "alice" {
			t.Errorf("Find after Cleanup = %+v, %v; want alice's session kept", sess, err)
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
	if len(stmt.Schema.DBNames) != len(insertColumns) || len(row.insertArgs(false)) != len(insertColumns) || len(row.insertArgs(true)) != len(insertColumns) {
		t.Fatalf("sessionRow has columns %q; Create writes %q with %d values", stmt.Schema.DBNames, insertColumns, len(row.insertArgs(false)))
	}
	for i, c := range stmt.Schema.DBNames {
		if insertColumns[i] != c {
			t.Errorf("column %d: sessionRow has %q, Create writes %q", i, c, insertColumns[i])
		}
	}
}

// checkSessionIndexes fails t unless the session table has migration 4's
// index on the instant a session dies (not on SQLite: migration 5 dropped
// it) and neither of the two it replaced.
func checkSessionIndexes(t *testing.T, d testdb.DB) {
	t.Helper()
	table := d.Prefix + SessionTable
	m := d.DB.Migrator()
	if name := "idx_" + table + "_dead_at"; m.HasIndex(table, name) != (d.Name != "sqlite") {
		t.Errorf("index %s exists = %v; want %v", name, m.HasIndex(table, name), d.Name != "sqlite")
	}
	for _, col := range []string{"idle_until", "expires_at"} {
		if name := "idx_" + table + "_" + col; m.HasIndex(table, name) {
			t.Errorf("index %s is still there; migration 4 replaces it", name)
		}
	}
}

func TestMigrateIndexesTheInstantASessionDiesNotEachDeadline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		if err := Migrate(context.Background(), d.DB); err != nil {
			t.Fatalf("Migrate = %v", err)
		}
		checkSessionIndexes(t, d)
	})
}

// Cleanup's DELETE searches the index of migration 4: its condition is
// written as the index is, which the database needs to match them. On
// SQLite each of its DELETEs searches a window of rowids.
func TestSessionCleanupSearchesTheIndex(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		store, err := NewSessionStore(d.DB)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		for i := range 200 { // enough rows that MySQL prefers the index
			life := 24 * time.Hour
			if i == 0 {
				life = -time.Hour
			}
			sess := cookie.Session{Hash: cookie.HashID(fmt.Sprint("s", i)), UserID: "u", CreatedAt: now.Add(-2 * time.Hour),
				LastSeenAt: now, IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(life)}
			if err := store.Create(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		table := d.Prefix + SessionTable
		index := "idx_" + table + "_dead_at"
		cond, n := deadAt(d.Name)
		args := []any{now}
		if n == 2 {
			args = append(args, now)
		}
		var plan []string
		err = d.DB.Transaction(func(tx *gormlib.DB) error {
			explain := "EXPLAIN "
			switch d.Name {
			case "sqlite":
				explain = "EXPLAIN QUERY PLAN "
			case "postgres":
				// A table this small is read whole unless that is ruled out.
				if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
					return err
				}
			}
			where := cond
			if d.Name == "sqlite" {
				where = "rowid > ? AND rowid <= ? AND " + cond
				args = append([]any{0, 10000}, args...)
			}
			rows, err := tx.Raw(explain+"DELETE FROM "+table+" WHERE "+where, args...).Rows()
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				for i := range vals {
					vals[i] = new(sql.NullString)
				}
				if err := rows.Scan(vals...); err != nil {
					return err
				}
				var line []string
				for i, v := range vals {
					line = append(line, cols[i]+"="+v.(*sql.NullString).String)
				}
				plan = append(plan, strings.Join(line, " "))
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatalf("EXPLAIN Cleanup's DELETE: %v", err)
		}
		used := false
		for _, line := range plan {
			if d.Name == "sqlite" {
				index = "INTEGER PRIMARY KEY (rowid>? AND rowid<?)"
			}
			if d.Name == "mysql" {
				used = used || strings.Contains(line, " key="+index+" ")
			} else {
				used = used || strings.Contains(line, index)
			}
		}
		if !used {
			t.Errorf("Cleanup's DELETE (WHERE %s) does not use %s; plan:\n%s", cond, index, strings.Join(plan, "\n"))
		}
		if got, err := store.Cleanup(ctx, now); err != nil || got != 1 {
			t.Errorf("Cleanup = %d, %v; want the 1 session past its absolute deadline", got, err)
		}
	})
}

// On SQLite, Cleanup reads the table a window of rows at a time: dead
// rows in every window go, live ones in every window stay.
func TestSessionCleanupOnSQLiteCoversEveryWindow(t *testing.T) {
	defer func(n int) { cleanupWindow = n }(cleanupWindow)
	cleanupWindow = 3
	d := testdb.Open(t, "sqlite")
	store, err := NewSessionStore(d.DB)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	var live []cookie.Hash
	for i := range 20 {
		sess := cookie.Session{Hash: cookie.HashID(fmt.Sprint("s", i)), UserID: "u", CreatedAt: now, LastSeenAt: now,
			IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(time.Hour)}
		switch i % 3 {
		case 0: // past its idle deadline
			sess.IdleUntil = now
		case 1: // past its absolute deadline, its idle one ahead
			sess.IdleUntil, sess.ExpiresAt = now.Add(time.Hour), now.Add(-time.Microsecond)
		default:
			live = append(live, sess.Hash)
		}
		if err := store.Create(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if i == 10 { // a gap in the rowids
			if err := store.Delete(ctx, sess.Hash); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := store.Cleanup(ctx, now)
	if err != nil || n != 13 {
		t.Errorf("Cleanup = %d, %v; want 13 (20 sessions, 6 live, 1 deleted before)", n, err)
	}
	var rows int64
	d.DB.Table(SessionTable).Count(&rows)
	if rows != int64(len(live)) {
		t.Errorf("%d rows after Cleanup; want the %d live ones", rows, len(live))
	}
	for _, h := range live {
		if _, err := store.Find(ctx, h, now); err != nil {
			t.Errorf("Find(live session) after Cleanup = %v", err)
		}
	}
	if n, err := store.Cleanup(ctx, now); err != nil || n != 0 {
		t.Errorf("Cleanup again = %d, %v; want 0", n, err)
	}
}

// TestAMySQLMigrationInterruptedHalfWayCompletesOnTheNextRun stops each
// migration after each of its statements, as a server that died there
// would leave it on MySQL/MariaDB (DDL commits by itself, so the
// statements run stay applied and the migration stays unrecorded), and
// checks that the next Migrate completes the schema. PostgreSQL and
// SQLite apply a migration and its record in one transaction, so they
// never hold half a migration.
func TestAMySQLMigrationInterruptedHalfWayCompletesOnTheNextRun(t *testing.T) {
	base := testdb.Open(t, "mysql") // its cleanup drops every table below: they share its prefix
	all, err := sqlmigrate.Load(Migrations(), "mysql", "storage/gorm")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, m := range all {
		n := len(sqlmigrate.Statements(m.SQL))
		for k := 1; k < n; k++ { // the last statement records the migration
			t.Run(fmt.Sprintf("%04d_%s after %d of %d statements", m.Version, m.Name, k, n), func(t *testing.T) {
				prefix := fmt.Sprintf("%sm%dk%d_", base.Prefix, m.Version, k)
				db := openAs(t, "mysql", prefix, "")
				if i > 0 {
					before := fstest.MapFS{}
					for _, p := range all[:i] {
						before[fmt.Sprintf("mysql/%04d_%s.sql", p.Version, p.Name)] = &fstest.MapFile{Data: []byte(p.SQL)}
					}
					if _, err := sqlmigrate.Apply(ctx, db, "storage/gorm", before); err != nil {
						t.Fatalf("the migrations before %d: %v", m.Version, err)
					}
				}
				for _, stmt := range sqlmigrate.Statements(sqlmigrate.Render(m.SQL, prefix))[:k] {
					if err := db.Exec(stmt.SQL).Error; err != nil {
						t.Fatalf("statement of the interrupted run: %v\n%s", err, stmt.SQL)
					}
				}
				if err := Migrate(ctx, db); err != nil {
					t.Fatalf("Migrate after the interruption = %v", err)
				}
				checkSchema(t, db)
			})
		}
	}
}
