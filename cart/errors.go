package cart

import (
	"errors"
	"fmt"
	"net/http"
)

// clientError is an error the client caused. Its HTTPStatus method is what
// HTTP layers (httpapi.ClientError) read, so that every server answers the
// cart's errors alike without this package knowing any of them.
type clientError struct {
	msg    string
	status int
}

func (e *clientError) Error() string   { return e.msg }
func (e *clientError) HTTPStatus() int { return e.status }

// ErrInvalidUser is returned when the user ID is empty, longer than 255
// bytes, not valid UTF-8 or contains a NUL byte. The user ID comes from the
// authentication layer, not from the client, so this is a bug in the caller
// (a 500), never a client mistake.
var ErrInvalidUser = errors.New("cart: invalid user ID")

// ErrUnknownProduct is returned when a SKU names no product of the catalog.
// Its HTTPStatus method says 404.
var ErrUnknownProduct error = &clientError{"cart: unknown product", http.StatusNotFound}

// ErrInvalidSKU is returned, before any query is made, when a SKU cannot be a
// SKU at all: empty, longer than 64 bytes, or with a byte outside
// [A-Za-z0-9._-]. Such a SKU names no product either, so ErrInvalidSKU wraps
// ErrUnknownProduct: errors.Is(err, ErrUnknownProduct) holds for both.
var ErrInvalidSKU = fmt.Errorf("%w: malformed SKU", ErrUnknownProduct)

// ErrInvalidQuantity is returned when a quantity is out of range: Add takes
// 1 to MaxQuantity, Set takes 0 to MaxQuantity. Its HTTPStatus method says
// 422. The returned error wraps it with the offending quantity.
var ErrInvalidQuantity error = &clientError{"cart: invalid quantity", http.StatusUnprocessableEntity}

// ErrLineLimit is returned by Add when the line would hold more than
// MaxQuantity units; the line is left as it was. It wraps ErrInvalidQuantity,
// so errors.Is(err, ErrInvalidQuantity) holds for both (one 422 for both), and
// errors.Is(err, ErrLineLimit) tells them apart.
var ErrLineLimit = fmt.Errorf("%w: a line holds at most %d", ErrInvalidQuantity, MaxQuantity)

// ErrInvalidProduct is returned by SeedProducts when a product is malformed:
// invalid SKU, empty or over-long name, price out of range, or a SKU given
// twice. Nothing of the batch is written.
var ErrInvalidProduct = errors.New("cart: invalid product")
