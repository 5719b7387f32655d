package bench

import (
	"context"
	"net/http"
	"testing"

	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/gobware/gobware/httpapi"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// BenchmarkLogin measures starting a session and writing its cookie, or
// issuing a token pair, once the user is known (password checks excluded).
func BenchmarkLogin(b *testing.B) {
	b.Run("gobware-sqlite", func(b *testing.B) {
		db, _ := openSQLite(b)
		store, err := gormstore.NewSessionStore(db)
		if err != nil {
			b.Fatal(err)
		}
		s := newGobwareSessions(b, store, cookie.Options{})
		r, _ := http.NewRequest(http.MethodPost, "http://shop.example/api/session", nil)
		r.RemoteAddr = "192.0.2.1:1234"
		r.Header.Set("User-Agent", "bench/1.0")
		q := httpapi.HTTPRequest(r, nil)
		w := newRecorder()
		b.ReportAllocs()
		for b.Loop() {
			w.reset()
			if err := s.Login(q, w, userID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gobware-jwe", func(b *testing.B) {
		db, _ := openSQLite(b)
		store, err := gormstore.NewRefreshStore(db)
		if err != nil {
			b.Fatal(err)
		}
		s, err := jwt.New([][]byte{tokenKey}, store, jwt.Options{Events: discardEvents})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			p, err := s.Issue(ctx, userID)
			if err != nil || p.AccessToken == "" {
				b.Fatal(err)
			}
		}
	})
	b.Run("scs-sqlite3store", func(b *testing.B) {
		sm := scs.New()
		sm.Store = sqlite3store.NewWithCleanupInterval(openSCSDB(b), 0)
		r, _ := http.NewRequest(http.MethodPost, "http://shop.example/api/session", nil)
		w := newRecorder()
		b.ReportAllocs()
		for b.Loop() {
			// What LoadAndSave and a login handler do for a request
			// without a session: load, renew the token, put the user,
			// commit and write the cookie.
			w.reset()
			ctx, err := sm.Load(r.Context(), "")
			if err != nil {
				b.Fatal(err)
			}
			if err := sm.RenewToken(ctx); err != nil {
				b.Fatal(err)
			}
			sm.Put(ctx, "userID", userID)
			token, expiry, err := sm.Commit(ctx)
			if err != nil {
				b.Fatal(err)
			}
			sm.WriteSessionCookie(ctx, w, token, expiry)
		}
	})
}
