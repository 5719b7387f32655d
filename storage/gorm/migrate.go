package gorm

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"gorm.io/gorm"

	"github.com/gobware/gobware/internal/sqlmigrate"
)

// MigrationTable is the table, after the TablePrefix of the *gorm.DB's
// schema.NamingStrategy, in which Migrate records the versions it applied
// (component "storage/gorm"; the cart package records its own there).
const MigrationTable = sqlmigrate.Table

//go:embed migrations
var migrationFiles embed.FS

// Migrations returns the SQL of this package's tables as numbered
// migrations: a directory per dialect as GORM names it (sqlite, postgres,
// mysql) holding NNNN_name.sql files. They are the same files Migrate
// applies, for teams that apply schema changes with their own tool (goose
// reads them as they are; each ends by recording itself in
// MigrationTable, so Migrate later finds it applied). They are written for
// table names without a prefix: with a TablePrefix p, replace every
// gobware_ with p followed by gobware_.
func Migrations() fs.FS {
	return sqlmigrate.Dir(migrationFiles)
}

// Migrate brings the tables of every store of this package (sessions,
// refresh-token families, revocation watermarks, login failures, passkeys
// and passkey challenges) to the current schema: it applies, in order, the
// migrations db has not recorded in MigrationTable. A database created by
// a release before versioned migrations is taken over as it is, rows and
// all: migration 1 is that schema, created only where missing.
//
// It is safe to call from any number of servers at once: one applies each
// migration while the others wait (an advisory lock on PostgreSQL, a named
// lock on MySQL/MariaDB, the write lock on SQLite); it is also what every
// New…Store constructor of this package calls first, so calling it
// yourself is needed only to migrate ahead of starting the servers. On
// MySQL/MariaDB, whose DDL commits statement by statement, a server that
// dies in the middle of a migration leaves it half applied; the next
// Migrate completes it.
func Migrate(ctx context.Context, db *gorm.DB) error {
	if db == nil {
		return errNilDB
	}
	if _, err := sqlmigrate.Apply(ctx, db, "storage/gorm", Migrations()); err != nil {
		return fmt.Errorf("gorm: migrate: %w", classify(err))
	}
	return nil
}
