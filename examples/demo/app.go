package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/limiter"
	gobotel "github.com/gobware/gobware/otel"
	"github.com/gobware/gobware/passkey"
	gormstore "github.com/gobware/gobware/storage/gorm"
	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
	goredis "github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// App is the demo shop's parts, wired from the configuration: the
// strategies, the login limiter, the users and the cart, over the stores
// the configuration chose (SQL or Redis), measured when metrics are on.
// Each example builds its HTTP API from them in its framework's style.
type App struct {
	Users    *Users           // alice and bob (authapi.Users)
	Sessions *cookie.Strategy // the session cookie
	Tokens   *jwt.Strategy    // bearer access tokens and refresh tokens
	Logins   *limiter.Limiter // the login limiter (authapi.API.Limiter)
	Devices  *limiter.Devices // device tokens (authapi.API.Devices)
	Passkeys *passkey.Service // PASSKEY_RP_ID and PASSKEY_ORIGINS (authapi.API.Passkeys)
	// Measure wraps a strategy with metrics (authapi.API.Measure), or is
	// nil when metrics are off.
	Measure func(name string, s core.Strategy) core.Strategy
	// Cart is the shop: products and carts, in the SQL database.
	Cart *cart.Service
	// Config is the configuration the app was built from; the examples
	// read their server timeouts from it.
	Config Config
	// TrustedProxies is Config.TrustedProxies, for the examples'
	// RequestInfo middleware.
	TrustedProxies httpapi.TrustedProxies
	DB             *gorm.DB
	// Redis is nil unless REDIS_URL (a *goredis.Client) or
	// REDIS_CLUSTER_ADDRS (a *goredis.ClusterClient) is set.
	Redis goredis.UniversalClient
	// MetricsAddr is where GET /metrics is served (METRICS_ADDR, its
	// port resolved), or "" when metrics are off.
	MetricsAddr string
	close       []func()
}

// Build connects to the database, migrates, seeds the catalog and users,
// and assembles the strategies, the limiter and the cart.
func Build(ctx context.Context, cfg Config) (*App, error) {
	db, err := OpenDatabase(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	app := &App{DB: db, TrustedProxies: cfg.TrustedProxies, Config: cfg}
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
	st, err := app.openStores(ctx, cfg)
	if err != nil {
		return err
	}
	tel, err := app.startMetrics(cfg)
	if err != nil {
		return err
	}
	events := st.observe(tel)
	users, err := NewUsers(DemoUsers, bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	sessions, err := cookie.New(cfg.SessionKeys, st.sessions, cookie.Options{
		InsecureCookies:    cfg.InsecureCookies,
		MaxSessionsPerUser: cfg.MaxSessionsPerUser,
		Events:             events,
	})
	if err != nil {
		return fmt.Errorf("SESSION_SECRET: %w", err)
	}
	tokens, err := jwt.New(cfg.AccessKeys, st.refresh, jwt.Options{
		Watermarks:   st.watermarks,
		WatermarkTTL: cfg.RevocationCacheTTL,
		ReuseGrace:   cfg.RefreshReuseGrace,
		Events:       events,
		// Each refresh reads the user's roles again: a role taken away
		// leaves the user's tokens at their next refresh.
		RefreshAttributes: func(ctx context.Context, userID string, _ core.Attributes) (core.Attributes, error) {
			return users.Attributes(ctx, userID)
		},
	})
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
	logins, err := limiter.New(limiter.Options{Store: st.limits, Events: events})
	if err != nil {
		return err
	}
	devices, err := limiter.NewDevices(cfg.DeviceKeys, limiter.DeviceOptions{InsecureCookies: cfg.InsecureCookies})
	if err != nil {
		return fmt.Errorf("DEVICE_SECRET: %w", err)
	}
	passkeys, challenges, err := app.passkeys(cfg, events)
	if err != nil {
		return err
	}
	if challenges != nil {
		st.cleaners = append(st.cleaners, challenges)
	}
	stop := gormstore.StartCleanup(context.Background(), 5*time.Minute, nil, st.cleaners...)
	app.close = append([]func(){stop}, app.close...)
	app.Users, app.Sessions, app.Tokens, app.Logins, app.Devices, app.Cart = users, sessions, tokens, logins, devices, shop
	app.Passkeys = passkeys
	if tel != nil {
		app.Measure = tel.Strategy
	}
	return nil
}

// passkeys is the passkey Service of PASSKEY_RP_ID and PASSKEY_ORIGINS:
// its passkeys in the SQL database, its challenges in Redis when REDIS_URL
// or REDIS_CLUSTER_ADDRS is set and in the SQL database otherwise, either
// way shared by every server on them. Redis expires challenges itself; the
// challenges' table needs the cleanup loop, and is returned as the
// Cleaner (nil on Redis). Sign-in options are anonymous, so each client
// address gets at most passkey.DefaultMaxChallengesPerMinute challenges a
// minute (the default of Options.MaxChallengesPerMinute): no client can
// fill the challenge store.
func (app *App) passkeys(cfg Config, events core.EventFunc) (*passkey.Service, gormstore.Cleaner, error) {
	creds, err := gormstore.NewPasskeyStore(app.DB)
	if err != nil {
		return nil, nil, err
	}
	var challenges passkey.ChallengeStore
	var cleaner gormstore.Cleaner
	if app.Redis != nil {
		if challenges, err = redisstore.NewChallengeStore(app.Redis, redisstore.Options{Prefix: cfg.RedisKeyPrefix}); err != nil {
			return nil, nil, err
		}
	} else {
		sql, err := gormstore.NewChallengeStore(app.DB)
		if err != nil {
			return nil, nil, err
		}
		challenges, cleaner = sql, sql
	}
	svc, err := passkey.New(cfg.PasskeyRPID, cfg.PasskeyOrigins, creds, passkey.Options{
		RPName:     "gobware demo shop",
		Challenges: challenges,
		Events:     events,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("PASSKEY_RP_ID, PASSKEY_ORIGINS: %w", err)
	}
	return svc, cleaner, nil
}

// stores are where sessions, refresh tokens and login limits live: the SQL
// database, or Redis when REDIS_URL or REDIS_CLUSTER_ADDRS is set, so that every server sharing
// either shares them. The cart always stays in SQL.
type stores struct {
	sessions   cookie.Store
	refresh    jwt.RefreshStore
	watermarks jwt.WatermarkStore
	limits     limiter.Store
	cleaners   []gormstore.Cleaner // SQL tables need the cleanup loop; Redis expires keys itself
}

// observe wraps the stores with tel's spans and store metrics and returns
// the EventFunc that counts security events (and still logs them), or
// leaves everything as it is and returns nil (the default sink) when tel is
// nil: metrics off.
func (st *stores) observe(tel *gobotel.Telemetry) core.EventFunc {
	if tel == nil {
		return nil
	}
	st.sessions = tel.SessionStore(st.sessions)
	st.refresh = tel.RefreshStore(st.refresh)
	if st.watermarks != nil {
		st.watermarks = tel.WatermarkStore(st.watermarks)
	}
	st.limits = tel.LimiterStore(st.limits)
	return tel.Events(nil)
}

func (app *App) openStores(ctx context.Context, cfg Config) (stores, error) {
	if cfg.RedisURL == "" && cfg.RedisClusterAddrs == nil {
		sessions, err := gormstore.NewSessionStore(app.DB)
		if err != nil {
			return stores{}, fmt.Errorf("migrating sessions: %w", err)
		}
		refresh, err := gormstore.NewRefreshStore(app.DB)
		if err != nil {
			return stores{}, fmt.Errorf("migrating refresh tokens: %w", err)
		}
		watermarks, err := gormstore.NewWatermarkStore(app.DB)
		if err != nil {
			return stores{}, fmt.Errorf("migrating revocation watermarks: %w", err)
		}
		limits, err := gormstore.NewLimiterStore(app.DB)
		if err != nil {
			return stores{}, fmt.Errorf("migrating login limits: %w", err)
		}
		return stores{sessions, refresh, watermarks, limits, []gormstore.Cleaner{sessions, refresh, watermarks, limits}}, nil
	}
	var client goredis.UniversalClient
	var err error
	if cfg.RedisClusterAddrs != nil {
		client, err = OpenRedisCluster(ctx, cfg.RedisClusterAddrs)
	} else {
		client, err = OpenRedis(ctx, cfg.RedisURL)
	}
	if err != nil {
		return stores{}, err
	}
	app.Redis = client
	app.close = append(app.close, func() { client.Close() })
	opts := redisstore.Options{Prefix: cfg.RedisKeyPrefix}
	sessions, err := redisstore.NewSessionStore(client, opts)
	if err != nil {
		return stores{}, err
	}
	refresh, err := redisstore.NewRefreshStore(client, opts)
	if err != nil {
		return stores{}, err
	}
	watermarks, err := redisstore.NewWatermarkStore(client, opts)
	if err != nil {
		return stores{}, err
	}
	limits, err := redisstore.NewLimiterStore(client, opts)
	if err != nil {
		return stores{}, err
	}
	return stores{sessions: sessions, refresh: refresh, watermarks: watermarks, limits: limits}, nil
}

// OpenRedis connects to REDIS_URL (redis://[user:pass@]host:port/db or
// rediss://…) and checks that Redis answers.
func OpenRedis(ctx context.Context, rawURL string) (*goredis.Client, error) {
	opt, err := goredis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: want redis://host:port/db: %w", err)
	}
	client := goredis.NewClient(opt)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("REDIS_URL: cannot reach Redis at %s: %w", opt.Addr, err)
	}
	return client, nil
}

// OpenRedisCluster connects to the Redis Cluster of REDIS_CLUSTER_ADDRS
// (seed nodes; the client learns the others from them) and checks that its
// slots are known and some shard answers. A shard that is down later fails
// only the requests whose keys live on it (503).
func OpenRedisCluster(ctx context.Context, addrs []string) (*goredis.ClusterClient, error) {
	client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: addrs})
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := clusterPing(ctx, client); err != nil {
		client.Close()
		return nil, fmt.Errorf("REDIS_CLUSTER_ADDRS: cannot reach the Redis Cluster at %s: %w", strings.Join(addrs, ","), err)
	}
	return client, nil
}

// clusterPing answers nil when at least one master of the cluster answers
// PING: the cluster serves, though perhaps not every shard.
func clusterPing(ctx context.Context, c *goredis.ClusterClient) error {
	var up atomic.Int32
	err := c.ForEachMaster(ctx, func(ctx context.Context, node *goredis.Client) error {
		if err := node.Ping(ctx).Err(); err != nil {
			return err
		}
		up.Add(1)
		return nil
	})
	if up.Load() > 0 {
		return nil
	}
	if err == nil {
		err = errors.New("no master node")
	}
	return err
}

// Health is /healthz: every backend must answer (on Redis Cluster, some
// shard: the others keep serving while one is down).
func (app *App) Health(ctx context.Context) error {
	if err := ping(ctx, app.DB); err != nil {
		return err
	}
	if app.Redis != nil {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if cc, ok := app.Redis.(*goredis.ClusterClient); ok {
			return clusterPing(ctx, cc)
		}
		return app.Redis.Ping(ctx).Err()
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

// Close stops the cleanup loop and closes the database.
func (app *App) Close() {
	for _, f := range app.close {
		f()
	}
}
