package sqlite_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/storage/gorm/sqlite"
	"github.com/gobware/gobware/strategy/cookie"
)

func TestOpenSetsUpAFileForConcurrency(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	// Each pragma is asked on several connections at once, so that every
	// connection of the pool is shown to carry the settings.
	tests := []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"busy_timeout", "5000"},
		{"foreign_keys", "1"},
		{"synchronous", "1"}, // NORMAL
	}
	for _, tt := range tests {
		t.Run(tt.pragma, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tx := db.WithContext(ctx).Begin() // hold one connection
			defer tx.Rollback()
			var got string
			if err := db.Raw("PRAGMA " + tt.pragma).Scan(&got).Error; err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(got, tt.want) {
				t.Errorf("PRAGMA %s = %q; want %q", tt.pragma, got, tt.want)
			}
		})
	}
	sqlDB, _ := db.DB()
	if got := sqlDB.Stats().MaxOpenConnections; got != sqlite.MaxOpenConns {
		t.Errorf("MaxOpenConnections = %d; want %d", got, sqlite.MaxOpenConns)
	}
}

func TestOpenInMemoryIsPrivate(t *testing.T) {
	a, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(a)
	b, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(b)
	if _, err := gormstore.NewSessionStore(a); err != nil {
		t.Fatal(err)
	}
	if b.Migrator().HasTable(gormstore.SessionTable) {
		t.Errorf("a second :memory: database sees the first one's table")
	}
}

// The pool of an in-memory database is aged for real: its connections are
// closed by each of database/sql's limits in turn (the idle pool size, the
// lifetime, the idle time) until it holds none, and the data must survive,
// although SQLite destroys an in-memory database with its last connection.
func TestOpenInMemoryOutlivesEveryPooledConnection(t *testing.T) {
	db, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	st, err := gormstore.NewSessionStore(db)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	if got := sqlDB.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("MaxOpenConnections = %d; want 1", got)
	}
	ctx := context.Background()
	s := session("alice", time.Hour, time.Hour)
	if err := st.Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		limit func()
	}{
		{"no idle connections kept", func() { sqlDB.SetMaxIdleConns(0) }},
		{"a lifetime of a millisecond", func() { sqlDB.SetMaxIdleConns(1); sqlDB.SetConnMaxLifetime(time.Millisecond) }},
		{"an idle time of a millisecond", func() { sqlDB.SetConnMaxLifetime(0); sqlDB.SetConnMaxIdleTime(time.Millisecond) }},
	} {
		t.Run("the data survives a pool with "+tt.name, func(t *testing.T) {
			before := closed(sqlDB.Stats())
			tt.limit()
			if err := db.Exec("SELECT 1").Error; err != nil { // a connection used and released
				t.Fatal(err)
			}
			// database/sql's cleaner runs at most once a second.
			for deadline := time.Now().Add(10 * time.Second); closed(sqlDB.Stats()) == before || sqlDB.Stats().OpenConnections > 0; {
				if time.Now().After(deadline) {
					t.Fatalf("the pool kept its connection (stats %+v); the test did not age it", sqlDB.Stats())
				}
				time.Sleep(10 * time.Millisecond)
			}
			if _, err := st.Find(ctx, s.Hash, t0); err != nil {
				t.Errorf("Find after the pool closed all its connections = %v; want the session stored before", err)
			}
		})
	}
}

// closed is how many connections the pool has closed for its limits.
func closed(s sql.DBStats) int64 { return s.MaxIdleClosed + s.MaxIdleTimeClosed + s.MaxLifetimeClosed }

func TestOpenRefusesURIsAndQueries(t *testing.T) {
	for _, path := range []string{"", "file:x.db", "x.db?_journal_mode=DELETE", "file::memory:?cache=shared"} {
		if db, err := sqlite.Open(path); err == nil {
			closeDB(db)
			t.Errorf("Open(%q) = nil error; want a refusal", path)
		}
	}
}

// Many goroutines writing one SQLite file must never see "database is locked".
func TestSQLiteUnderConcurrentWritesNeverLocks(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "busy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(db)
	st, err := gormstore.NewSessionStore(db)
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 64, 25
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprint("user", w%8)
			for i := 0; i < rounds; i++ {
				s := session(user, time.Hour, time.Hour)
				if err := st.Create(ctx, s); err != nil {
					errs <- fmt.Errorf("Create: %w", err)
					continue
				}
				if _, err := st.Find(ctx, s.Hash, t0); err != nil {
					errs <- fmt.Errorf("Find: %w", err)
				}
				if err := st.Touch(ctx, s.Hash, t0.Add(time.Minute), t0.Add(time.Hour)); err != nil {
					errs <- fmt.Errorf("Touch: %w", err)
				}
				if i%2 == 0 {
					if err := st.Delete(ctx, s.Hash); err != nil {
						errs <- fmt.Errorf("Delete: %w", err)
					}
				}
				if i%10 == 0 {
					if _, err := st.List(ctx, user, t0); err != nil {
						errs <- fmt.Errorf("List: %w", err)
					}
				}
				// A read-then-write transaction, as applications write them:
				// with deferred transactions two of these deadlock and SQLite
				// fails one with "database is locked" at once.
				err := db.Transaction(func(tx *gorm.DB) error {
					var n int64
					if err := tx.Table(gormstore.SessionTable).Where("user_id = ?", user).Count(&n).Error; err != nil {
						return err
					}
					return tx.Table(gormstore.SessionTable).Where("hash = ?", hex.EncodeToString(s.Hash[:])).
						Update("user_agent", fmt.Sprint("seen ", n)).Error
				})
				if err != nil {
					errs <- fmt.Errorf("read-then-write transaction: %w", err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 5 {
			t.Errorf("concurrent store call failed: %v", err)
		}
	}
	if n > 0 {
		t.Fatalf("%d of the concurrent store calls failed; want 0", n)
	}
	var rows int64
	db.Table(gormstore.SessionTable).Count(&rows)
	if want := int64(workers * (rounds / 2)); rows != want { // odd rounds keep their row
		t.Errorf("rows after the run = %d; want %d", rows, want)
	}
	// And the database remains consistent for a reader.
	if _, err := st.Find(ctx, cookie.HashID("nothing"), t0); !errors.Is(err, cookie.ErrNotFound) {
		t.Errorf("Find(missing) = %v; want %v", err, cookie.ErrNotFound)
	}
}

// t0 is the clock of the sessions these tests store.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC)

// session returns a session of user created at t0 with the given deadlines.
func session(user string, idle, life time.Duration) cookie.Session {
	var id [32]byte
	rand.Read(id[:])
	return cookie.Session{
		Hash:       cookie.HashID(hex.EncodeToString(id[:])),
		UserID:     user,
		CreatedAt:  t0,
		LastSeenAt: t0,
		IdleUntil:  t0.Add(idle),
		ExpiresAt:  t0.Add(life),
	}
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
