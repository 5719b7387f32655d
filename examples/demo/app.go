package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/limiter"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// App is an assembled demo shop: its routes and what must be closed.
type App struct {
	API   *httpapi.API
	DB    *gorm.DB
	close []func()
}

// Build connects to the database, migrates, seeds the catalog and users,
// and assembles the strategies and the API.
func Build(ctx context.Context, cfg Config) (*App, error) {
	db, err := OpenDatabase(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	app := &App{DB: db}
	if sqlDB, err := db.DB(); err == nil {
		app.close = append(app.close, func() { sqlDB.Close() })
	}
	if err := app.build(ctx, cfg); err != nil {
		app.Close()
		return nil, err
	}
	return app, nil
}

func (app *App) build(ctx context.Context, cfg Config) error {
	if err := ping(ctx, app.DB); err != nil {
		return fmt.Errorf("DATABASE_URL: cannot reach the database: %w", err)
	}
	sessionStore, err := gormstore.NewSessionStore(app.DB)
	if err != nil {
		return fmt.Errorf("migrating sessions: %w", err)
	}
	refreshStore, err := gormstore.NewRefreshStore(app.DB)
	if err != nil {
		return fmt.Errorf("migrating refresh tokens: %w", err)
	}
	sessions, err := cookie.New(cfg.SessionKeys, sessionStore, cookie.Options{InsecureCookies: cfg.InsecureCookies})
	if err != nil {
		return fmt.Errorf("SESSION_SECRET: %w", err)
	}
	tokens, err := jwt.New(cfg.AccessKeys, refreshStore, jwt.Options{})
	if err != nil {
		return fmt.Errorf("ACCESS_TOKEN_SECRET: %w", err)
	}
	shop, err := cart.New(app.DB)
	if err != nil {
		return fmt.Errorf("migrating the cart: %w", err)
	}
	if err := shop.SeedProducts(ctx, Catalog); err != nil {
		return fmt.Errorf("seeding the catalog: %w", err)
	}
	users, err := NewUsers(DemoUsers, bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	stop := gormstore.StartCleanup(context.Background(), 5*time.Minute, nil, sessionStore, refreshStore)
	app.close = append([]func(){stop}, app.close...)
	limits, err := gormstore.NewLimiterStore(app.DB)
	if err != nil {
		return fmt.Errorf("migrating login limits: %w", err)
	}
	app.close = append([]func(){gormstore.StartCleanup(context.Background(), time.Hour, nil, limits)}, app.close...)
	logins, err := limiter.New(limiter.Options{Store: limits})
	if err != nil {
		return err
	}
	app.API = &httpapi.API{
		Limiter:  logins,
		Users:    users,
		Sessions: sessions,
		Tokens:   tokens,
		Cart:     shop,
		Health:   func(ctx context.Context) error { return ping(ctx, app.DB) },
	}
	return nil
}

func ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return sqlDB.PingContext(ctx)
}

// Routes is the whole demo shop: the web page and the reference API.
func (app *App) Routes() []httpapi.Route {
	return append([]httpapi.Route{pageRoute()}, app.API.Routes()...)
}

// Close stops the cleanup loop and closes the database.
func (app *App) Close() {
	for _, f := range app.close {
		f()
	}
}
