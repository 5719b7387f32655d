-- +goose Up
-- gobware storage/gorm, SQLite, migration 5: no index for Cleanup on the
-- session table. On SQLite each index is one more page written to the WAL
-- by every login, about a sixth of a login's time; Cleanup instead reads
-- the table in rowid windows, a few milliseconds per 100,000 sessions
-- every run, without holding the write lock for longer than one window.
-- PostgreSQL and MySQL/MariaDB keep the index of migration 4.

DROP INDEX IF EXISTS `idx_gobware_sessions_dead_at`;

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',5,'session_cleanup_scan');
