package cart_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gobware/gobware/cart"
)

// TestClientErrorsSayTheirStatus checks the HTTPStatus that HTTP layers
// read from the cart's errors (httpapi.ClientError), through wrapping,
// and that a failure that is not the client's says none.
func TestClientErrorsSayTheirStatus(t *testing.T) {
	for _, tt := range []struct {
		err    error
		status int
	}{
		{cart.ErrUnknownProduct, 404},
		{cart.ErrInvalidSKU, 404},
		{fmt.Errorf("add: %w", cart.ErrUnknownProduct), 404},
		{cart.ErrInvalidQuantity, 422},
		{cart.ErrLineLimit, 422},
		{cart.ErrInvalidUser, 0},
		{cart.ErrInvalidProduct, 0},
	} {
		var s interface{ HTTPStatus() int }
		got := 0
		if errors.As(tt.err, &s) {
			got = s.HTTPStatus()
		}
		if got != tt.status {
			t.Errorf("%v: HTTPStatus = %d; want %d", tt.err, got, tt.status)
		}
	}
}

// TestAMissingQuantityIsRefused checks AddItem and SetItem, the bodies
// clients send: without a quantity nothing changes and the error is a 422.
func TestAMissingQuantityIsRefused(t *testing.T) {
	svc := newService(t, openDB(t, "sqlite"))
	ctx := context.Background()
	if _, err := svc.AddItem(ctx, "alice", cart.AddItem{SKU: "mug"}); !errors.Is(err, cart.ErrQuantityRequired) {
		t.Errorf("AddItem without a quantity = %v; want ErrQuantityRequired", err)
	}
	two := 2
	c, err := svc.AddItem(ctx, "alice", cart.AddItem{SKU: "mug", Quantity: &two})
	if err != nil || c.ItemCount != 2 {
		t.Fatalf("AddItem(mug, 2) = %+v, %v", c, err)
	}
	if _, err := svc.SetItem(ctx, "alice", "mug", cart.SetItem{}); !errors.Is(err, cart.ErrQuantityRequired) {
		t.Errorf("SetItem without a quantity = %v; want ErrQuantityRequired", err)
	}
	zero := 0
	if c, err := svc.SetItem(ctx, "alice", "mug", cart.SetItem{Quantity: &zero}); err != nil || c.ItemCount != 0 {
		t.Errorf("SetItem(mug, 0) = %+v, %v; want the line removed", c, err)
	}
	var s interface{ HTTPStatus() int }
	if !errors.As(cart.ErrQuantityRequired, &s) || s.HTTPStatus() != 422 {
		t.Errorf("ErrQuantityRequired says no 422")
	}
}
