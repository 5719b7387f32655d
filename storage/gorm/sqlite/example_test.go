package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/storage/gorm/sqlite"
	"github.com/gobware/gobware/strategy/cookie"
)

// The embedded default: one SQLite file holds the sessions of a cookie
// strategy, and a background loop removes expired rows.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "gobware-example")
	defer os.RemoveAll(dir)

	db, err := sqlite.Open(filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()

	sessions, err := gormstore.NewSessionStore(db)
	if err != nil {
		panic(err)
	}
	stop := gormstore.StartCleanup(context.Background(), 10*time.Minute, nil, sessions)
	defer stop()

	keys, _ := core.ParseKeyRing("ZXhhbXBsZSBrZXk6IDMyIGJ5dGVzLCBub3QgcmVhbCE=") // os.Getenv("SESSION_SECRET")
	auth, err := cookie.New(keys, sessions, cookie.Options{Events: func(context.Context, core.Event) {}})
	if err != nil {
		panic(err)
	}

	// An adapter passes the real request and response; coretest stands in.
	w := &coretest.Response{}
	if err := auth.Login(&coretest.Request{HTTPMethod: "POST"}, w, "alice"); err != nil {
		panic(err)
	}
	list, _ := auth.Sessions(context.Background(), "alice")
	fmt.Println(w.Cookies[0].Name, "set;", len(list), "session stored for alice")
	// Output:
	// __Host-gobware_session set; 1 session stored for alice
}
