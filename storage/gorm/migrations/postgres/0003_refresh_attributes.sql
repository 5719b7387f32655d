-- +goose Up
-- gobware storage/gorm, PostgreSQL, migration 3: refresh-token families
-- carry what the login recorded (method, auth time, attributes). Each
-- column has a default or is nullable, so the families of earlier
-- migrations keep rotating, carrying nothing.

ALTER TABLE "gobware_refresh_families" ADD COLUMN IF NOT EXISTS "method" varchar(32) NOT NULL DEFAULT '';
ALTER TABLE "gobware_refresh_families" ADD COLUMN IF NOT EXISTS "auth_time" timestamptz(6);
ALTER TABLE "gobware_refresh_families" ADD COLUMN IF NOT EXISTS "attributes" varchar(1024) NOT NULL DEFAULT '';

INSERT INTO "gobware_schema_migrations" ("component","version","name") VALUES ('storage/gorm',3,'refresh_attributes');
