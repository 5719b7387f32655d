package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"
)

// postgresRows are SessionAuth's PostgreSQL rows, on the server of
// GOBWARE_TEST_POSTGRES_URL (each skips when it is unset): gobware's
// session store as an application opens it (GORM's pgx driver), scs's pgx
// store, and the raw floor, one prepared pgx lookup of the columns
// gobware reads, by the same primary key. Every row works in tables or a
// schema of its own, dropped at the end.
func postgresRows(b *testing.B) {
	b.Run("gobware-postgres", func(b *testing.B) {
		store, _ := postgresSessionStore(b)
		benchGobwareSession(b, store, cookie.Options{})
	})
	b.Run("scs-pgxstore", func(b *testing.B) {
		sm := scs.New()
		sm.Store = pgxstore.NewWithCleanupInterval(scsPostgresPool(b), 0)
		benchSCS(b, sm)
	})
	b.Run("floor-postgres-raw", func(b *testing.B) {
		store, table := postgresSessionStore(b)
		pk := sessionPK(gobwareLogin(b, newGobwareSessions(b, store, cookie.Options{})))
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, postgresURL(b))
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Prepare(ctx, "lookup", "SELECT "+lookupColumns+" FROM "+table+" WHERE hash = $1"); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			var row lookupRow
			err := conn.QueryRow(ctx, "lookup", pk).Scan(row.dest()...)
			check(b, row.userID, err)
		}
	})
}

func postgresURL(b *testing.B) string {
	b.Helper()
	url := os.Getenv("GOBWARE_TEST_POSTGRES_URL")
	if url == "" {
		b.Skip("GOBWARE_TEST_POSTGRES_URL not set")
	}
	return url
}

// benchName is a name of the benchmark's own for tables, schemas and key
// prefixes on a shared server.
func benchName() string {
	var r [6]byte
	rand.Read(r[:])
	return "gobwarebench_" + hex.EncodeToString(r[:])
}

// postgresSessionStore opens the server as an application would and
// returns gobware's session store on it, in a table of its own (a table
// prefix), and that table's name. The table is dropped at the end.
func postgresSessionStore(b *testing.B) (*gormstore.SessionStore, string) {
	b.Helper()
	prefix := benchName() + "_"
	db, err := gorm.Open(postgres.Open(postgresURL(b)), &gorm.Config{
		NamingStrategy: schema.NamingStrategy{TablePrefix: prefix},
		Logger:         logger.Default.LogMode(logger.Silent),
	})
	if err != nil {
		b.Fatal(err)
	}
	table := prefix + gormstore.SessionTable
	b.Cleanup(func() {
		db.Exec("DROP TABLE IF EXISTS " + table)
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	store, err := gormstore.NewSessionStore(db)
	if err != nil {
		b.Fatal(err)
	}
	return store, table
}

// scsPostgresPool returns a pgx pool whose search_path is a schema of the
// benchmark's own holding the table pgxstore's README asks for.
func scsPostgresPool(b *testing.B) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(postgresURL(b))
	if err != nil {
		b.Fatal(err)
	}
	name := benchName()
	cfg.ConnConfig.RuntimeParams["search_path"] = name
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
		pool.Close()
	})
	_, err = pool.Exec(ctx, `CREATE SCHEMA `+name+`;
CREATE TABLE `+name+`.sessions (
	token TEXT PRIMARY KEY,
	data BYTEA NOT NULL,
	expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry_idx ON `+name+`.sessions (expiry);`)
	if err != nil {
		b.Fatal(err)
	}
	return pool
}
