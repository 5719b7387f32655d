package e2e_test

import (
	"testing"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// cartLines reduces a cart body to sku → quantity, checking its totals.
func cartLines(t *testing.T, r exampletest.Resp) map[string]float64 {
	t.Helper()
	m := r.JSON(t)
	items, _ := m["items"].([]any)
	lines := map[string]float64{}
	var count, total float64
	for _, x := range items {
		it := x.(map[string]any)
		q, unit, line := it["quantity"].(float64), it["unit_price_cents"].(float64), it["line_total_cents"].(float64)
		if line != q*unit {
			t.Fatalf("line %v: line_total_cents %v ≠ %v × %v", it["sku"], line, q, unit)
		}
		lines[it["sku"].(string)] = q
		count += q
		total += line
	}
	if m["item_count"] != count || m["total_cents"] != total {
		t.Fatalf("cart totals item_count=%v total_cents=%v; want %v and %v", m["item_count"], m["total_cents"], count, total)
	}
	return lines
}

func add(sku string, qty int) map[string]any { return map[string]any{"sku": sku, "quantity": qty} }
func qty(n int) map[string]any               { return map[string]any{"quantity": n} }

// TestCartWalk drives every cart route for alice by cookie and by token and
// checks that bob never sees or changes her cart.
func TestCartWalk(t *testing.T) {
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			cookie := s.Login("alice")
			token, _ := s.Tokens("alice")
			bob, _ := s.Tokens("bob")

			exampletest.Expect(t, "add 2 mugs by cookie", s.Do(exampletest.Req{Method: "POST", Path: "/api/cart/items", Cookie: cookie, Body: add("MUG-GOPHER", 2)}), 200)
			exampletest.Expect(t, "add 1 mug by token", s.Do(exampletest.Req{Method: "POST", Path: "/api/cart/items", Bearer: token, Body: add("MUG-GOPHER", 1)}), 200)
			r := s.Do(exampletest.Req{Method: "POST", Path: "/api/cart/items", Cookie: cookie, Body: add("TEE-GOPHER", 1)})
			exampletest.Expect(t, "add a tee", r, 200)
			if got := cartLines(t, r); got["MUG-GOPHER"] != 3 || got["TEE-GOPHER"] != 1 {
				t.Fatalf("alice's cart = %v; want 3 mugs and 1 tee", got)
			}
			byToken := s.Do(exampletest.Req{Method: "GET", Path: "/api/cart", Bearer: token})
			byCookie := s.Do(exampletest.Req{Method: "GET", Path: "/api/cart", Cookie: cookie})
			if string(byToken.Body) != string(byCookie.Body) {
				t.Fatalf("the cart differs by strategy:\ncookie %s\ntoken  %s", byCookie.Body, byToken.Body)
			}
			if m := byToken.JSON(t); m["total_cents"] != float64(3*1250+1999) {
				t.Fatalf("total_cents = %v; want %d", m["total_cents"], 3*1250+1999)
			}
			items := byToken.JSON(t)["items"].([]any)
			if items[0].(map[string]any)["sku"] != "MUG-GOPHER" || items[1].(map[string]any)["sku"] != "TEE-GOPHER" {
				t.Fatalf("items are not in a stable SKU order: %s", byToken.Body)
			}

			// Bob's token reaches only bob's cart, whatever path he tries.
			exampletest.Expect(t, "bob removes alice's mug line (his own, empty)", s.Do(exampletest.Req{Method: "DELETE", Path: "/api/cart/items/MUG-GOPHER", Bearer: bob}), 200)
			exampletest.Expect(t, "bob clears his cart", s.Do(exampletest.Req{Method: "DELETE", Path: "/api/cart", Bearer: bob}), 200)
			if got := cartLines(t, s.Do(exampletest.Req{Method: "GET", Path: "/api/cart", Bearer: bob})); len(got) != 0 {
				t.Fatalf("bob sees %v; want his own empty cart", got)
			}
			if got := cartLines(t, s.Do(exampletest.Req{Method: "GET", Path: "/api/cart", Cookie: cookie})); got["MUG-GOPHER"] != 3 {
				t.Fatalf("bob's requests changed alice's cart: %v", got)
			}

			r = s.Do(exampletest.Req{Method: "PUT", Path: "/api/cart/items/MUG-GOPHER", Bearer: token, Body: qty(7)})
			exampletest.Expect(t, "set mugs to 7", r, 200)
			if got := cartLines(t, r); got["MUG-GOPHER"] != 7 {
				t.Fatalf("after set: %v", got)
			}
			exampletest.Expect(t, "a line over 99 is refused", s.Do(exampletest.Req{Method: "POST", Path: "/api/cart/items", Bearer: token, Body: add("MUG-GOPHER", 93)}), 422)
			if got := cartLines(t, s.Do(exampletest.Req{Method: "GET", Path: "/api/cart", Bearer: token})); got["MUG-GOPHER"] != 7 {
				t.Fatalf("a refused add changed the cart: %v", got)
			}
			r = s.Do(exampletest.Req{Method: "PUT", Path: "/api/cart/items/MUG-GOPHER", Cookie: cookie, Body: qty(0)})
			exampletest.Expect(t, "set to 0", r, 200)
			if got := cartLines(t, r); len(got) != 1 || got["TEE-GOPHER"] != 1 {
				t.Fatalf("set 0 should remove the line: %v", got)
			}
			r = s.Do(exampletest.Req{Method: "DELETE", Path: "/api/cart/items/TEE-GOPHER", Cookie: cookie})
			exampletest.Expect(t, "remove the tee", r, 200)
			if got := cartLines(t, r); len(got) != 0 {
				t.Fatalf("after remove: %v", got)
			}
			s.Do(exampletest.Req{Method: "POST", Path: "/api/cart/items", Cookie: cookie, Body: add("CAP-GOPHER", 2)})
			r = s.Do(exampletest.Req{Method: "DELETE", Path: "/api/cart", Bearer: token})
			exampletest.Expect(t, "clear", r, 200)
			if got := cartLines(t, r); len(got) != 0 {
				t.Fatalf("after clear: %v", got)
			}
		})
	}
}
