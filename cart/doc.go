// Package cart is gobware's reference shopping cart: a catalog of products
// and one cart per user, stored through GORM. It shows what an application
// does with the user ID that authentication gives it, and knows nothing of
// HTTP or of how that ID was obtained: every method takes a userID string.
//
// # Using it
//
// New takes a *gorm.DB, creates its two tables and returns a Service that is
// safe for concurrent use:
//
//	svc, err := cart.New(db)
//	err = svc.SeedProducts(ctx, []cart.Product{{SKU: "mug", Name: "Mug", PriceCents: 1250}})
//	c, err := svc.Add(ctx, userID, "mug", 2) // c.TotalCents == 2500
//
// Every change (Add, Set, Remove, Clear) returns the cart as it is after the
// change, ready to encode as JSON. Lines are ordered by SKU, prices are
// integer cents, and Cart.Items is never nil.
//
// # Rules
//
//   - A line holds 1 to MaxQuantity (99) units. Add takes 1 to 99 more and
//     refuses to push a line past 99 (ErrLineLimit); Set takes 0 to 99, and
//     0 removes the line. A refused change leaves the cart as it was.
//   - Add is atomic in the database: fifty concurrent Adds of one unit make
//     a line of fifty, and concurrent Adds never pass the cap together.
//   - A SKU is 1 to 64 bytes of [A-Za-z0-9._-]. Anything else is refused with
//     ErrInvalidSKU before any query, so odd path segments ("a/b", "%2F",
//     NUL bytes) never reach SQL. Unknown SKUs are ErrUnknownProduct, which
//     ErrInvalidSKU also matches.
//   - Removing a line the cart does not have is not an error (DELETE is
//     idempotent); removing an unknown product is.
//   - User IDs and SKUs compare byte for byte on every database, MySQL
//     included: "alice" and "Alice" have two carts.
//
// # Errors
//
// Errors are sentinels checked with errors.Is. The ones a client causes say
// their HTTP status through an HTTPStatus method, which httpapi.ProblemFor
// (and so every gobware adapter) reads: ErrUnknownProduct (and
// ErrInvalidSKU) 404, ErrInvalidQuantity (and ErrLineLimit, which wraps it)
// 422. Anything else is a 500, or a 503 when the database cannot be
// reached. A handler returns the error as it comes; it maps nothing itself. Database failures are returned wrapped with
// %w, never swallowed and never turned into "not found".
//
// # Tables
//
// gobware_products (sku primary key, name, price_cents) and
// gobware_cart_items (user_id and sku as primary key, quantity, created_at),
// each preceded by the TablePrefix of the DB's gorm NamingStrategy, so that
// several applications can share a database. On MySQL and MariaDB the
// user_id and sku columns are VARBINARY, because the default collations
// ignore case and trailing spaces.
package cart
