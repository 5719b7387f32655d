package gorm_test

import (
	"context"
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
	"github.com/gobware/gobware/strategy/cookie"
)

func TestOpenSQLiteSetsUpAFileForConcurrency(t *testing.T) {
	db, err := gormstore.OpenSQLite(filepath.Join(t.TempDir(), "app.db"))
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
	if got := sqlDB.Stats().MaxOpenConnections; got != gormstore.SQLiteMaxOpenConns {
		t.Errorf("MaxOpenConnections = %d; want %d", got, gormstore.SQLiteMaxOpenConns)
	}
}

func TestOpenSQLiteInMemoryIsPrivateAndLasting(t *testing.T) {
	a, err := gormstore.OpenSQLite(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(a)
	b, err := gormstore.OpenSQLite(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(b)
	sa, err := gormstore.NewSessionStore(a)
	if err != nil {
		t.Fatal(err)
	}
	s := session("alice", time.Hour, time.Hour)
	if err := sa.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	// Let the pool age: the single connection must survive.
	sqlDB, _ := a.DB()
	if got := sqlDB.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("MaxOpenConnections = %d; want 1", got)
	}
	if _, err := sa.Find(context.Background(), s.Hash, t0); err != nil {
		t.Errorf("Find in the same memory database = %v", err)
	}
	if b.Migrator().HasTable(gormstore.SessionTable) {
		t.Errorf("a second :memory: database sees the first one's table")
	}
}

func TestOpenSQLiteRefusesURIsAndQueries(t *testing.T) {
	for _, path := range []string{"", "file:x.db", "x.db?_journal_mode=DELETE", "file::memory:?cache=shared"} {
		if db, err := gormstore.OpenSQLite(path); err == nil {
			closeDB(db)
			t.Errorf("OpenSQLite(%q) = nil error; want a refusal", path)
		}
	}
}

// Many goroutines writing one SQLite file must never see "database is locked".
func TestSQLiteUnderConcurrentWritesNeverLocks(t *testing.T) {
	db, err := gormstore.OpenSQLite(filepath.Join(t.TempDir(), "busy.db"))
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

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
