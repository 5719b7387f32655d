-- +goose Up
-- gobware storage/gorm, PostgreSQL, migration 1: the tables as the releases
-- before versioned migrations created them, so a database of those
-- releases is taken over as it is (every statement is IF NOT EXISTS).
-- Table and index names start with gobware_; with a table prefix p, every
-- gobware_ below reads p || 'gobware_'.

CREATE TABLE IF NOT EXISTS "gobware_schema_migrations" ("component" varchar(64) NOT NULL,"version" bigint NOT NULL,"name" varchar(255) NOT NULL,"applied_at" timestamptz NOT NULL DEFAULT now(),PRIMARY KEY ("component","version"));

CREATE TABLE IF NOT EXISTS "gobware_sessions" ("hash" varchar(64) NOT NULL,"user_id" varchar(255) NOT NULL,"created_at" timestamptz(6) NOT NULL,"last_seen_at" timestamptz(6) NOT NULL,"idle_until" timestamptz(6) NOT NULL,"expires_at" timestamptz(6) NOT NULL,"user_agent" varchar(256) NOT NULL,"ip" varchar(64) NOT NULL,PRIMARY KEY ("hash"));
CREATE INDEX IF NOT EXISTS "idx_gobware_sessions_expires_at" ON "gobware_sessions" ("expires_at");
CREATE INDEX IF NOT EXISTS "idx_gobware_sessions_idle_until" ON "gobware_sessions" ("idle_until");
CREATE INDEX IF NOT EXISTS "idx_gobware_sessions_user_id" ON "gobware_sessions" ("user_id");

CREATE TABLE IF NOT EXISTS "gobware_refresh_families" ("id" varchar(64) NOT NULL,"user_id" varchar(255) NOT NULL,"generation" bigint NOT NULL,"current_hash" varchar(64) NOT NULL,"previous_hash" varchar(64) NOT NULL,"rotated_at" timestamptz(6),"created_at" timestamptz(6) NOT NULL,"expires_at" timestamptz(6) NOT NULL,"revoked" boolean NOT NULL DEFAULT false,PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "idx_gobware_refresh_families_expires_at" ON "gobware_refresh_families" ("expires_at");
CREATE INDEX IF NOT EXISTS "idx_gobware_refresh_families_user_id" ON "gobware_refresh_families" ("user_id");

CREATE TABLE IF NOT EXISTS "gobware_revocation_watermarks" ("subject" varchar(64) NOT NULL,"revoked_us" bigint NOT NULL,"expires_us" bigint NOT NULL,PRIMARY KEY ("subject"));
CREATE INDEX IF NOT EXISTS "idx_gobware_revocation_watermarks_expires_us" ON "gobware_revocation_watermarks" ("expires_us");

CREATE TABLE IF NOT EXISTS "gobware_login_failures" ("key_hash" varchar(64) NOT NULL,"failures" bigint NOT NULL,"last_at" timestamptz(6) NOT NULL,"expires_at" timestamptz(6) NOT NULL,PRIMARY KEY ("key_hash"));
CREATE INDEX IF NOT EXISTS "idx_gobware_login_failures_expires_at" ON "gobware_login_failures" ("expires_at");
-- The version column came with the limiter's compare-and-swap: added here,
-- so that tables of the releases before it get it too.
ALTER TABLE "gobware_login_failures" ADD COLUMN IF NOT EXISTS "version" bigint NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS "gobware_passkeys" ("id_hash" varchar(64) NOT NULL,"credential_id" varchar(1400) NOT NULL,"user_id" varchar(255) NOT NULL,"name" varchar(256) NOT NULL,"public_key" bytea NOT NULL,"sign_count" bigint NOT NULL,"aaguid" bytea,"transports" varchar(255) NOT NULL,"attestation_format" varchar(32) NOT NULL,"backup_eligible" boolean NOT NULL,"backup_state" boolean NOT NULL,"created_at" timestamptz(6) NOT NULL,"last_used_at" timestamptz(6),PRIMARY KEY ("id_hash"));
CREATE INDEX IF NOT EXISTS "idx_gobware_passkeys_user_id" ON "gobware_passkeys" ("user_id");

CREATE TABLE IF NOT EXISTS "gobware_passkey_challenges" ("hash" varchar(64) NOT NULL,"ceremony" varchar(16) NOT NULL,"user_id" varchar(255) NOT NULL,"expires_at" timestamptz(6) NOT NULL,PRIMARY KEY ("hash"));
CREATE INDEX IF NOT EXISTS "idx_gobware_passkey_challenges_expires_at" ON "gobware_passkey_challenges" ("expires_at");

INSERT INTO "gobware_schema_migrations" ("component","version","name") VALUES ('storage/gorm',1,'initial');
