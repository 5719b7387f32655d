// Package sqlmigrate applies gobware's numbered SQL migrations: the files
// <dialect>/NNNN_name.sql of an fs.FS, one directory per dialect GORM
// names (sqlite, postgres, mysql), written for table names starting with
// gobware_ and applied under the table prefix of the *gorm.DB.
//
// Apply records each applied version in the table gobware_schema_migrations
// (component, version, name, applied_at), and each file records itself
// there too, in its last statement, so a file applied by another tool
// (goose, atlas, psql) counts as applied. It holds a lock for the whole
// run, so servers starting at once apply each migration once: an advisory
// lock on PostgreSQL, a named lock (GET_LOCK) on MySQL/MariaDB, and on
// SQLite the write lock of one IMMEDIATE transaction around the run. On
// PostgreSQL and SQLite a migration and its record are one transaction; on
// MySQL/MariaDB, where DDL commits by itself, every statement is written to
// be safe to run again (IF NOT EXISTS, or a gobware:unless-column,
// if-index or unless-index guard where MySQL has no IF), so a migration
// interrupted half-way completes on the next run.
package sqlmigrate
