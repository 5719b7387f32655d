package cart_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/cart"
)

// databases are the engines every storage test runs on. SQLite always runs;
// the others run when their DSN is in the environment.
var databases = []struct{ name, env string }{
	{"sqlite", ""},
	{"postgres", "GOBWARE_TEST_POSTGRES_DSN"},
	{"mysql", "GOBWARE_TEST_MYSQL_DSN"},
}

// eachDB runs f as a subtest on every database, each time on fresh tables.
func eachDB(t *testing.T, f func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) { f(t, openDB(t, d.name, d.env)) })
	}
}

// openDB opens the named database with a table prefix of its own, so that
// tests of several packages can share one PostgreSQL or MariaDB server, and
// drops the tables it made when the test ends.
func openDB(t testing.TB, name, env string) *gorm.DB {
	t.Helper()
	var dialector gorm.Dialector
	switch name {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "cart.db")
		dialector = sqlite.Open(path + "?_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate")
	case "postgres", "mysql":
		dsn := os.Getenv(env)
		if dsn == "" {
			t.Skipf("%s is not set; skipping the %s tests", env, name)
		}
		if name == "postgres" {
			dialector = postgres.Open(dsn)
		} else {
			dialector = mysql.Open(dsn)
		}
	}
	prefix := "t" + randomHex(t, 6) + "_"
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:         logger.Discard,
		NamingStrategy: schema.NamingStrategy{TablePrefix: prefix},
	})
	if err != nil {
		t.Fatalf("gorm.Open(%s) = %v", name, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(10)
	t.Cleanup(func() {
		defer sqlDB.Close()
		if name == "sqlite" {
			return // the file goes with t.TempDir
		}
		clean := db.Session(&gorm.Session{NewDB: true, Context: context.Background()})
		if err := clean.Migrator().DropTable(prefix+"gobware_cart_items", prefix+"gobware_products"); err != nil {
			t.Errorf("drop tables: %v", err)
		}
	})
	return db
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// catalog is the products most tests seed.
var catalog = []cart.Product{
	{SKU: "mug", Name: "Mug", PriceCents: 1250},
	{SKU: "tee", Name: "T-shirt", PriceCents: 2000},
	{SKU: "sticker", Name: "Sticker", PriceCents: 199},
	{SKU: "poster-a2", Name: "Poster A2", PriceCents: 1500},
}

// newService returns a Service on db with catalog seeded.
func newService(t testing.TB, db *gorm.DB) *cart.Service {
	t.Helper()
	svc, err := cart.New(db)
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	if err := svc.SeedProducts(context.Background(), catalog); err != nil {
		t.Fatalf("SeedProducts() = %v", err)
	}
	return svc
}
