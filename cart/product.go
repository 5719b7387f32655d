package cart

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Product is an entry of the catalog. Prices are integer cents: no
// floating point ever touches money.
type Product struct {
	SKU        string `json:"sku"`
	Name       string `json:"name"`
	PriceCents int64  `json:"price_cents"`
}

// SeedProducts inserts ps into the catalog, or updates the name and price of
// products whose SKU is already there. Running it twice with the same list
// changes nothing, so a server can seed its catalog at every start. Products
// are never deleted.
//
// Every product is checked first: a SKU as for ErrInvalidSKU, a name of 1 to
// 255 bytes of UTF-8, a price from 0 to 10^12 cents, no SKU twice. If one is
// malformed, ErrInvalidProduct is returned and nothing is written.
func (s *Service) SeedProducts(ctx context.Context, ps []Product) error {
	rows := make([]productRow, 0, len(ps))
	seen := make(map[string]bool, len(ps))
	for _, p := range ps {
		if err := checkProduct(p); err != nil {
			return err
		}
		if seen[p.SKU] {
			return fmt.Errorf("%w: SKU %s is given twice", ErrInvalidProduct, p.SKU)
		}
		seen[p.SKU] = true
		rows = append(rows, productRow{SKU: exactString(p.SKU), Name: p.Name, PriceCents: p.PriceCents})
	}
	if len(rows) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "sku"}},
			DoUpdates: clause.AssignmentColumns([]string{"name", "price_cents"}),
		}).CreateInBatches(rows, 500).Error
	})
	if err != nil {
		return fmt.Errorf("cart: seed products: %w", err)
	}
	return nil
}

// Products returns the whole catalog, ordered by SKU (byte order, the same
// on every database).
func (s *Service) Products(ctx context.Context) ([]Product, error) {
	var rows []productRow
	if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("cart: list products: %w", err)
	}
	ps := make([]Product, len(rows))
	for i, r := range rows {
		ps[i] = Product{SKU: string(r.SKU), Name: r.Name, PriceCents: r.PriceCents}
	}
	slices.SortFunc(ps, func(a, b Product) int { return strings.Compare(a.SKU, b.SKU) })
	return ps, nil
}

// Product returns the product with this SKU, ErrUnknownProduct if there is
// none, or ErrInvalidSKU (without a query) if sku cannot be a SKU.
func (s *Service) Product(ctx context.Context, sku string) (Product, error) {
	if err := checkSKU(sku); err != nil {
		return Product{}, err
	}
	return s.product(s.db.WithContext(ctx), sku)
}

// product looks up a SKU already checked by checkSKU.
func (s *Service) product(db *gorm.DB, sku string) (Product, error) {
	var rows []productRow
	// Find with Limit rather than First: a miss is an answer, not an error
	// for GORM's logger to report.
	if err := db.Where("sku = ?", sku).Limit(1).Find(&rows).Error; err != nil {
		return Product{}, fmt.Errorf("cart: look up product %s: %w", sku, err)
	}
	if len(rows) == 0 {
		return Product{}, fmt.Errorf("%w: %s", ErrUnknownProduct, sku)
	}
	r := rows[0]
	return Product{SKU: string(r.SKU), Name: r.Name, PriceCents: r.PriceCents}, nil
}
