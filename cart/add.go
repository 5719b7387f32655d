package cart

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// addAttempts bounds how often add starts again because the line appeared
// or disappeared between its statements, which only concurrent Adds and
// Removes of the same line can cause.
const addAttempts = 10

// Add puts qty more units of sku in the cart of userID: it creates the line
// or increments it. qty must be 1 to MaxQuantity (ErrInvalidQuantity) and
// sku a product of the catalog (ErrUnknownProduct, ErrInvalidSKU). If the
// line would then hold more than MaxQuantity units, Add returns ErrLineLimit
// and leaves the line as it was.
//
// Add never reads a quantity to write it back: concurrent Adds to the same
// line all count, and together they never pass MaxQuantity.
func (s *Service) Add(ctx context.Context, userID, sku string, qty int) (Cart, error) {
	if err := s.check(userID, sku, qty, 1); err != nil {
		return Cart{}, err
	}
	db := s.db.WithContext(ctx)
	if _, err := s.product(db, sku); err != nil {
		return Cart{}, err
	}
	if err := withRetry(ctx, func() error { return s.add(db, userID, sku, qty) }); err != nil {
		return Cart{}, err
	}
	return s.load(db, userID)
}

// add increments the line, or inserts it, with statements that are each
// atomic on every database:
//
//  1. UPDATE ... SET quantity = quantity + qty WHERE ... AND quantity <= 99 - qty
//     increments an existing line only if it stays within the cap.
//  2. Otherwise the line is missing or too full: INSERT it, doing nothing if
//     it exists (ON CONFLICT DO NOTHING; INSERT IGNORE on MySQL).
//  3. Otherwise it exists: if qty more would pass the cap, that is
//     ErrLineLimit; if not, the line was inserted or changed by someone else
//     between 1 and 2, so start again.
//
// A single upsert would do on SQLite and PostgreSQL, but MySQL's
// ON DUPLICATE KEY UPDATE cannot report a refused update reliably (it
// depends on the client's found-rows flag), and one path for all databases
// is easier to trust. Each statement commits on its own, no transaction
// spans them, and the caller retries a statement aborted by a deadlock.
func (s *Service) add(db *gorm.DB, userID, sku string, qty int) error {
	for range addAttempts {
		res := db.Model(&itemRow{}).
			Where("user_id = ? AND sku = ? AND quantity <= ?", userID, sku, MaxQuantity-qty).
			Update("quantity", gorm.Expr("quantity + ?", qty))
		if res.Error != nil {
			return fmt.Errorf("cart: add %s: %w", sku, res.Error)
		}
		if res.RowsAffected > 0 {
			return nil
		}

		insert := clause.Expression(clause.OnConflict{DoNothing: true})
		if db.Dialector.Name() == "mysql" {
			insert = clause.Insert{Modifier: "IGNORE"}
		}
		row := itemRow{UserID: exactString(userID), SKU: exactString(sku), Quantity: qty}
		res = db.Clauses(insert).Create(&row)
		if res.Error != nil {
			return fmt.Errorf("cart: add %s: %w", sku, res.Error)
		}
		if res.RowsAffected > 0 {
			return nil
		}

		var have []int
		err := db.Model(&itemRow{}).Where("user_id = ? AND sku = ?", userID, sku).Limit(1).Pluck("quantity", &have).Error
		if err != nil {
			return fmt.Errorf("cart: add %s: %w", sku, err)
		}
		if len(have) > 0 && have[0]+qty > MaxQuantity {
			return fmt.Errorf("%w: %s holds %d, adding %d", ErrLineLimit, sku, have[0], qty)
		}
	}
	return errors.New("cart: add " + sku + ": the line kept changing under concurrent updates")
}
