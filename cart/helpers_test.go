package cart_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/internal/testdb"
)

// eachDB runs f as a subtest on every database testdb.Each offers, each
// time on fresh tables.
func eachDB(t *testing.T, f func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	testdb.Each(t, func(t *testing.T, db testdb.DB) { f(t, pooled(t, db)) })
}

// openDB opens the named database (see testdb.Open) with cart's pool.
func openDB(t testing.TB, name string) *gorm.DB {
	t.Helper()
	return pooled(t, testdb.Open(t, name))
}

// pooled gives db ten connections, so the concurrency tests have several
// transactions in flight on every engine.
func pooled(t testing.TB, db testdb.DB) *gorm.DB {
	t.Helper()
	sqlDB, err := db.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(10)
	return db.DB
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
