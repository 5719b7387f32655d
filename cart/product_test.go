package cart_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gobware/gobware/cart"
)

func TestProductsAreOrderedBySKU(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		got, err := svc.Products(context.Background())
		if err != nil {
			t.Fatalf("Products() = %v", err)
		}
		want := []cart.Product{
			{SKU: "mug", Name: "Mug", PriceCents: 1250},
			{SKU: "poster-a2", Name: "Poster A2", PriceCents: 1500},
			{SKU: "sticker", Name: "Sticker", PriceCents: 199},
			{SKU: "tee", Name: "T-shirt", PriceCents: 2000},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Products() = %v; want %v", got, want)
		}
	})
}

func TestSeedProductsIsAnIdempotentUpsert(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := newService(t, db)
		if err := svc.SeedProducts(ctx, catalog); err != nil {
			t.Fatalf("SeedProducts() again = %v; want nil", err)
		}
		if err := svc.SeedProducts(ctx, []cart.Product{{SKU: "mug", Name: "Big mug", PriceCents: 1300}, {SKU: "cap", Name: "Cap", PriceCents: 900}}); err != nil {
			t.Fatalf("SeedProducts(changed) = %v; want nil", err)
		}
		if err := svc.SeedProducts(ctx, nil); err != nil {
			t.Fatalf("SeedProducts(nil) = %v; want nil", err)
		}
		got, err := svc.Products(ctx)
		if err != nil {
			t.Fatalf("Products() = %v", err)
		}
		var skus []string
		for _, p := range got {
			skus = append(skus, p.SKU)
		}
		if want := "cap mug poster-a2 sticker tee"; strings.Join(skus, " ") != want {
			t.Errorf("Products() SKUs = %v; want %s", skus, want)
		}
		mug, err := svc.Product(ctx, "mug")
		if want := (cart.Product{SKU: "mug", Name: "Big mug", PriceCents: 1300}); err != nil || mug != want {
			t.Errorf("Product(mug) = %v, %v; want %v, nil", mug, err, want)
		}
	})
}

func TestSeedProductsRefusesMalformedProducts(t *testing.T) {
	db := openDB(t, "sqlite")
	svc := newService(t, db)
	ctx := context.Background()
	good := cart.Product{SKU: "good", Name: "Good", PriceCents: 100}
	for _, tc := range []struct {
		name string
		p    cart.Product
	}{
		{"an empty SKU is refused", cart.Product{Name: "X", PriceCents: 1}},
		{"a SKU with a slash is refused", cart.Product{SKU: "a/b", Name: "X", PriceCents: 1}},
		{"an empty name is refused", cart.Product{SKU: "x", PriceCents: 1}},
		{"a name of 256 bytes is refused", cart.Product{SKU: "x", Name: strings.Repeat("n", 256), PriceCents: 1}},
		{"a name that is not UTF-8 is refused", cart.Product{SKU: "x", Name: "\xff", PriceCents: 1}},
		{"a negative price is refused", cart.Product{SKU: "x", Name: "X", PriceCents: -1}},
		{"an absurd price is refused", cart.Product{SKU: "x", Name: "X", PriceCents: 1 << 62}},
		{"a SKU given twice is refused", good},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := svc.SeedProducts(ctx, []cart.Product{good, tc.p})
			if !errors.Is(err, cart.ErrInvalidProduct) {
				t.Errorf("SeedProducts(%v) = %v; want %v", tc.p, err, cart.ErrInvalidProduct)
			}
			if _, err := svc.Product(ctx, "good"); !errors.Is(err, cart.ErrUnknownProduct) {
				t.Errorf("Product(good) after a refused batch = %v; want %v (nothing written)", err, cart.ErrUnknownProduct)
			}
		})
	}
}

func TestProductLookup(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		for _, tc := range []struct {
			name, sku string
			want      cart.Product
			err       error
		}{
			{"a known SKU is found", "tee", cart.Product{SKU: "tee", Name: "T-shirt", PriceCents: 2000}, nil},
			{"an unknown SKU is ErrUnknownProduct", "hat", cart.Product{}, cart.ErrUnknownProduct},
			{"SKUs are case-sensitive", "TEE", cart.Product{}, cart.ErrUnknownProduct},
			{"a SKU with a trailing space is malformed", "tee ", cart.Product{}, cart.ErrInvalidSKU},
			{"a malformed SKU is ErrInvalidSKU", "a/b", cart.Product{}, cart.ErrInvalidSKU},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := svc.Product(ctx, tc.sku)
				if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
					t.Errorf("Product(%q) = %v, %v; want %v, %v", tc.sku, got, err, tc.want, tc.err)
				}
			})
		}
	})
}
