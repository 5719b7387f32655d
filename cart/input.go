package cart

import (
	"context"
	"net/http"
)

// AddItem is what a client sends to add to its cart, as JSON:
// {"sku": "MUG-GOPHER", "quantity": 2}. Quantity is a pointer so that a
// missing quantity (ErrQuantityRequired) is told from 0.
type AddItem struct {
	SKU      string `json:"sku"`
	Quantity *int   `json:"quantity"`
}

// SetItem is what a client sends to set the quantity of a line whose SKU
// the URL names, as JSON: {"quantity": 3}; 0 removes the line.
type SetItem struct {
	Quantity *int `json:"quantity"`
}

// ErrQuantityRequired is returned by AddItem and SetItem for a body
// without a quantity. Its HTTPStatus method says 422.
var ErrQuantityRequired error = &clientError{"cart: quantity is required", http.StatusUnprocessableEntity}

// AddItem is Add with what the client sent: ErrQuantityRequired without
// a quantity, else Add(ctx, userID, item.SKU, *item.Quantity).
func (s *Service) AddItem(ctx context.Context, userID string, item AddItem) (Cart, error) {
	if item.Quantity == nil {
		return Cart{}, ErrQuantityRequired
	}
	return s.Add(ctx, userID, item.SKU, *item.Quantity)
}

// SetItem is Set with what the client sent: ErrQuantityRequired without
// a quantity, else Set(ctx, userID, sku, *item.Quantity).
func (s *Service) SetItem(ctx context.Context, userID, sku string, item SetItem) (Cart, error) {
	if item.Quantity == nil {
		return Cart{}, ErrQuantityRequired
	}
	return s.Set(ctx, userID, sku, *item.Quantity)
}
