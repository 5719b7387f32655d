package cart_test

import (
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
