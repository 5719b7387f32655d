-- +goose Up
-- gobware storage/gorm, SQLite, migration 1: the tables as the releases
-- before versioned migrations created them, so a database of those
-- releases is taken over as it is (every statement is IF NOT EXISTS).
-- Table and index names start with gobware_; with a table prefix p, every
-- gobware_ below reads p || 'gobware_'.

CREATE TABLE IF NOT EXISTS `gobware_schema_migrations` (`component` text NOT NULL,`version` integer NOT NULL,`name` text NOT NULL,`applied_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY (`component`,`version`));

CREATE TABLE IF NOT EXISTS `gobware_sessions` (`hash` text,`user_id` text NOT NULL,`created_at` datetime NOT NULL,`last_seen_at` datetime NOT NULL,`idle_until` datetime NOT NULL,`expires_at` datetime NOT NULL,`user_agent` text NOT NULL,`ip` text NOT NULL,PRIMARY KEY (`hash`));
CREATE INDEX IF NOT EXISTS `idx_gobware_sessions_expires_at` ON `gobware_sessions`(`expires_at`);
CREATE INDEX IF NOT EXISTS `idx_gobware_sessions_idle_until` ON `gobware_sessions`(`idle_until`);
CREATE INDEX IF NOT EXISTS `idx_gobware_sessions_user_id` ON `gobware_sessions`(`user_id`);

CREATE TABLE IF NOT EXISTS `gobware_refresh_families` (`id` text,`user_id` text NOT NULL,`generation` integer NOT NULL,`current_hash` text NOT NULL,`previous_hash` text NOT NULL,`rotated_at` datetime,`created_at` datetime NOT NULL,`expires_at` datetime NOT NULL,`revoked` numeric NOT NULL DEFAULT false,PRIMARY KEY (`id`));
CREATE INDEX IF NOT EXISTS `idx_gobware_refresh_families_expires_at` ON `gobware_refresh_families`(`expires_at`);
CREATE INDEX IF NOT EXISTS `idx_gobware_refresh_families_user_id` ON `gobware_refresh_families`(`user_id`);

CREATE TABLE IF NOT EXISTS `gobware_revocation_watermarks` (`subject` text,`revoked_us` integer NOT NULL,`expires_us` integer NOT NULL,PRIMARY KEY (`subject`));
CREATE INDEX IF NOT EXISTS `idx_gobware_revocation_watermarks_expires_us` ON `gobware_revocation_watermarks`(`expires_us`);

CREATE TABLE IF NOT EXISTS `gobware_login_failures` (`key_hash` text,`failures` integer NOT NULL,`last_at` datetime NOT NULL,`expires_at` datetime NOT NULL,PRIMARY KEY (`key_hash`));
CREATE INDEX IF NOT EXISTS `idx_gobware_login_failures_expires_at` ON `gobware_login_failures`(`expires_at`);
-- The version column came with the limiter's compare-and-swap: added here,
-- so that tables of the releases before it get it too.
-- gobware:unless-column gobware_login_failures version
ALTER TABLE `gobware_login_failures` ADD COLUMN `version` integer NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS `gobware_passkeys` (`id_hash` text,`credential_id` text NOT NULL,`user_id` text NOT NULL,`name` text NOT NULL,`public_key` blob NOT NULL,`sign_count` integer NOT NULL,`aaguid` blob,`transports` text NOT NULL,`attestation_format` text NOT NULL,`backup_eligible` numeric NOT NULL,`backup_state` numeric NOT NULL,`created_at` datetime NOT NULL,`last_used_at` datetime,PRIMARY KEY (`id_hash`));
CREATE INDEX IF NOT EXISTS `idx_gobware_passkeys_user_id` ON `gobware_passkeys`(`user_id`);

CREATE TABLE IF NOT EXISTS `gobware_passkey_challenges` (`hash` text,`ceremony` text NOT NULL,`user_id` text NOT NULL,`expires_at` datetime NOT NULL,PRIMARY KEY (`hash`));
CREATE INDEX IF NOT EXISTS `idx_gobware_passkey_challenges_expires_at` ON `gobware_passkey_challenges`(`expires_at`);

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',1,'initial');
