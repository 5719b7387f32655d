package cart_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gobware/gobware/cart"
)

// FuzzSKU feeds arbitrary SKUs, as they arrive in URL paths, to Product and
// Remove: each must answer with the product, ErrUnknownProduct or
// ErrInvalidSKU, and never with another error.
func FuzzSKU(f *testing.F) {
	for _, s := range []string{"mug", "MUG", "", "a/b", "%2F", "\x00", "mug\x00", "müg", "' OR 1=1 --", strings.Repeat("a", 65), "poster-a2", "a.b_c-D"} {
		f.Add(s)
	}
	svc := newService(f, openDB(f, "sqlite"))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, sku string) {
		p, err := svc.Product(ctx, sku)
		switch {
		case err == nil:
			if p.SKU != sku {
				t.Errorf("Product(%q) = %v; want the product with that SKU", sku, p)
			}
		case !errors.Is(err, cart.ErrUnknownProduct):
			t.Errorf("Product(%q) = %v; want a product, %v or %v", sku, err, cart.ErrUnknownProduct, cart.ErrInvalidSKU)
		}
		if _, err := svc.Remove(ctx, "fuzz", sku); err != nil && !errors.Is(err, cart.ErrUnknownProduct) {
			t.Errorf("Remove(%q) = %v; want nil, %v or %v", sku, err, cart.ErrUnknownProduct, cart.ErrInvalidSKU)
		}
	})
}
