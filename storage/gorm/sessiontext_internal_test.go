package gorm

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/testdb"
	"github.com/gobware/gobware/strategy/cookie"
)

func TestAppendSQLiteTimeWritesWhatTheDriverWrites(t *testing.T) {
	if sqliteTimeLayout != sqlite3.SQLiteTimestampFormats[0] {
		t.Fatalf("sqliteTimeLayout = %q; the driver writes %q", sqliteTimeLayout, sqlite3.SQLiteTimestampFormats[0])
	}
	times := []time.Time{
		time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC),
		time.Date(2030, 12, 31, 23, 59, 59, 0, time.UTC),                // no fraction: no dot
		time.Date(2030, 6, 15, 12, 0, 0, 100000000, time.UTC),           // trailing zeros dropped
		time.Date(2030, 6, 15, 12, 0, 0, 1000, time.UTC),                // one microsecond
		time.Date(2030, 6, 15, 12, 0, 0, 999999999, time.UTC),           // nanoseconds too
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),                        // the zero time
		time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC),        // the last four-digit year
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),                    // five digits: the slow path
		time.Date(2030, 1, 2, 3, 4, 5, 6000, time.FixedZone("X", 3600)), // not UTC: the slow path
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		times = append(times, time.UnixMicro(r.Int64N(253402300800000000)).UTC()) // years 1970-9999
	}
	for _, tm := range times {
		if got, want := string(appendSQLiteTime([]byte("x"), tm)), "x"+tm.Format(sqlite3.SQLiteTimestampFormats[0]); got != want {
			t.Errorf("appendSQLiteTime(%v) = %q; the driver writes %q", tm, got, want)
		}
	}
}

// Create sends times as text on SQLite; the text stored must be the one
// the driver stores for a time.Time (as GORM's writes do, in Rotate and
// CreateCapped), or SQLite's comparisons of stored times would go wrong.
func TestCreateStoresTimesAsTheDriverDoes(t *testing.T) {
	d := testdb.Open(t, "sqlite")
	store, err := NewSessionStore(d.DB)
	if err != nil {
		t.Fatal(err)
	}
	if !store.textTimes {
		t.Fatal("Create sends time.Time values on SQLite; this test checks the text it sends instead")
	}
	ctx := context.Background()
	now := time.Date(2030, 1, 2, 3, 4, 5, 120000000, time.UTC)
	for i, sess := range []cookie.Session{
		{UserID: "a", CreatedAt: now, LastSeenAt: now, IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(24 * time.Hour), AuthTime: now},
		{UserID: "b", CreatedAt: now, LastSeenAt: now.Add(time.Second), IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(time.Hour), AuthTime: now.Add(-time.Minute)},
		{UserID: "c", CreatedAt: now.Add(time.Microsecond), LastSeenAt: now, IdleUntil: now, ExpiresAt: now.Add(time.Hour), Attributes: core.Attributes{"k": {"v"}}},
	} {
		sess.Hash = cookie.HashID(string(rune('A' + i)))
		if err := store.Create(ctx, sess); err != nil {
			t.Fatal(err)
		}
		row, err := toRow(sess)
		if err != nil {
			t.Fatal(err)
		}
		row.Hash = "gorm-" + row.Hash[5:]
		if err := d.DB.Create(&row).Error; err != nil { // time.Time values, formatted by the driver
			t.Fatal(err)
		}
		type text struct{ CreatedAt, LastSeenAt, IdleUntil, ExpiresAt, AuthTime *string }
		var got, want text
		cols := "CAST(created_at AS TEXT) AS created_at, CAST(last_seen_at AS TEXT) AS last_seen_at, CAST(idle_until AS TEXT) AS idle_until, CAST(expires_at AS TEXT) AS expires_at, CAST(auth_time AS TEXT) AS auth_time"
		d.DB.Table(SessionTable).Select(cols).Where("hash = ?", sessionKey(sess.Hash)).Take(&got)
		d.DB.Table(SessionTable).Select(cols).Where("hash = ?", row.Hash).Take(&want)
		for name, p := range map[string][2]*string{"created_at": {got.CreatedAt, want.CreatedAt}, "last_seen_at": {got.LastSeenAt, want.LastSeenAt},
			"idle_until": {got.IdleUntil, want.IdleUntil}, "expires_at": {got.ExpiresAt, want.ExpiresAt}, "auth_time": {got.AuthTime, want.AuthTime}} {
			if (p[0] == nil) != (p[1] == nil) || p[0] != nil && *p[0] != *p[1] {
				t.Errorf("session %d: Create stored %s as %v; the driver stores %v", i, name, deref(p[0]), deref(p[1]))
			}
		}
		found, err := store.Find(ctx, sess.Hash, now.Add(-time.Second))
		if err != nil || !found.CreatedAt.Equal(sess.CreatedAt) || !found.AuthTime.Equal(sess.AuthTime) || !found.IdleUntil.Equal(sess.IdleUntil) {
			t.Errorf("session %d: Find = %+v, %v; want the times given", i, found, err)
		}
	}
}

func deref(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}
