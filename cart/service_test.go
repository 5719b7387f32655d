package cart_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/cart"
)

func TestNewCreatesPrefixedTables(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		if _, err := cart.New(db); err != nil {
			t.Fatalf("New() = %v; want nil", err)
		}
		prefix := db.NamingStrategy.(schema.NamingStrategy).TablePrefix
		for _, table := range []string{"gobware_products", "gobware_cart_items"} {
			if !db.Migrator().HasTable(prefix + table) {
				t.Errorf("HasTable(%q) = false after New; want true", prefix+table)
			}
		}
	})
}

func TestNewTwiceKeepsData(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := newService(t, db)
		if _, err := svc.Add(ctx, "alice", "mug", 3); err != nil {
			t.Fatalf("Add() = %v", err)
		}
		again, err := cart.New(db)
		if err != nil {
			t.Fatalf("second New() = %v; want nil", err)
		}
		if got := lines(mustGet(t, again, "alice")); len(got) != 1 || got[0] != "mug×3" {
			t.Errorf("Get(alice) after a second New = %v; want [mug×3]", got)
		}
	})
}

func TestNewRefusesNilDB(t *testing.T) {
	if _, err := cart.New(nil); err == nil {
		t.Errorf("New(nil) = nil error; want an error")
	}
}

func TestDatabaseFailureIsReturned(t *testing.T) {
	db := openDB(t, "sqlite")
	svc := newService(t, db)
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	ctx := context.Background()
	sentinels := []error{cart.ErrUnknownProduct, cart.ErrInvalidQuantity, cart.ErrInvalidUser, cart.ErrInvalidProduct}
	for _, tc := range []struct {
		name string
		op   func() error
	}{
		{"Get reports a closed database", func() error { _, err := svc.Get(ctx, "alice"); return err }},
		{"Add reports a closed database", func() error { _, err := svc.Add(ctx, "alice", "mug", 1); return err }},
		{"Set reports a closed database", func() error { _, err := svc.Set(ctx, "alice", "mug", 1); return err }},
		{"Remove reports a closed database", func() error { _, err := svc.Remove(ctx, "alice", "mug"); return err }},
		{"Clear reports a closed database", func() error { _, err := svc.Clear(ctx, "alice"); return err }},
		{"Product reports a closed database", func() error { _, err := svc.Product(ctx, "mug"); return err }},
		{"Products reports a closed database", func() error { _, err := svc.Products(ctx); return err }},
		{"SeedProducts reports a closed database", func() error { return svc.SeedProducts(ctx, catalog) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.op()
			if err == nil {
				t.Fatalf("error = nil; want the database's error")
			}
			for _, s := range sentinels {
				if errors.Is(err, s) {
					t.Errorf("error = %v; want a database error, not %v", err, s)
				}
			}
		})
	}
}
