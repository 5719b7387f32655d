package gorm_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/internal/testdb"
	"github.com/gobware/gobware/strategy/cookie"
)

// oldSessionRow is the session table of the versions before login methods
// and attributes, as they created it.
type oldSessionRow struct {
	Hash       string    `gorm:"column:hash;primaryKey;size:64"`
	UserID     string    `gorm:"column:user_id;size:255;not null;index"`
	CreatedAt  time.Time `gorm:"column:created_at;not null;precision:6;autoCreateTime:false"`
	LastSeenAt time.Time `gorm:"column:last_seen_at;not null;precision:6"`
	IdleUntil  time.Time `gorm:"column:idle_until;not null;precision:6;index"`
	ExpiresAt  time.Time `gorm:"column:expires_at;not null;precision:6;index"`
	UserAgent  string    `gorm:"column:user_agent;size:256;not null"`
	IP         string    `gorm:"column:ip;size:64;not null"`
}

// A table created by an earlier version gains the new columns when the
// store opens it, and its sessions keep working: found, authenticated
// (no method, unknown auth time, no attributes), touched and updated.
func TestSessionStoreMigratesTheEarlierTable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		table := sessionTable(d)
		if err := d.DB.Migrator().DropTable(table); err != nil {
			t.Fatal(err)
		}
		if err := d.DB.Table(table).AutoMigrate(&oldSessionRow{}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		id := randomID()
		h := cookie.HashID(id)
		old := oldSessionRow{Hash: hex.EncodeToString(h[:]), UserID: "alice", CreatedAt: now, LastSeenAt: now,
			IdleUntil: now.Add(time.Hour), ExpiresAt: now.Add(24 * time.Hour), UserAgent: "old browser", IP: "192.0.2.1"}
		if err := d.DB.Table(table).Create(&old).Error; err != nil {
			t.Fatal(err)
		}

		st := newSessionStore(t, d) // migrates
		for _, col := range []string{"method", "auth_time", "attributes", "persistent"} {
			if !d.DB.Migrator().HasColumn(table, col) {
				t.Errorf("the migration did not add column %s", col)
			}
		}
		got, err := st.Find(t.Context(), h, now)
		if err != nil || got.UserID != "alice" || got.UserAgent != "old browser" || got.Method != "" ||
			!got.AuthTime.IsZero() || got.Attributes != nil || got.Persistent {
			t.Fatalf("Find(session of the earlier table) = %+v, %v; want alice with nothing carried", got, err)
		}

		// The strategy signs the cookie; sign this session's ID as it would.
		key := []byte("migration test key of 32 bytes!!")
		s, err := cookie.New([][]byte{key}, st, cookie.Options{Now: func() time.Time { return now.Add(2 * time.Minute) }, Events: (&coretest.Events{}).Record})
		if err != nil {
			t.Fatal(err)
		}
		value := sign(key, s.CookieName(), id)
		idn, err := s.Authenticate((&coretest.Request{}).AddCookie(s.CookieName(), value))
		if err != nil || idn.UserID != "alice" || idn.Method != "" || !idn.AuthTime.IsZero() {
			t.Fatalf("Authenticate(cookie of a migrated session) = %+v, %v", idn, err)
		}
		if core.RequireFreshLogin(idn, time.Hour, now) == nil {
			t.Error("a session of unknown auth time passed RequireFreshLogin")
		}
		w := &coretest.Response{}
		up, err := s.Update((&coretest.Request{}).AddCookie(s.CookieName(), value), w,
			core.SessionUpdate{Attributes: core.Attributes{core.RoleAttribute: {"admin"}}, Reauthenticated: true, Method: core.MethodPassword})
		if err != nil || !up.HasRole("admin") || up.AuthTime.IsZero() {
			t.Fatalf("Update(migrated session) = %+v, %v", up, err)
		}
	})
}

// sign makes the cookie value the cookie strategy would for id: the ID, a
// dot, and the base64url HMAC-SHA256 of the cookie name, a zero byte and
// the ID.
func sign(key []byte, name, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(name + "\x00" + id))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
