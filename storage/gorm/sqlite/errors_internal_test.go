package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"

	"github.com/gobware/gobware/core"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

func TestTranslateMarksOnlyOutagesUnavailable(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"nil stays nil", nil, false},
		{"a busy database file", sqlite3.Error{Code: sqlite3.ErrBusy}, true},
		{"a locked table", sqlite3.Error{Code: sqlite3.ErrLocked}, true},
		{"a file that cannot be opened", sqlite3.Error{Code: sqlite3.ErrCantOpen}, true},
		{"an I/O error", sqlite3.Error{Code: sqlite3.ErrIoErr}, true},
		{"a full disk", sqlite3.Error{Code: sqlite3.ErrFull}, true},
		{"a wrapped busy error", fmt.Errorf("query: %w", sqlite3.Error{Code: sqlite3.ErrBusy}), true},
		{"an already-unavailable error is kept as is", fmt.Errorf("x: %w", core.ErrUnavailable), true},
		{"a constraint failure is a plain failure", sqlite3.Error{Code: sqlite3.ErrConstraint, ExtendedCode: sqlite3.ErrConstraintUnique}, false},
		{"a syntax error is a plain failure", sqlite3.Error{Code: sqlite3.ErrError}, false},
		{"record not found is not an outage", gorm.ErrRecordNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dialector{}.Translate(tt.err)
			if tt.err == nil {
				if got != nil {
					t.Errorf("Translate(nil) = %v; want nil", got)
				}
				return
			}
			if errors.Is(got, core.ErrUnavailable) != tt.unavailable {
				t.Errorf("Translate(%v) = %v; want unavailable=%v", tt.err, got, tt.unavailable)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("Translate(%v) = %v; want it to wrap the original", tt.err, got)
			}
		})
	}
}

// Real outages of a real SQLite file reach the stores' callers as
// core.ErrUnavailable (503), through every path the stores use: GORM
// statements, transactions, and the session store's own prepared lookups.
func TestOutagesOfASQLiteFileAreUnavailable(t *testing.T) {
	ctx := context.Background()
	type stores struct {
		db       *gorm.DB
		sessions *gormstore.SessionStore
		refresh  *gormstore.RefreshStore
		live     cookie.Session // stored before the outage
		family   jwt.Family
	}
	setUp := func(t *testing.T, path string) stores {
		db, err := open(path, 50*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if sqlDB, err := db.DB(); err == nil {
				sqlDB.Close()
			}
		})
		s := stores{db: db}
		if s.sessions, err = gormstore.NewSessionStore(db); err != nil {
			t.Fatal(err)
		}
		if s.refresh, err = gormstore.NewRefreshStore(db); err != nil {
			t.Fatal(err)
		}
		s.live = cookie.Session{Hash: cookie.HashID("live"), UserID: "alice", CreatedAt: t0, LastSeenAt: t0, IdleUntil: t0.Add(time.Hour), ExpiresAt: t0.Add(time.Hour)}
		if err := s.sessions.Create(ctx, s.live); err != nil {
			t.Fatal(err)
		}
		s.family = jwt.Family{ID: "f1", UserID: "alice", Current: jwt.HashToken("old"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.refresh.Create(ctx, s.family); err != nil {
			t.Fatal(err)
		}
		return s
	}
	calls := func(s stores) map[string]func() error {
		return map[string]func() error{
			"session Create": func() error {
				return s.sessions.Create(ctx, cookie.Session{Hash: cookie.HashID("new"), UserID: "bob", CreatedAt: t0, LastSeenAt: t0, IdleUntil: t0.Add(time.Hour), ExpiresAt: t0.Add(time.Hour)})
			},
			"session Touch":  func() error { return s.sessions.Touch(ctx, s.live.Hash, t0, t0.Add(time.Hour)) },
			"session Delete": func() error { return s.sessions.Delete(ctx, s.live.Hash) },
			"session CreateCapped (a transaction)": func() error {
				_, err := s.sessions.CreateCapped(ctx, cookie.Session{Hash: cookie.HashID("capped"), UserID: "alice", CreatedAt: t0, LastSeenAt: t0, IdleUntil: t0.Add(time.Hour), ExpiresAt: t0.Add(time.Hour)}, 1)
				return err
			},
			"refresh Rotate": func() error {
				_, err := s.refresh.Rotate(ctx, s.family.ID, 0, s.family.Current, jwt.HashToken("next"), t0)
				return err
			},
		}
	}
	reads := func(s stores) map[string]func() error {
		return map[string]func() error{
			"session Find (prepared lookup)": func() error {
				_, err := s.sessions.Find(ctx, s.live.Hash, t0)
				return err
			},
			"session Lookup (prepared lookup)": func() error {
				_, err := s.sessions.Lookup(ctx, s.live.Hash, t0)
				return err
			},
			"session List": func() error {
				_, err := s.sessions.List(ctx, "alice", t0)
				return err
			},
			"refresh Find": func() error {
				_, err := s.refresh.Find(ctx, s.family.ID)
				return err
			},
		}
	}
	check := func(t *testing.T, name string, f func() error) {
		t.Helper()
		err := f()
		if !errors.Is(err, core.ErrUnavailable) || core.Status(err) != 503 {
			t.Errorf("%s = %v (status %d); want an error wrapping core.ErrUnavailable, 503", name, err, core.Status(err))
		}
	}

	t.Run("a write lock held beyond the busy timeout (busy)", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "busy.db")
		s := setUp(t, path)
		other, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		holder, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		if _, err := holder.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		defer holder.ExecContext(ctx, "ROLLBACK")
		for name, f := range calls(s) {
			check(t, name, f)
		}
	})

	t.Run("a database file that can no longer be opened (cantopen)", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "gone")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		s := setUp(t, filepath.Join(dir, "app.db"))
		sqlDB, _ := s.db.DB()
		sqlDB.SetMaxIdleConns(0) // every call opens the file anew
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, f := range calls(s) {
			check(t, name, f)
		}
		for name, f := range reads(s) {
			check(t, name, f)
		}
	})
}

// t0 is the clock of the rows these tests store.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
