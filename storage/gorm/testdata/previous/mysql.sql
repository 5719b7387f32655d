-- The schema the release before versioned migrations created (AutoMigrate
-- of its models), dumped from a database it set up, for the upgrade tests.
CREATE TABLE `gobware_login_failures` (
  `key_hash` varchar(64) NOT NULL,
  `failures` bigint(20) NOT NULL,
  `last_at` datetime(6) NOT NULL,
  `expires_at` datetime(6) NOT NULL,
  `version` bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (`key_hash`),
  KEY `idx_gobware_login_failures_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE `gobware_passkey_challenges` (
  `hash` varchar(64) NOT NULL,
  `ceremony` varchar(16) NOT NULL,
  `user_id` varchar(255) NOT NULL,
  `expires_at` datetime(6) NOT NULL,
  PRIMARY KEY (`hash`),
  KEY `idx_gobware_passkey_challenges_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE `gobware_passkeys` (
  `id_hash` varchar(64) NOT NULL,
  `credential_id` varchar(1400) NOT NULL,
  `user_id` varchar(255) NOT NULL,
  `name` varchar(256) NOT NULL,
  `public_key` longblob NOT NULL,
  `sign_count` bigint(20) NOT NULL,
  `aaguid` longblob DEFAULT NULL,
  `transports` varchar(255) NOT NULL,
  `attestation_format` varchar(32) NOT NULL,
  `backup_eligible` tinyint(1) NOT NULL,
  `backup_state` tinyint(1) NOT NULL,
  `created_at` datetime(6) NOT NULL,
  `last_used_at` datetime(6) DEFAULT NULL,
  PRIMARY KEY (`id_hash`),
  KEY `idx_gobware_passkeys_user_id` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE `gobware_refresh_families` (
  `id` varchar(64) NOT NULL,
  `user_id` varchar(255) NOT NULL,
  `generation` bigint(20) NOT NULL,
  `current_hash` varchar(64) NOT NULL,
  `previous_hash` varchar(64) NOT NULL,
  `rotated_at` datetime(6) DEFAULT NULL,
  `created_at` datetime(6) NOT NULL,
  `expires_at` datetime(6) NOT NULL,
  `revoked` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`),
  KEY `idx_gobware_refresh_families_user_id` (`user_id`),
  KEY `idx_gobware_refresh_families_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE `gobware_revocation_watermarks` (
  `subject` varchar(64) NOT NULL,
  `revoked_us` bigint(20) NOT NULL,
  `expires_us` bigint(20) NOT NULL,
  PRIMARY KEY (`subject`),
  KEY `idx_gobware_revocation_watermarks_expires_us` (`expires_us`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE `gobware_sessions` (
  `hash` varchar(64) NOT NULL,
  `user_id` varchar(255) NOT NULL,
  `created_at` datetime(6) NOT NULL,
  `last_seen_at` datetime(6) NOT NULL,
  `idle_until` datetime(6) NOT NULL,
  `expires_at` datetime(6) NOT NULL,
  `user_agent` varchar(256) NOT NULL,
  `ip` varchar(64) NOT NULL,
  PRIMARY KEY (`hash`),
  KEY `idx_gobware_sessions_user_id` (`user_id`),
  KEY `idx_gobware_sessions_idle_until` (`idle_until`),
  KEY `idx_gobware_sessions_expires_at` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
