-- +goose Up
-- gobware storage/gorm, MySQL/MariaDB, migration 4: one index on the
-- instant a session dies, the earlier of its idle and absolute deadlines,
-- instead of one on each: Cleanup finds the dead rows through it, and
-- every INSERT writes one index fewer. MariaDB has no index on an
-- expression, so the instant is a virtual column, dead_at, computed from
-- the other two (never written; it takes no space in the rows). Rows and
-- what is read back stay as they were.

-- gobware:unless-column gobware_sessions dead_at
ALTER TABLE `gobware_sessions` ADD COLUMN `dead_at` datetime(6) AS (LEAST(`idle_until`,`expires_at`)) VIRTUAL;
-- gobware:unless-index gobware_sessions idx_gobware_sessions_dead_at
CREATE INDEX `idx_gobware_sessions_dead_at` ON `gobware_sessions`(`dead_at`);
-- gobware:if-index gobware_sessions idx_gobware_sessions_idle_until
DROP INDEX `idx_gobware_sessions_idle_until` ON `gobware_sessions`;
-- gobware:if-index gobware_sessions idx_gobware_sessions_expires_at
DROP INDEX `idx_gobware_sessions_expires_at` ON `gobware_sessions`;

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',4,'session_dead_at');
