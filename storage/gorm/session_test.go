package gorm_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/internal/testdb"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
)

// Compile-time checks: SessionStore is a cookie.Store and a Cleaner.
var (
	_ cookie.Store      = (*gormstore.SessionStore)(nil)
	_ gormstore.Cleaner = (*gormstore.SessionStore)(nil)
)

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC)

// sessionTable is the name of the session table in d.
func sessionTable(d testdb.DB) string { return d.Prefix + gormstore.SessionTable }

func newSessionStore(t *testing.T, d testdb.DB) *gormstore.SessionStore {
	t.Helper()
	st, err := gormstore.NewSessionStore(d.DB)
	if err != nil {
		t.Fatalf("NewSessionStore: %v", err)
	}
	return st
}

func randomID() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// session returns a session of user created at t0 with the given deadlines.
func session(user string, idle, life time.Duration) cookie.Session {
	return cookie.Session{
		Hash:       cookie.HashID(randomID()),
		UserID:     user,
		CreatedAt:  t0,
		LastSeenAt: t0,
		IdleUntil:  t0.Add(idle),
		ExpiresAt:  t0.Add(life),
		UserAgent:  "Mozilla/5.0 (ünïcode ✓)",
		IP:         "2001:db8::1",
	}
}

func TestSessionStoreKeepsWhatItIsGiven(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		st := newSessionStore(t, d)
		if !d.DB.Migrator().HasTable(sessionTable(d)) {
			t.Fatalf("table %s was not created", sessionTable(d))
		}
		want := session("alice", time.Hour, 2*time.Hour)
		// A non-UTC time is stored as the same instant, read back in UTC.
		want.CreatedAt = want.CreatedAt.In(time.FixedZone("X", -5*3600))
		if err := st.Create(ctx, want); err != nil {
			t.Fatalf("Create = %v", err)
		}
		got, err := st.Find(ctx, want.Hash, t0)
		if err != nil {
			t.Fatalf("Find = %v", err)
		}
		want.CreatedAt = want.CreatedAt.UTC()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Find = %+v; want %+v", got, want)
		}
		if got.CreatedAt.Location() != time.UTC || got.ExpiresAt.Location() != time.UTC {
			t.Errorf("Find returned times in %v; want UTC", got.CreatedAt.Location())
		}
		if err := st.Create(ctx, want); err == nil || errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Create(duplicate) = %v; want an error other than ErrNotFound", err)
		}

		seen := t0.Add(10 * time.Minute)
		if err := st.Touch(ctx, want.Hash, seen, seen.Add(time.Hour)); err != nil {
			t.Fatalf("Touch = %v", err)
		}
		got, _ = st.Find(ctx, want.Hash, seen)
		if !got.LastSeenAt.Equal(seen) || !got.IdleUntil.Equal(seen.Add(time.Hour)) {
			t.Errorf("after Touch: LastSeenAt %v, IdleUntil %v; want %v, %v", got.LastSeenAt, got.IdleUntil, seen, seen.Add(time.Hour))
		}
		if err := st.Touch(ctx, cookie.HashID("missing"), seen, seen); err != nil {
			t.Errorf("Touch(missing) = %v; want nil", err)
		}

		if err := st.Delete(ctx, want.Hash); err != nil {
			t.Fatalf("Delete = %v", err)
		}
		if _, err := st.Find(ctx, want.Hash, t0); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Find after Delete = %v; want %v", err, cookie.ErrNotFound)
		}
		if err := st.Delete(ctx, want.Hash); err != nil {
			t.Errorf("Delete(missing) = %v; want nil", err)
		}
	})
}

func TestSessionStoreListsAndDeletesByExactUser(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		st := newSessionStore(t, d)
		var alice []cookie.Session
		for i := 0; i < 3; i++ {
			s := session("alice", time.Hour, 2*time.Hour)
			s.CreatedAt = t0.Add(time.Duration(i) * time.Second)
			alice = append(alice, s)
		}
		dead := session("alice", time.Minute, 2*time.Hour)
		others := []cookie.Session{session("Alice", time.Hour, time.Hour), session("alice ", time.Hour, time.Hour), session("bob", time.Hour, time.Hour)}
		for _, s := range append(append(alice, dead), others...) {
			if err := st.Create(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		list, err := st.List(ctx, "alice", t0.Add(30*time.Minute))
		if err != nil || len(list) != 3 {
			t.Fatalf("List(alice) = %d sessions, %v; want 3", len(list), err)
		}
		for i, s := range list {
			if want := alice[2-i]; s.Hash != want.Hash {
				t.Errorf("List(alice)[%d] created %v; want newest first (%v)", i, s.CreatedAt, want.CreatedAt)
			}
		}
		n, err := st.DeleteUser(ctx, "alice")
		if err != nil || n != 4 {
			t.Errorf("DeleteUser(alice) = %d, %v; want 4 (expired rows included)", n, err)
		}
		for _, s := range others {
			if _, err := st.Find(ctx, s.Hash, t0); err != nil {
				t.Errorf("Find(%q's session) after DeleteUser(alice) = %v; want it kept", s.UserID, err)
			}
		}
	})
}

func TestSessionStoreNeverReturnsExpiredRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		st := newSessionStore(t, d)
		s := session("alice", 30*time.Minute, time.Hour)
		if err := st.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			at   time.Time
			live bool
		}{
			{"one microsecond before the idle deadline", s.IdleUntil.Add(-time.Microsecond), true},
			{"at the idle deadline", s.IdleUntil, false},
			{"after the absolute deadline", s.ExpiresAt.Add(time.Second), false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := st.Find(ctx, s.Hash, tt.at)
				if tt.live && err != nil || !tt.live && !errors.Is(err, cookie.ErrNotFound) {
					t.Errorf("Find(at %v) = %v; want live=%v", tt.at, err, tt.live)
				}
				list, err := st.List(ctx, "alice", tt.at)
				if err != nil || (len(list) == 1) != tt.live {
					t.Errorf("List(at %v) = %d, %v; want live=%v", tt.at, len(list), err, tt.live)
				}
			})
		}
		// The absolute deadline holds even if the idle one was pushed past it.
		if err := st.Touch(ctx, s.Hash, t0, s.ExpiresAt.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Find(ctx, s.Hash, s.ExpiresAt); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Find at ExpiresAt with a later IdleUntil = %v; want %v", err, cookie.ErrNotFound)
		}
		// A Touch after death does not revive.
		late := s.ExpiresAt.Add(time.Minute)
		if err := st.Touch(ctx, s.Hash, late, late.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Find(ctx, s.Hash, late); !errors.Is(err, cookie.ErrNotFound) {
			t.Errorf("Find after a late Touch = %v; want %v", err, cookie.ErrNotFound)
		}
		var rows int64
		d.DB.Table(sessionTable(d)).Count(&rows)
		if rows != 1 {
			t.Errorf("table has %d rows; want the expired row still there (filtered, not deleted)", rows)
		}
	})
}

func TestSessionStoreCleanupDeletesOnlyDeadRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		st := newSessionStore(t, d)
		idleDead := session("a", time.Minute, time.Hour)
		lifeDead := session("b", 2*time.Hour, 30*time.Minute)
		live := session("c", time.Hour, time.Hour)
		for _, s := range []cookie.Session{idleDead, lifeDead, live} {
			if err := st.Create(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		n, err := st.Cleanup(ctx, t0.Add(45*time.Minute))
		if err != nil || n != 2 {
			t.Errorf("Cleanup = %d, %v; want 2", n, err)
		}
		if _, err := st.Find(ctx, live.Hash, t0); err != nil {
			t.Errorf("Find(live) after Cleanup = %v", err)
		}
		var rows int64
		d.DB.Table(sessionTable(d)).Count(&rows)
		if rows != 1 {
			t.Errorf("table has %d rows after Cleanup; want 1", rows)
		}
	})
}

// The table holds SHA-256 of the ID, never the ID.
func TestSessionStoreHoldsOnlyTheHash(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		st := newSessionStore(t, d)
		auth, err := cookie.New([][]byte{[]byte("a test key of at least 32 bytes!")}, st, cookie.Options{
			Now: func() time.Time { return t0 }, Events: func(context.Context, core.Event) {}})
		if err != nil {
			t.Fatal(err)
		}
		w := &coretest.Response{}
		if err := auth.Login(&coretest.Request{HTTPMethod: "POST", HTTPHost: "example.com", IP: "192.0.2.1"}, w, "alice"); err != nil {
			t.Fatal(err)
		}
		id, _, _ := strings.Cut(w.Cookies[0].Value, ".")
		raw, _ := base64.RawURLEncoding.DecodeString(id)
		h := cookie.HashID(id)
		forbidden := []string{id, w.Cookies[0].Value, hex.EncodeToString(raw), string(raw)}

		var rows []map[string]any
		if err := d.DB.WithContext(ctx).Table(sessionTable(d)).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 {
			t.Fatalf("table has %d rows; want 1", len(rows))
		}
		for col, val := range rows[0] {
			text := fmt.Sprintf("%v|%s", val, val)
			for _, f := range forbidden {
				if strings.Contains(text, f) {
					t.Errorf("column %s = %q holds the session ID", col, text)
				}
			}
		}
		if got := fmt.Sprintf("%s", rows[0]["hash"]); got != hex.EncodeToString(h[:]) {
			t.Errorf("hash column = %q; want hex SHA-256 of the ID %q", got, hex.EncodeToString(h[:]))
		}
	})
}

func TestSessionStoreFailuresAreUnavailableNotNotFound(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		st := newSessionStore(t, d)
		s := session("alice", time.Hour, time.Hour)
		if err := st.Create(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		t.Run("a cancelled context", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := st.Find(ctx, s.Hash, t0)
			if !errors.Is(err, core.ErrUnavailable) || errors.Is(err, cookie.ErrNotFound) {
				t.Errorf("Find(cancelled ctx) = %v; want %v", err, core.ErrUnavailable)
			}
		})
		t.Run("a closed database", func(t *testing.T) {
			closeDB(d.DB)
			ctx := context.Background()
			calls := map[string]error{}
			_, calls["Find"] = st.Find(ctx, s.Hash, t0)
			calls["Create"] = st.Create(ctx, session("bob", time.Hour, time.Hour))
			calls["Touch"] = st.Touch(ctx, s.Hash, t0, t0)
			calls["Delete"] = st.Delete(ctx, s.Hash)
			_, calls["DeleteUser"] = st.DeleteUser(ctx, "alice")
			_, calls["List"] = st.List(ctx, "alice", t0)
			_, calls["Cleanup"] = st.Cleanup(ctx, t0)
			for op, err := range calls {
				if !errors.Is(err, core.ErrUnavailable) || errors.Is(err, cookie.ErrNotFound) {
					t.Errorf("%s on a closed database = %v; want %v", op, err, core.ErrUnavailable)
				}
				if got := core.Status(err); got != 503 {
					t.Errorf("Status(%s error) = %d; want 503", op, got)
				}
			}
		})
	})
}

func TestNewSessionStoreIsIdempotent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		first := newSessionStore(t, d)
		s := session("alice", time.Hour, time.Hour)
		if err := first.Create(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		second := newSessionStore(t, d) // migrating again keeps the rows
		if _, err := second.Find(context.Background(), s.Hash, t0); err != nil {
			t.Errorf("Find after a second NewSessionStore = %v", err)
		}
	})
	if _, err := gormstore.NewSessionStore(nil); err == nil {
		t.Error("NewSessionStore(nil) = nil error; want an error")
	}
}
