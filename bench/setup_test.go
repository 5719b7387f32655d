package bench

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/storage/gorm/sqlite"
	"gorm.io/gorm"
)

// userID is the user every benchmark authenticates.
const userID = "user-42"

// key is the 32-byte secret every session implementation signs with, and
// tokenKey the one every token implementation encrypts or signs with:
// gobware refuses one key for two purposes in one process (core.ClaimKeys).
var (
	key      = bytes.Repeat([]byte{0x42}, 32)
	tokenKey = bytes.Repeat([]byte{0x24}, 32)
)

// discardEvents keeps security events (logins) out of the benchmark output.
func discardEvents(context.Context, core.Event) {}

// openSQLite opens a fresh SQLite file the way gobware's examples do.
func openSQLite(b *testing.B) (*gorm.DB, string) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	db, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return db, path
}

// sqliteDSN is the mattn/go-sqlite3 DSN the peers on SQLite use: the same
// WAL journal and busy timeout as gobware's sqlite.Open, so that both stand
// on the same file settings.
func sqliteDSN(path string) string {
	return path + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000"
}

// recorder is a minimal http.ResponseWriter and core.Response whose header
// map is reused, so that recording a response costs nothing measurable.
type recorder struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{h: make(http.Header)} }

func (w *recorder) Header() http.Header { return w.h }
func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *recorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}
func (w *recorder) SetCookie(c *http.Cookie)     { w.h.Add("Set-Cookie", c.String()) }
func (w *recorder) SetHeader(name, value string) { w.h.Set(name, value) }

func (w *recorder) reset() {
	clear(w.h)
	w.status = 0
	w.body.Reset()
}

// cookieFrom returns the value of the first Set-Cookie named name in h.
func cookieFrom(b *testing.B, h http.Header, name string) string {
	b.Helper()
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	b.Fatalf("no Set-Cookie %q in %v", name, h)
	return ""
}

// cookieRequest returns a GET request carrying one cookie, as a browser sends it.
func cookieRequest(name, value string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, "http://shop.example/api/me", nil)
	r.RemoteAddr = "192.0.2.1:1234"
	r.Header.Set("Cookie", name+"="+value)
	return r
}

// bearerRequest returns a GET request carrying a bearer token.
func bearerRequest(token string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, "http://shop.example/api/me", nil)
	r.RemoteAddr = "192.0.2.1:1234"
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

// check fails the benchmark when an implementation returned the wrong user.
func check(b *testing.B, got string, err error) {
	if err != nil || got != userID {
		b.Fatalf("authenticated %q, %v; want %q", got, err, userID)
	}
}
