package cart

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxQuantity is the most units of one product a cart line may hold.
const MaxQuantity = 99

const (
	maxSKULen    = 64                // bytes; the width of the sku columns
	maxUserIDLen = 255               // bytes; the width of the user_id column
	maxNameLen   = 255               // bytes; the width of the name column
	maxPrice     = 1_000_000_000_000 // cents; keeps every total far from int64 overflow
)

// checkSKU refuses what cannot be a SKU before it reaches a query, so that
// odd path segments ("a/b", "%2F", NUL, very long strings) are answered
// without touching the database.
func checkSKU(sku string) error {
	if sku == "" || len(sku) > maxSKULen {
		return ErrInvalidSKU
	}
	for i := 0; i < len(sku); i++ {
		c := sku[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return ErrInvalidSKU
		}
	}
	return nil
}

// checkUserID refuses user IDs the columns cannot hold exactly: a longer ID
// could be truncated by a lenient database into someone else's.
func checkUserID(userID string) error {
	if userID == "" || len(userID) > maxUserIDLen || !utf8.ValidString(userID) || strings.ContainsRune(userID, 0) {
		return ErrInvalidUser
	}
	return nil
}

// checkQuantity refuses q outside least..MaxQuantity.
func checkQuantity(q, least int) error {
	if q < least || q > MaxQuantity {
		return fmt.Errorf("%w: %d is not between %d and %d", ErrInvalidQuantity, q, least, MaxQuantity)
	}
	return nil
}

// checkProduct refuses a product the catalog must not hold.
func checkProduct(p Product) error {
	if checkSKU(p.SKU) != nil {
		return fmt.Errorf("%w: SKU %q is malformed", ErrInvalidProduct, p.SKU)
	}
	if p.Name == "" || len(p.Name) > maxNameLen || !utf8.ValidString(p.Name) || strings.ContainsRune(p.Name, 0) {
		return fmt.Errorf("%w: %s: name must be 1 to %d bytes of UTF-8", ErrInvalidProduct, p.SKU, maxNameLen)
	}
	if p.PriceCents < 0 || p.PriceCents > maxPrice {
		return fmt.Errorf("%w: %s: price %d is not between 0 and %d cents", ErrInvalidProduct, p.SKU, p.PriceCents, int64(maxPrice))
	}
	return nil
}
