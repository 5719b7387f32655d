package cart

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"gorm.io/gorm"

	"github.com/gobware/gobware/internal/sqlmigrate"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations returns the SQL of the cart's two tables as numbered
// migrations, a directory per dialect as GORM names it (sqlite, postgres,
// mysql) of NNNN_name.sql files: the files Migrate applies, for teams that
// apply schema changes with their own tool. Each ends by recording itself
// in the table gobware_schema_migrations (component "cart"). They are
// written for table names without a prefix: with a TablePrefix p, replace
// every gobware_ with p followed by gobware_.
func Migrations() fs.FS {
	return sqlmigrate.Dir(migrationFiles)
}

// Migrate brings the cart's tables to the current schema, applying the
// migrations db has not recorded yet; tables created by a release before
// versioned migrations are taken over as they are. Servers starting at
// once apply each migration once (see storage/gorm's Migrate). New calls
// it.
func Migrate(ctx context.Context, db *gorm.DB) error {
	if db == nil {
		return fmt.Errorf("cart: Migrate needs a *gorm.DB")
	}
	if _, err := sqlmigrate.Apply(ctx, db, "cart", Migrations()); err != nil {
		return fmt.Errorf("cart: migrate: %w", err)
	}
	return nil
}
