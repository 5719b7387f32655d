package cookie_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/internal/testdb"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/cookie/cookietest"
)

// env is one store under test, with the clock and event log of the test.
type env struct {
	store  *countingStore
	db     *gorm.DB // nil for the memory store
	table  string   // the session table in db
	clock  *coretest.Clock
	events *coretest.Events
}

// eachStore runs f against the memory store, and against the session store
// of storage/gorm in every database testdb.Each offers: a real SQLite file,
// and PostgreSQL and MariaDB/MySQL when GOBWARE_TEST_POSTGRES_DSN and
// GOBWARE_TEST_MYSQL_DSN are set.
func eachStore(t *testing.T, f func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) {
		f(t, newEnv(cookie.NewMemoryStore(), nil, ""))
	})
	testdb.Each(t, func(t *testing.T, db testdb.DB) { f(t, dbEnv(t, db)) })
}

// dbEnv returns an env on storage/gorm's session store in db.
func dbEnv(t *testing.T, db testdb.DB) *env {
	t.Helper()
	st, err := gormstore.NewSessionStore(db.DB)
	if err != nil {
		t.Fatal(err)
	}
	return newEnv(st, db.DB, db.Prefix+gormstore.SessionTable)
}

func newEnv(st cookie.Store, db *gorm.DB, table string) *env {
	return &env{store: &countingStore{Store: st}, db: db, table: table, clock: coretest.NewClock(coretest.Epoch), events: &coretest.Events{}}
}

// strategy returns a Strategy on e's store, clock and event log, signing
// with key1 unless keys are given.
func (e *env) strategy(t *testing.T, opts cookie.Options, keys ...[]byte) *cookie.Strategy {
	t.Helper()
	if len(keys) == 0 {
		keys = [][]byte{key1}
	}
	if opts.Now == nil {
		opts.Now = e.clock.Now
	}
	if opts.Events == nil {
		opts.Events = e.events.Record
	}
	s, err := cookie.New(keys, e.store, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// login logs userID in through s and returns the session cookie's value.
func login(t *testing.T, s *cookie.Strategy, userID string) string {
	t.Helper()
	w := newRecorder()
	if err := s.Login(newRequest(), w, userID); err != nil {
		t.Fatalf("Login(%q) = %v", userID, err)
	}
	c := w.only()
	if c == nil {
		t.Fatalf("Login(%q) wrote %d cookies; want 1", userID, len(w.Cookies))
	}
	return c.Value
}

// authenticate runs s.Authenticate on a request carrying value under s's cookie name.
func authenticate(s *cookie.Strategy, value string) (core.Identity, error) {
	return s.Authenticate(newRequest().AddCookie(s.CookieName(), value))
}

// rawRows returns every row of the session table as text, or nil for the
// memory store.
func (e *env) rawRows(t *testing.T) []map[string]any {
	t.Helper()
	if e.db == nil {
		return nil
	}
	var rows []map[string]any
	if err := e.db.Table(e.table).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// The memory store passes the session-store conformance suite; storage/gorm
// and storage/redis run the same suite against their backends.
func TestMemoryStoreConformance(t *testing.T) {
	cookietest.TestStore(t, func(*testing.T) cookietest.Target {
		m := cookie.NewMemoryStore()
		return cookietest.Target{
			Store:     m,
			InProcess: true,
			Cleanup: func(_ context.Context, now time.Time) (int64, error) {
				return int64(m.Cleanup(now)), nil
			},
		}
	})
}
