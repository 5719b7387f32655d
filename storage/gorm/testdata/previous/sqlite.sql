-- The schema the release before versioned migrations created (AutoMigrate
-- of its models), dumped from a database it set up, for the upgrade tests.
CREATE TABLE `gobware_sessions` (`hash` text,`user_id` text NOT NULL,`created_at` datetime NOT NULL,`last_seen_at` datetime NOT NULL,`idle_until` datetime NOT NULL,`expires_at` datetime NOT NULL,`user_agent` text NOT NULL,`ip` text NOT NULL,PRIMARY KEY (`hash`));
CREATE INDEX `idx_gobware_sessions_expires_at` ON `gobware_sessions`(`expires_at`);
CREATE INDEX `idx_gobware_sessions_idle_until` ON `gobware_sessions`(`idle_until`);
CREATE INDEX `idx_gobware_sessions_user_id` ON `gobware_sessions`(`user_id`);
CREATE TABLE `gobware_refresh_families` (`id` text,`user_id` text NOT NULL,`generation` integer NOT NULL,`current_hash` text NOT NULL,`previous_hash` text NOT NULL,`rotated_at` datetime,`created_at` datetime NOT NULL,`expires_at` datetime NOT NULL,`revoked` numeric NOT NULL DEFAULT false,PRIMARY KEY (`id`));
CREATE INDEX `idx_gobware_refresh_families_expires_at` ON `gobware_refresh_families`(`expires_at`);
CREATE INDEX `idx_gobware_refresh_families_user_id` ON `gobware_refresh_families`(`user_id`);
CREATE TABLE `gobware_revocation_watermarks` (`subject` text,`revoked_us` integer NOT NULL,`expires_us` integer NOT NULL,PRIMARY KEY (`subject`));
CREATE INDEX `idx_gobware_revocation_watermarks_expires_us` ON `gobware_revocation_watermarks`(`expires_us`);
CREATE TABLE `gobware_login_failures` (`key_hash` text,`failures` integer NOT NULL,`last_at` datetime NOT NULL,`expires_at` datetime NOT NULL,`version` integer NOT NULL DEFAULT 0,PRIMARY KEY (`key_hash`));
CREATE INDEX `idx_gobware_login_failures_expires_at` ON `gobware_login_failures`(`expires_at`);
CREATE TABLE `gobware_passkeys` (`id_hash` text,`credential_id` text NOT NULL,`user_id` text NOT NULL,`name` text NOT NULL,`public_key` blob NOT NULL,`sign_count` integer NOT NULL,`aaguid` blob,`transports` text NOT NULL,`attestation_format` text NOT NULL,`backup_eligible` numeric NOT NULL,`backup_state` numeric NOT NULL,`created_at` datetime NOT NULL,`last_used_at` datetime,PRIMARY KEY (`id_hash`));
CREATE INDEX `idx_gobware_passkeys_user_id` ON `gobware_passkeys`(`user_id`);
CREATE TABLE `gobware_passkey_challenges` (`hash` text,`ceremony` text NOT NULL,`user_id` text NOT NULL,`expires_at` datetime NOT NULL,PRIMARY KEY (`hash`));
CREATE INDEX `idx_gobware_passkey_challenges_expires_at` ON `gobware_passkey_challenges`(`expires_at`);
