package cart

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Cart is a user's cart as the API shows it. Prices are the catalog's
// current ones: a line stores a SKU and a quantity, not a price.
type Cart struct {
	UserID string `json:"user_id"`
	// Items is never nil, so an empty cart encodes as "items": [].
	// Lines are ordered by SKU (byte order).
	Items []Item `json:"items"`
	// ItemCount is the number of units in the cart, the sum of the
	// quantities (two mugs and a shirt make 3), not the number of lines.
	ItemCount  int   `json:"item_count"`
	TotalCents int64 `json:"total_cents"`
}

// Item is one line of a Cart.
type Item struct {
	SKU            string `json:"sku"`
	Name           string `json:"name"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	Quantity       int    `json:"quantity"`
	LineTotalCents int64  `json:"line_total_cents"`
}

// Get returns the cart of userID; a user who never added anything has an
// empty cart, not an error.
func (s *Service) Get(ctx context.Context, userID string) (Cart, error) {
	if err := checkUserID(userID); err != nil {
		return Cart{}, err
	}
	return s.load(s.db.WithContext(ctx), userID)
}

// Set makes the line of sku hold exactly qty units, creating it if needed;
// qty 0 removes the line. qty must be 0 to MaxQuantity (ErrInvalidQuantity)
// and sku a product of the catalog (ErrUnknownProduct, ErrInvalidSKU).
func (s *Service) Set(ctx context.Context, userID, sku string, qty int) (Cart, error) {
	if err := s.check(userID, sku, qty, 0); err != nil {
		return Cart{}, err
	}
	db := s.db.WithContext(ctx)
	if _, err := s.product(db, sku); err != nil {
		return Cart{}, err
	}
	if qty == 0 {
		return s.remove(ctx, db, userID, sku)
	}
	err := withRetry(ctx, func() error {
		row := itemRow{UserID: exactString(userID), SKU: exactString(sku), Quantity: qty}
		return db.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "user_id"}, {Name: "sku"}},
			DoUpdates: clause.AssignmentColumns([]string{"quantity"}),
		}).Create(&row).Error
	})
	if err != nil {
		return Cart{}, fmt.Errorf("cart: set %s: %w", sku, err)
	}
	return s.load(db, userID)
}

// Remove deletes the line of sku from the cart. Removing a line the cart
// does not have is not an error, but sku must still be a product of the
// catalog (ErrUnknownProduct, ErrInvalidSKU).
func (s *Service) Remove(ctx context.Context, userID, sku string) (Cart, error) {
	if err := s.check(userID, sku, 0, 0); err != nil {
		return Cart{}, err
	}
	db := s.db.WithContext(ctx)
	if _, err := s.product(db, sku); err != nil {
		return Cart{}, err
	}
	return s.remove(ctx, db, userID, sku)
}

func (s *Service) remove(ctx context.Context, db *gorm.DB, userID, sku string) (Cart, error) {
	err := withRetry(ctx, func() error {
		return db.Where("user_id = ? AND sku = ?", userID, sku).Delete(&itemRow{}).Error
	})
	if err != nil {
		return Cart{}, fmt.Errorf("cart: remove %s: %w", sku, err)
	}
	return s.load(db, userID)
}

// Clear removes every line of the cart of userID.
func (s *Service) Clear(ctx context.Context, userID string) (Cart, error) {
	if err := checkUserID(userID); err != nil {
		return Cart{}, err
	}
	db := s.db.WithContext(ctx)
	err := withRetry(ctx, func() error {
		return db.Where("user_id = ?", userID).Delete(&itemRow{}).Error
	})
	if err != nil {
		return Cart{}, fmt.Errorf("cart: clear: %w", err)
	}
	return s.load(db, userID)
}

// check validates the arguments of a change, in the order a caller can
// act on: whose cart, which product, how many.
func (s *Service) check(userID, sku string, qty, least int) error {
	if err := checkUserID(userID); err != nil {
		return err
	}
	if err := checkSKU(sku); err != nil {
		return err
	}
	return checkQuantity(qty, least)
}

// load reads the cart of userID in one query, so lines and prices are
// consistent with each other. A line whose product has left the catalog is
// not shown.
func (s *Service) load(db *gorm.DB, userID string) (Cart, error) {
	var rows []struct {
		SKU        string `gorm:"column:sku"`
		Name       string `gorm:"column:name"`
		PriceCents int64  `gorm:"column:price_cents"`
		Quantity   int    `gorm:"column:quantity"`
	}
	err := db.Table("?", clause.Table{Name: s.items, Alias: "i"}).
		Select("i.sku AS sku, p.name AS name, p.price_cents AS price_cents, i.quantity AS quantity").
		Joins("JOIN ? ON p.sku = i.sku", clause.Table{Name: s.products, Alias: "p"}).
		Where("i.user_id = ?", userID).
		Scan(&rows).Error
	if err != nil {
		return Cart{}, fmt.Errorf("cart: load: %w", err)
	}
	c := Cart{UserID: userID, Items: make([]Item, 0, len(rows))}
	for _, r := range rows {
		line := r.PriceCents * int64(r.Quantity)
		c.Items = append(c.Items, Item{
			SKU:            r.SKU,
			Name:           r.Name,
			UnitPriceCents: r.PriceCents,
			Quantity:       r.Quantity,
			LineTotalCents: line,
		})
		c.ItemCount += r.Quantity
		c.TotalCents += line
	}
	slices.SortFunc(c.Items, func(a, b Item) int { return strings.Compare(a.SKU, b.SKU) })
	return c, nil
}
