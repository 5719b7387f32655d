// Command cgofree is the application of an adopter on PostgreSQL: sessions,
// refresh tokens and login limits in storage/gorm (or storage/redis), both
// strategies, the limiter, and the middleware of all three adapters. CI
// builds it with CGO_ENABLED=0, so that nothing an application on a
// database server imports can come to need cgo again; only
// storage/gorm/sqlite, which opens SQLite, may.
//
// Given a PostgreSQL DSN it also checks the stack end to end without cgo:
//
//	CGO_ENABLED=0 go run ./internal/cgofree "host=127.0.0.1 user=postgres dbname=test sslmode=disable"
//
// logs alice in through the net/http adapter, authenticates the cookie it
// set, rotates a refresh token and checks the login limits, all on
// PostgreSQL, then drops its tables and prints "ok".
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	goredis "github.com/redis/go-redis/v9"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	gobfiber "github.com/gobware/gobware/adapters/fiber"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/adapters/nethttp"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
	gormstore "github.com/gobware/gobware/storage/gorm"
	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cgofree:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
}

func run(args []string) error {
	// Redis and the other two frameworks are wired, not exercised: what
	// matters for them is that they link without cgo.
	client := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:0"})
	defer client.Close()
	if _, err := redisstore.NewSessionStore(client, redisstore.Options{}); err != nil {
		return err
	}
	quiet := func(context.Context, core.Event) {}
	memory, err := cookie.New([][]byte{key(1)}, cookie.NewMemoryStore(), cookie.Options{Events: quiet})
	if err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	gin.New().GET("/", gobgin.Require(memory))
	fiber.New(fiber.Config{DisableStartupMessage: true}).Get("/", gobfiber.New(gobfiber.Config{Strategy: memory}))
	if len(args) == 0 {
		return nil
	}
	if len(args) != 1 {
		return errors.New("usage: cgofree [postgres-dsn]")
	}
	return checkPostgres(args[0], quiet)
}

// checkPostgres runs the stack on the PostgreSQL database at dsn, in
// tables of its own that it drops when done.
func checkPostgres(dsn string, quiet func(context.Context, core.Event)) error {
	prefix := fmt.Sprintf("cgofree_%d_", time.Now().UnixNano())
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{
		NamingStrategy: schema.NamingStrategy{TablePrefix: prefix},
		Logger:         logger.Discard,
	})
	if err != nil {
		return err
	}
	defer func() {
		for _, table := range []string{gormstore.SessionTable, gormstore.RefreshTable, gormstore.LimiterTable} {
			db.Migrator().DropTable(prefix + table)
		}
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}()
	ctx := context.Background()

	sessionStore, err := gormstore.NewSessionStore(db)
	if err != nil {
		return err
	}
	sessions, err := cookie.New([][]byte{key(2)}, sessionStore, cookie.Options{Events: quiet})
	if err != nil {
		return err
	}
	login := httptest.NewRecorder()
	if err := nethttp.Login(login, httptest.NewRequest("POST", "https://shop.example/login", nil), sessions, "alice"); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	account := httptest.NewRequest("GET", "https://shop.example/account", nil)
	for _, c := range login.Result().Cookies() {
		account.AddCookie(c)
	}
	var user string
	reply := httptest.NewRecorder()
	nethttp.Require(sessions)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		user = nethttp.UserID(r)
	})).ServeHTTP(reply, account)
	if reply.Code != http.StatusOK || user != "alice" {
		return fmt.Errorf("authenticate with the login cookie: status %d, user %q; want 200, alice", reply.Code, user)
	}

	refreshStore, err := gormstore.NewRefreshStore(db)
	if err != nil {
		return err
	}
	tokens, err := jwt.New([][]byte{key(3)}, refreshStore, jwt.Options{Events: quiet})
	if err != nil {
		return err
	}
	pair, err := tokens.Issue(ctx, "alice")
	if err != nil {
		return fmt.Errorf("issue tokens: %w", err)
	}
	if _, err := tokens.Refresh(ctx, pair.RefreshToken); err != nil {
		return fmt.Errorf("rotate the refresh token: %w", err)
	}

	limitStore, err := gormstore.NewLimiterStore(db)
	if err != nil {
		return err
	}
	limits, err := limiter.New(limiter.Options{Store: limitStore, Events: quiet})
	if err != nil {
		return err
	}
	res, err := limits.Reserve(ctx, limiter.Account("alice"))
	if err != nil {
		return fmt.Errorf("reserve a login attempt: %w", err)
	}
	if err := res.Succeeded(ctx); err != nil {
		return fmt.Errorf("settle the login attempt: %w", err)
	}
	return nil
}

// key is a 32-byte secret of its own for each use.
func key(n byte) []byte { return bytes.Repeat([]byte{n}, 32) }
