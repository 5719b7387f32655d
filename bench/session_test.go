package bench

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
	"github.com/alexedwards/scs/v2/memstore"
	"github.com/gobware/gobware/httpapi"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/gorilla/sessions"
	_ "github.com/mattn/go-sqlite3"
	"github.com/valyala/fasthttp"
)

// BenchmarkSessionAuth measures a stateful session check: from the Cookie
// header of a request to the user ID, for a live session.
func BenchmarkSessionAuth(b *testing.B) {
	b.Run("gobware-memory", func(b *testing.B) {
		benchGobwareSession(b, cookie.NewMemoryStore(), cookie.Options{})
	})
	b.Run("gobware-sqlite", func(b *testing.B) {
		db, _ := openSQLite(b)
		store, err := gormstore.NewSessionStore(db)
		if err != nil {
			b.Fatal(err)
		}
		benchGobwareSession(b, store, cookie.Options{})
	})
	b.Run("gobware-sqlite-cached", func(b *testing.B) {
		db, _ := openSQLite(b)
		store, err := gormstore.NewSessionStore(db)
		if err != nil {
			b.Fatal(err)
		}
		benchGobwareSession(b, store, cookie.Options{CacheTTL: 5 * time.Second})
	})
	b.Run("scs-memstore", func(b *testing.B) {
		sm := scs.New()
		sm.Store = memstore.NewWithCleanupInterval(0)
		benchSCS(b, sm)
	})
	b.Run("scs-sqlite3store", func(b *testing.B) {
		db := openSCSDB(b)
		sm := scs.New()
		sm.Store = sqlite3store.NewWithCleanupInterval(db, 0)
		benchSCS(b, sm)
	})
	b.Run("gorilla-cookiestore", func(b *testing.B) {
		benchGorilla(b, sessions.NewCookieStore(key))
	})
	b.Run("gorilla-filesystemstore", func(b *testing.B) {
		benchGorilla(b, sessions.NewFilesystemStore(b.TempDir(), key))
	})
	b.Run("fiber-session-memory", benchFiberSession)
	postgresRows(b)
	redisRows(b)
	b.Run("floor-sqlite-raw", func(b *testing.B) {
		db, path := openSQLite(b)
		store, err := gormstore.NewSessionStore(db)
		if err != nil {
			b.Fatal(err)
		}
		s := newGobwareSessions(b, store, cookie.Options{})
		pk := sessionPK(gobwareLogin(b, s))
		raw, err := sql.Open("sqlite3", sqliteDSN(path))
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		stmt, err := raw.Prepare("SELECT " + lookupColumns + " FROM " + gormstore.SessionTable + " WHERE hash = ?")
		if err != nil {
			b.Fatal(err)
		}
		defer stmt.Close()
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			var row lookupRow
			err := stmt.QueryRowContext(ctx, pk).Scan(row.dest()...)
			check(b, row.userID, err)
		}
	})
	b.Run("floor-hmac", func(b *testing.B) {
		// The floor of any signed-cookie check: one HMAC-SHA256 over a
		// 32-byte ID with a state keyed once (Reset restores the keyed
		// state without hashing the key again), compared in constant time.
		id := make([]byte, 32)
		m := hmac.New(sha256.New, key)
		m.Write(id)
		sig := m.Sum(nil)
		var sum [sha256.Size]byte
		b.ReportAllocs()
		for b.Loop() {
			m.Reset()
			m.Write(id)
			if !hmac.Equal(m.Sum(sum[:0]), sig) {
				b.Fatal("signature mismatch")
			}
		}
	})
}

// lookupColumns are the columns of the session row that gobware's SQL
// session store reads to authenticate a request (its cookie.Looker), in
// order; the raw floors read exactly these, by the same primary key.
//
// It must follow the store's Lookup (storage/gorm's SessionStore.prepare),
// or the floor measures a different read.
const lookupColumns = "user_id, last_seen_at, idle_until, expires_at, method, auth_time, attributes"

// lookupRow receives lookupColumns, as the driver hands them over.
type lookupRow struct {
	userID                                            string
	seen, idleUntil, expires, method, authTime, attrs any
}

func (r *lookupRow) dest() []any {
	return []any{&r.userID, &r.seen, &r.idleUntil, &r.expires, &r.method, &r.authTime, &r.attrs}
}

// sessionPK is the primary key of the session whose cookie value is given:
// the hex SHA-256 of its ID.
func sessionPK(value string) string {
	h := cookie.HashID(value[:43])
	return hex.EncodeToString(h[:])
}

func newGobwareSessions(b *testing.B, store cookie.Store, opts cookie.Options) *cookie.Strategy {
	b.Helper()
	opts.Events = discardEvents
	s, err := cookie.New([][]byte{key}, store, opts)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// gobwareLogin starts a session for userID and returns its cookie value.
func gobwareLogin(b *testing.B, s *cookie.Strategy) string {
	b.Helper()
	r, _ := http.NewRequest(http.MethodPost, "http://shop.example/api/session", nil)
	w := newRecorder()
	if err := s.Login(httpapi.HTTPRequest(r, nil), w, userID); err != nil {
		b.Fatal(err)
	}
	return cookieFrom(b, w.h, s.CookieName())
}

func benchGobwareSession(b *testing.B, store cookie.Store, opts cookie.Options) {
	s := newGobwareSessions(b, store, opts)
	r := cookieRequest(s.CookieName(), gobwareLogin(b, s))
	b.ReportAllocs()
	for b.Loop() {
		id, err := s.Authenticate(httpapi.HTTPRequest(r, nil))
		check(b, id.UserID, err)
	}
}

// openSCSDB opens a SQLite file with the table sqlite3store's README asks for.
func openSCSDB(b *testing.B) *sql.DB {
	b.Helper()
	db, err := sql.Open("sqlite3", sqliteDSN(b.TempDir()+"/scs.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	_, err = db.Exec(`CREATE TABLE sessions (
	token TEXT PRIMARY KEY,
	data BLOB NOT NULL,
	expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions(expiry);`)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// scsLogin starts an scs session holding userID and returns its token, as
// LoadAndSave would commit it at the end of a login handler.
func scsLogin(b *testing.B, sm *scs.SessionManager) string {
	b.Helper()
	ctx, err := sm.Load(context.Background(), "")
	if err != nil {
		b.Fatal(err)
	}
	if err := sm.RenewToken(ctx); err != nil {
		b.Fatal(err)
	}
	sm.Put(ctx, "userID", userID)
	token, _, err := sm.Commit(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// benchSCS does what scs's LoadAndSave and a handler's GetString do on a
// read-only request: read the cookie, load the session, read the user ID.
func benchSCS(b *testing.B, sm *scs.SessionManager) {
	benchSCSToken(b, sm, scsLogin(b, sm))
}

// benchSCSToken is benchSCS for a session already committed under token.
func benchSCSToken(b *testing.B, sm *scs.SessionManager, token string) {
	r := cookieRequest(sm.Cookie.Name, token)
	b.ReportAllocs()
	for b.Loop() {
		c, err := r.Cookie(sm.Cookie.Name)
		if err != nil {
			b.Fatal(err)
		}
		ctx, err := sm.Load(r.Context(), c.Value)
		if err != nil {
			b.Fatal(err)
		}
		check(b, sm.GetString(ctx, "userID"), nil)
	}
}

// benchGorilla does what a gorilla/sessions handler does: store.Get, then
// read the value. Get caches sessions in a registry on the request, so
// each iteration starts from a copy of the pristine request, as each real
// request would.
func benchGorilla(b *testing.B, store sessions.Store) {
	const name = "session"
	r0, _ := http.NewRequest(http.MethodPost, "http://shop.example/api/session", nil)
	sess, err := store.New(r0, name)
	if err != nil {
		b.Fatal(err)
	}
	sess.Values["user_id"] = userID
	w := newRecorder()
	if err := sess.Save(r0, w); err != nil {
		b.Fatal(err)
	}
	pristine := cookieRequest(name, cookieFrom(b, w.h, name))
	r := new(http.Request)
	b.ReportAllocs()
	for b.Loop() {
		*r = *pristine
		sess, err := store.Get(r, name)
		if err != nil {
			b.Fatal(err)
		}
		got, _ := sess.Values["user_id"].(string)
		check(b, got, nil)
	}
}

// benchFiberSession does what a fiber handler using the session
// middleware's store does: store.Get(c), then read the value.
func benchFiberSession(b *testing.B) {
	store := session.New()
	app := fiber.New()
	var id string
	{
		fctx := new(fasthttp.RequestCtx)
		c := app.AcquireCtx(fctx)
		sess, err := store.Get(c)
		if err != nil {
			b.Fatal(err)
		}
		sess.Set("user_id", userID)
		id = sess.ID()
		if err := sess.Save(); err != nil {
			b.Fatal(err)
		}
		app.ReleaseCtx(c)
	}
	fctx := new(fasthttp.RequestCtx)
	fctx.Request.Header.SetMethod(http.MethodGet)
	fctx.Request.SetRequestURI("/api/me")
	fctx.Request.Header.Set("Cookie", "session_id="+id)
	b.ReportAllocs()
	for b.Loop() {
		c := app.AcquireCtx(fctx)
		sess, err := store.Get(c)
		if err != nil {
			b.Fatal(err)
		}
		got, _ := sess.Get("user_id").(string)
		check(b, got, nil)
		app.ReleaseCtx(c)
	}
}
