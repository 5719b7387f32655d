-- +goose Up
-- gobware storage/gorm, SQLite, migration 4: one index on the instant a
-- session dies, the earlier of its idle and absolute deadlines, instead of
-- one on each: Cleanup finds the dead rows through it, and every INSERT
-- writes one index fewer. Rows and what is read back stay as they were.

CREATE INDEX IF NOT EXISTS `idx_gobware_sessions_dead_at` ON `gobware_sessions`(min(`idle_until`,`expires_at`));
DROP INDEX IF EXISTS `idx_gobware_sessions_idle_until`;
DROP INDEX IF EXISTS `idx_gobware_sessions_expires_at`;

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',4,'session_dead_at');
