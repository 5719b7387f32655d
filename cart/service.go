package cart

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/internal/tableprefix"
)

// Service is the catalog and the carts, stored through GORM. It holds no
// state of its own besides the *gorm.DB, and is safe for concurrent use.
type Service struct {
	db *gorm.DB
	// items and products are the resolved table names, prefix included,
	// for the one query (Get) that joins them.
	items, products string
}

// New returns a Service storing its data in db, and brings its two tables
// up to date (see Migrate): gobware_products and gobware_cart_items, each preceded by the
// TablePrefix of db's schema.NamingStrategy if it has one (other Namers add
// nothing). Column names are fixed and do not depend on the naming strategy.
//
// Any GORM dialect with upserts works; SQLite, PostgreSQL and MySQL/MariaDB
// are tested. For SQLite, open a file in WAL mode with a busy timeout
// ("shop.db?_journal_mode=WAL&_busy_timeout=5000") so that concurrent
// requests wait for each other instead of failing.
func New(db *gorm.DB) (*Service, error) {
	if db == nil {
		return nil, errors.New("cart: New needs a *gorm.DB")
	}
	if err := Migrate(context.Background(), db); err != nil {
		return nil, err
	}
	s := &Service{db: db}
	for _, t := range []struct {
		model any
		name  *string
	}{{&itemRow{}, &s.items}, {&productRow{}, &s.products}} {
		stmt := &gorm.Statement{DB: db}
		if err := stmt.Parse(t.model); err != nil {
			return nil, fmt.Errorf("cart: %w", err)
		}
		*t.name = stmt.Schema.Table
	}
	return s, nil
}

// productRow is a row of the products table.
type productRow struct {
	SKU        exactString `gorm:"column:sku;primaryKey;size:64"`
	Name       string      `gorm:"column:name;size:255;not null"`
	PriceCents int64       `gorm:"column:price_cents;not null"`
}

// TableName implements schema.TablerWithNamer.
func (productRow) TableName(n schema.Namer) string { return tableprefix.Of(n) + "gobware_products" }

// itemRow is a line of a cart. The primary key (user_id, sku) is the unique
// index that makes Add and Set atomic upserts and keeps a user's lines
// together.
type itemRow struct {
	UserID    exactString `gorm:"column:user_id;primaryKey;size:255"`
	SKU       exactString `gorm:"column:sku;primaryKey;size:64"`
	Quantity  int         `gorm:"column:quantity;not null"`
	CreatedAt time.Time   `gorm:"column:created_at;not null"`
}

// TableName implements schema.TablerWithNamer.
func (itemRow) TableName(n schema.Namer) string { return tableprefix.Of(n) + "gobware_cart_items" }

// exactString is a string column compared byte for byte. On MySQL and
// MariaDB the default collations ignore case and trailing spaces, which
// would let "alice" and "Alice " share a cart; VARBINARY compares exactly.
// SQLite and PostgreSQL already compare text exactly.
type exactString string

// GormDBDataType implements migrator.GormDataTypeInterface.
func (exactString) GormDBDataType(db *gorm.DB, f *schema.Field) string {
	if db.Dialector.Name() == "mysql" {
		return fmt.Sprintf("VARBINARY(%d)", f.Size)
	}
	return "" // the dialect's default for a sized string
}
