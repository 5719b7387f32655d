-- +goose Up
-- gobware storage/gorm, MySQL/MariaDB, migration 1: the tables as the
-- releases before versioned migrations created them, so a database of
-- those releases is taken over as it is (every statement is IF NOT EXISTS).
-- utf8mb4 with a binary collation, so that IDs differing only in case are
-- never confused. Table and index names start with gobware_; with a table
-- prefix p, every gobware_ below reads p followed by gobware_.

CREATE TABLE IF NOT EXISTS `gobware_schema_migrations` (`component` varchar(64) NOT NULL,`version` bigint NOT NULL,`name` varchar(255) NOT NULL,`applied_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),PRIMARY KEY (`component`,`version`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `gobware_sessions` (`hash` varchar(64) NOT NULL,`user_id` varchar(255) NOT NULL,`created_at` datetime(6) NOT NULL,`last_seen_at` datetime(6) NOT NULL,`idle_until` datetime(6) NOT NULL,`expires_at` datetime(6) NOT NULL,`user_agent` varchar(256) NOT NULL,`ip` varchar(64) NOT NULL,PRIMARY KEY (`hash`),KEY `idx_gobware_sessions_user_id` (`user_id`),KEY `idx_gobware_sessions_idle_until` (`idle_until`),KEY `idx_gobware_sessions_expires_at` (`expires_at`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `gobware_refresh_families` (`id` varchar(64) NOT NULL,`user_id` varchar(255) NOT NULL,`generation` bigint NOT NULL,`current_hash` varchar(64) NOT NULL,`previous_hash` varchar(64) NOT NULL,`rotated_at` datetime(6) DEFAULT NULL,`created_at` datetime(6) NOT NULL,`expires_at` datetime(6) NOT NULL,`revoked` tinyint(1) NOT NULL DEFAULT 0,PRIMARY KEY (`id`),KEY `idx_gobware_refresh_families_user_id` (`user_id`),KEY `idx_gobware_refresh_families_expires_at` (`expires_at`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `gobware_revocation_watermarks` (`subject` varchar(64) NOT NULL,`revoked_us` bigint NOT NULL,`expires_us` bigint NOT NULL,PRIMARY KEY (`subject`),KEY `idx_gobware_revocation_watermarks_expires_us` (`expires_us`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `gobware_login_failures` (`key_hash` varchar(64) NOT NULL,`failures` bigint NOT NULL,`last_at` datetime(6) NOT NULL,`expires_at` datetime(6) NOT NULL,PRIMARY KEY (`key_hash`),KEY `idx_gobware_login_failures_expires_at` (`expires_at`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- The version column came with the limiter's compare-and-swap: added here,
-- so that tables of the releases before it get it too.
-- gobware:unless-column gobware_login_failures version
ALTER TABLE `gobware_login_failures` ADD COLUMN `version` bigint NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS `gobware_passkeys` (`id_hash` varchar(64) NOT NULL,`credential_id` varchar(1400) NOT NULL,`user_id` varchar(255) NOT NULL,`name` varchar(256) NOT NULL,`public_key` longblob NOT NULL,`sign_count` bigint NOT NULL,`aaguid` longblob DEFAULT NULL,`transports` varchar(255) NOT NULL,`attestation_format` varchar(32) NOT NULL,`backup_eligible` tinyint(1) NOT NULL,`backup_state` tinyint(1) NOT NULL,`created_at` datetime(6) NOT NULL,`last_used_at` datetime(6) DEFAULT NULL,PRIMARY KEY (`id_hash`),KEY `idx_gobware_passkeys_user_id` (`user_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `gobware_passkey_challenges` (`hash` varchar(64) NOT NULL,`ceremony` varchar(16) NOT NULL,`user_id` varchar(255) NOT NULL,`expires_at` datetime(6) NOT NULL,PRIMARY KEY (`hash`),KEY `idx_gobware_passkey_challenges_expires_at` (`expires_at`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',1,'initial');
