package cart_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/gobware/gobware/cart"
)

func TestCartArithmetic(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		if _, err := svc.Add(ctx, "alice", "mug", 2); err != nil {
			t.Fatalf("Add(mug, 2) = %v", err)
		}
		if _, err := svc.Add(ctx, "alice", "sticker", 3); err != nil {
			t.Fatalf("Add(sticker, 3) = %v", err)
		}
		got, err := svc.Add(ctx, "alice", "mug", 1)
		if err != nil {
			t.Fatalf("Add(mug, 1) = %v", err)
		}
		want := cart.Cart{
			UserID: "alice",
			Items: []cart.Item{
				{SKU: "mug", Name: "Mug", UnitPriceCents: 1250, Quantity: 3, LineTotalCents: 3750},
				{SKU: "sticker", Name: "Sticker", UnitPriceCents: 199, Quantity: 3, LineTotalCents: 597},
			},
			ItemCount:  6,
			TotalCents: 4347,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Add(mug, 1) = %+v; want %+v", got, want)
		}
		if again := mustGet(t, svc, "alice"); !reflect.DeepEqual(again, want) {
			t.Errorf("Get(alice) = %+v; want %+v", again, want)
		}
	})
}

func TestCartJSON(t *testing.T) {
	db := openDB(t, "sqlite")
	svc := newService(t, db)
	empty := mustGet(t, svc, "alice")
	b, err := json.Marshal(empty)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"user_id":"alice","items":[],"item_count":0,"total_cents":0}`; string(b) != want {
		t.Errorf("json.Marshal(empty cart) = %s; want %s", b, want)
	}
	full, err := svc.Add(context.Background(), "alice", "tee", 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"user_id":"alice","items":[{"sku":"tee","name":"T-shirt","unit_price_cents":2000,"quantity":2,"line_total_cents":4000}],"item_count":2,"total_cents":4000}`
	if string(b) != want {
		t.Errorf("json.Marshal(cart) = %s; want %s", b, want)
	}
}

// TestRefusedChangesLeaveTheCartUnchanged tries every way a change can be
// refused, on a cart that already holds something, and checks both the
// error and that the cart is exactly as before.
func TestRefusedChangesLeaveTheCartUnchanged(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		if _, err := svc.Add(ctx, "alice", "mug", 60); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Add(ctx, "alice", "tee", 1); err != nil {
			t.Fatal(err)
		}
		before := mustGet(t, svc, "alice")
		for _, tc := range []struct {
			name string
			op   func() (cart.Cart, error)
			want error
		}{
			{"adding zero is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", 0) }, cart.ErrInvalidQuantity},
			{"adding a negative quantity is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", -1) }, cart.ErrInvalidQuantity},
			{"adding 100 is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "sticker", 100) }, cart.ErrInvalidQuantity},
			{"adding past 99 on a line is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", 40) }, cart.ErrLineLimit},
			{"adding 99 to a line of 1 is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "tee", 99) }, cart.ErrLineLimit},
			{"setting a negative quantity is refused", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "mug", -1) }, cart.ErrInvalidQuantity},
			{"setting 100 is refused", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "mug", 100) }, cart.ErrInvalidQuantity},
			{"adding an unknown product is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "hat", 1) }, cart.ErrUnknownProduct},
			{"setting an unknown product is refused", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "hat", 1) }, cart.ErrUnknownProduct},
			{"removing an unknown product is refused", func() (cart.Cart, error) { return svc.Remove(ctx, "alice", "hat") }, cart.ErrUnknownProduct},
			{"adding a malformed SKU is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug/../tee", 1) }, cart.ErrInvalidSKU},
			{"an empty user ID is refused", func() (cart.Cart, error) { return svc.Add(ctx, "", "mug", 1) }, cart.ErrInvalidUser},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := tc.op()
				if !errors.Is(err, tc.want) {
					t.Errorf("error = %v; want %v", err, tc.want)
				}
				if !reflect.DeepEqual(got, cart.Cart{}) {
					t.Errorf("cart returned with the error = %+v; want the zero Cart", got)
				}
				if after := mustGet(t, svc, "alice"); !reflect.DeepEqual(after, before) {
					t.Errorf("Get(alice) after the refusal = %v; want %v", lines(after), lines(before))
				}
			})
		}
	})
}

func TestLineLimitIsAnInvalidQuantity(t *testing.T) {
	if !errors.Is(cart.ErrLineLimit, cart.ErrInvalidQuantity) {
		t.Errorf("errors.Is(ErrLineLimit, ErrInvalidQuantity) = false; want true (both are 422)")
	}
	if errors.Is(cart.ErrInvalidQuantity, cart.ErrLineLimit) {
		t.Errorf("errors.Is(ErrInvalidQuantity, ErrLineLimit) = true; want false")
	}
	if !errors.Is(cart.ErrInvalidSKU, cart.ErrUnknownProduct) {
		t.Errorf("errors.Is(ErrInvalidSKU, ErrUnknownProduct) = false; want true (both are 404)")
	}
}

func TestLineCap(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		steps := []struct {
			name string
			op   func() (cart.Cart, error)
			err  error
			want int // the mug line afterwards
		}{
			{"adding 50 makes a line of 50", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", 50) }, nil, 50},
			{"adding 49 fills the line to exactly 99", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", 49) }, nil, 99},
			{"adding 1 to a full line is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", 1) }, cart.ErrLineLimit, 99},
			{"setting 98 is allowed", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "mug", 98) }, nil, 98},
			{"adding 2 to 98 is refused", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", 2) }, cart.ErrLineLimit, 98},
			{"adding 1 to 98 is allowed", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "mug", 1) }, nil, 99},
			{"setting 99 on a full line is allowed", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "mug", 99) }, nil, 99},
		}
		for _, st := range steps {
			_, err := st.op()
			if !errors.Is(err, st.err) || (st.err == nil) != (err == nil) {
				t.Fatalf("%s: error = %v; want %v", st.name, err, st.err)
			}
			if got := mugs(t, svc, "alice"); got != st.want {
				t.Fatalf("%s: mug line = %d; want %d", st.name, got, st.want)
			}
		}
		c, err := svc.Add(ctx, "bob", "mug", cart.MaxQuantity)
		if err != nil || c.ItemCount != 99 {
			t.Errorf("Add(bob, mug, MaxQuantity) = %v, %v; want a line of 99", lines(c), err)
		}
	})
}

// mugs returns the quantity of the mug line in the cart of userID.
func mugs(t *testing.T, svc *cart.Service, userID string) int {
	t.Helper()
	for _, it := range mustGet(t, svc, userID).Items {
		if it.SKU == "mug" {
			return it.Quantity
		}
	}
	return 0
}

func TestSetRemoveClear(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		steps := []struct {
			name string
			op   func() (cart.Cart, error)
			want string
		}{
			{"Set creates a line", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "tee", 4) }, "tee×4"},
			{"Set replaces a quantity rather than adding", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "tee", 2) }, "tee×2"},
			{"Add adds to what Set put", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "tee", 3) }, "tee×5"},
			{"Set adds a second line", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "mug", 1) }, "mug×1 tee×5"},
			{"Set to 0 removes the line", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "tee", 0) }, "mug×1"},
			{"Set to 0 on a missing line is not an error", func() (cart.Cart, error) { return svc.Set(ctx, "alice", "tee", 0) }, "mug×1"},
			{"Add after a removal starts a new line", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "sticker", 7) }, "mug×1 sticker×7"},
			{"Remove deletes a line", func() (cart.Cart, error) { return svc.Remove(ctx, "alice", "mug") }, "sticker×7"},
			{"Remove of a line not in the cart is not an error", func() (cart.Cart, error) { return svc.Remove(ctx, "alice", "mug") }, "sticker×7"},
			{"Add refills a line after Set", func() (cart.Cart, error) { return svc.Add(ctx, "alice", "poster-a2", 2) }, "poster-a2×2 sticker×7"},
			{"Clear empties the cart", func() (cart.Cart, error) { return svc.Clear(ctx, "alice") }, ""},
			{"Clear of an empty cart is not an error", func() (cart.Cart, error) { return svc.Clear(ctx, "alice") }, ""},
		}
		for _, st := range steps {
			c, err := st.op()
			if err != nil {
				t.Fatalf("%s: error = %v; want nil", st.name, err)
			}
			if got := strings.Join(lines(c), " "); got != st.want {
				t.Fatalf("%s: returned cart = %q; want %q", st.name, got, st.want)
			}
			if got := strings.Join(lines(mustGet(t, svc, "alice")), " "); got != st.want {
				t.Fatalf("%s: Get afterwards = %q; want %q", st.name, got, st.want)
			}
		}
		if c := mustGet(t, svc, "alice"); c.Items == nil || c.ItemCount != 0 || c.TotalCents != 0 {
			t.Errorf("Get(alice) after Clear = %+v; want an empty, non-nil Items and zero totals", c)
		}
	})
}

func TestInvalidSKUsAreRefusedBeforeAnyQuery(t *testing.T) {
	db := openDB(t, "sqlite")
	svc := newService(t, db)
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	// With the database closed, any query would fail with a database error:
	// getting ErrInvalidSKU shows the SKU was refused before one was made.
	sqlDB.Close()
	ctx := context.Background()
	for _, tc := range []struct{ name, sku string }{
		{"an empty SKU", ""},
		{"a SKU with a slash", "a/b"},
		{"a percent-encoded slash", "%2F"},
		{"a dot-dot path", "../mug"},
		{"a NUL byte", "\x00"},
		{"a NUL byte after a real SKU", "mug\x00"},
		{"1000 characters", strings.Repeat("a", 1000)},
		{"65 characters", strings.Repeat("a", 65)},
		{"unicode", "müg"},
		{"a look-alike Cyrillic letter", "mug\u0430"},
		{"a space", "mug tee"},
		{"a quote", "mug'--"},
		{"a newline", "mug\n"},
		{"invalid UTF-8", "\xff"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			for op, f := range map[string]func() error{
				"Product": func() error { _, err := svc.Product(ctx, tc.sku); return err },
				"Add":     func() error { _, err := svc.Add(ctx, "alice", tc.sku, 1); return err },
				"Set":     func() error { _, err := svc.Set(ctx, "alice", tc.sku, 1); return err },
				"Remove":  func() error { _, err := svc.Remove(ctx, "alice", tc.sku); return err },
			} {
				if err := f(); !errors.Is(err, cart.ErrInvalidSKU) {
					t.Errorf("%s(%q) = %v; want %v", op, tc.sku, err, cart.ErrInvalidSKU)
				}
			}
		})
	}
	t.Run("a SKU of 64 allowed characters reaches the database", func(t *testing.T) {
		sku := strings.Repeat("A-z.0_", 10) + "abcd"
		if _, err := svc.Product(ctx, sku); err == nil || errors.Is(err, cart.ErrUnknownProduct) {
			t.Errorf("Product(%q) on a closed database = %v; want a database error", sku, err)
		}
	})
}

func TestInvalidUserIDs(t *testing.T) {
	db := openDB(t, "sqlite")
	svc := newService(t, db)
	ctx := context.Background()
	for _, tc := range []struct{ name, userID string }{
		{"an empty user ID", ""},
		{"a user ID of 256 bytes", strings.Repeat("u", 256)},
		{"a user ID that is not UTF-8", "al\xffce"},
		{"a user ID with a NUL byte", "alice\x00bob"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			for op, f := range map[string]func() error{
				"Get":    func() error { _, err := svc.Get(ctx, tc.userID); return err },
				"Add":    func() error { _, err := svc.Add(ctx, tc.userID, "mug", 1); return err },
				"Set":    func() error { _, err := svc.Set(ctx, tc.userID, "mug", 1); return err },
				"Remove": func() error { _, err := svc.Remove(ctx, tc.userID, "mug"); return err },
				"Clear":  func() error { _, err := svc.Clear(ctx, tc.userID); return err },
			} {
				if err := f(); !errors.Is(err, cart.ErrInvalidUser) {
					t.Errorf("%s(%q) = %v; want %v", op, tc.userID, err, cart.ErrInvalidUser)
				}
			}
		})
	}
	long := strings.Repeat("u", 255)
	if _, err := svc.Add(ctx, long, "mug", 1); err != nil {
		t.Errorf("Add(user ID of 255 bytes) = %v; want nil", err)
	}
}

func TestUsersAreIsolated(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		// Look-alike IDs must not share a cart, whatever the database's
		// collation thinks of case and trailing spaces.
		users := []string{"alice", "Alice", "ALICE", "alice ", "bob", "ålice"}
		for i, u := range users {
			if _, err := svc.Add(ctx, u, "mug", i+1); err != nil {
				t.Fatalf("Add(%q, mug, %d) = %v", u, i+1, err)
			}
		}
		if _, err := svc.Add(ctx, "bob", "tee", 1); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Clear(ctx, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Remove(ctx, "Alice", "mug"); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"alice": "", "Alice": "", "ALICE": "mug×3", "alice ": "mug×4", "bob": "mug×5 tee×1", "ålice": "mug×6",
		}
		for _, u := range users {
			c := mustGet(t, svc, u)
			if got := strings.Join(lines(c), " "); got != want[u] || c.UserID != u {
				t.Errorf("Get(%q) = %q for user %q; want %q for user %q", u, got, c.UserID, want[u], u)
			}
		}
	})
}

func TestLinesAreOrderedBySKU(t *testing.T) {
	eachDB(t, func(t *testing.T, db *gorm.DB) {
		svc := newService(t, db)
		ctx := context.Background()
		// Upper case sorts before lower case in byte order, whatever the
		// database's collation says.
		if err := svc.SeedProducts(ctx, []cart.Product{{SKU: "Zed", Name: "Zed", PriceCents: 1}, {SKU: "a.1", Name: "A1", PriceCents: 1}}); err != nil {
			t.Fatal(err)
		}
		for _, sku := range []string{"tee", "a.1", "mug", "Zed", "sticker", "poster-a2"} {
			if _, err := svc.Add(ctx, "alice", sku, 1); err != nil {
				t.Fatalf("Add(%s) = %v", sku, err)
			}
		}
		want := "Zed×1 a.1×1 mug×1 poster-a2×1 sticker×1 tee×1"
		for range 3 {
			if got := strings.Join(lines(mustGet(t, svc, "alice")), " "); got != want {
				t.Fatalf("Get(alice) = %q; want %q", got, want)
			}
		}
		if _, err := svc.Set(ctx, "alice", "a.1", 5); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(lines(mustGet(t, svc, "alice")), " "); got != "Zed×1 a.1×5 mug×1 poster-a2×1 sticker×1 tee×1" {
			t.Errorf("Get(alice) after Set(a.1, 5) = %q; want the same order", got)
		}
	})
}

func TestPriceChangesShowInTheCart(t *testing.T) {
	db := openDB(t, "sqlite")
	svc := newService(t, db)
	ctx := context.Background()
	if _, err := svc.Add(ctx, "alice", "mug", 2); err != nil {
		t.Fatal(err)
	}
	if err := svc.SeedProducts(ctx, []cart.Product{{SKU: "mug", Name: "Mug", PriceCents: 1000}}); err != nil {
		t.Fatal(err)
	}
	if c := mustGet(t, svc, "alice"); c.TotalCents != 2000 {
		t.Errorf("Get(alice).TotalCents after a price change = %d; want 2000", c.TotalCents)
	}
}

// mustGet returns the cart of userID or stops the test.
func mustGet(t *testing.T, svc *cart.Service, userID string) cart.Cart {
	t.Helper()
	c, err := svc.Get(context.Background(), userID)
	if err != nil {
		t.Fatalf("Get(%q) = %v", userID, err)
	}
	return c
}

// lines summarises a cart as "sku×quantity" strings, for short comparisons.
func lines(c cart.Cart) []string {
	out := []string{}
	for _, it := range c.Items {
		out = append(out, fmt.Sprintf("%s×%d", it.SKU, it.Quantity))
	}
	return out
}
