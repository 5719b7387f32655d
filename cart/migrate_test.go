package cart_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/internal/sqlmigrate"
	"github.com/gobware/gobware/internal/testdb"
)

func TestMigrateUpgradesThePreviousReleasesCartsAndStartsAnEmptyDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		ctx := context.Background()
		// An empty database first: the tables appear, and a second run
		// changes nothing.
		if err := cart.Migrate(ctx, d.DB); err != nil {
			t.Fatalf("Migrate on an empty database = %v", err)
		}
		if err := cart.Migrate(ctx, d.DB); err != nil {
			t.Fatalf("Migrate again = %v", err)
		}
		for _, table := range []string{"gobware_products", "gobware_cart_items", "gobware_schema_migrations"} {
			if !d.DB.Migrator().HasTable(d.Prefix + table) {
				t.Errorf("table %s%s is missing", d.Prefix, table)
			}
		}
		d.DB.Migrator().DropTable(d.Prefix+"gobware_products", d.Prefix+"gobware_cart_items", d.Prefix+"gobware_schema_migrations")

		// Then the previous release's tables, with a cart in them.
		b, err := os.ReadFile(filepath.Join("testdata", "previous", d.Name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range sqlmigrate.Statements(sqlmigrate.Render(string(b), d.Prefix)) {
			if err := d.DB.Exec(stmt.SQL).Error; err != nil {
				t.Fatalf("previous release's schema: %v\n%s", err, stmt.SQL)
			}
		}
		if err := d.DB.Exec("INSERT INTO "+d.Prefix+"gobware_products (sku, name, price_cents) VALUES (?, ?, ?)", "TEA-1", "Tea", 450).Error; err != nil {
			t.Fatal(err)
		}
		if err := d.DB.Exec("INSERT INTO "+d.Prefix+"gobware_cart_items (user_id, sku, quantity, created_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)", "alice", "TEA-1", 2).Error; err != nil {
			t.Fatal(err)
		}
		svc, err := cart.New(d.DB)
		if err != nil {
			t.Fatalf("New on the previous release's tables = %v", err)
		}
		c, err := svc.Get(ctx, "alice")
		if err != nil || len(c.Items) != 1 || c.Items[0].Quantity != 2 {
			t.Errorf("Get(alice) after the upgrade = %+v, %v; want her 2 × TEA-1", c, err)
		}
	})
}
