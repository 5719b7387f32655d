-- +goose Up
-- gobware storage/gorm, PostgreSQL, migration 2: sessions carry their login
-- method, auth time, attributes and remember-me choice. Every column has a
-- default or is nullable, so the sessions of migration 1 stay live (no
-- method, unknown auth time, no attributes, a browser-session cookie).

ALTER TABLE "gobware_sessions" ADD COLUMN IF NOT EXISTS "method" varchar(32) NOT NULL DEFAULT '';
ALTER TABLE "gobware_sessions" ADD COLUMN IF NOT EXISTS "auth_time" timestamptz(6);
ALTER TABLE "gobware_sessions" ADD COLUMN IF NOT EXISTS "attributes" varchar(1024) NOT NULL DEFAULT '';
ALTER TABLE "gobware_sessions" ADD COLUMN IF NOT EXISTS "persistent" boolean NOT NULL DEFAULT false;

INSERT INTO "gobware_schema_migrations" ("component","version","name") VALUES ('storage/gorm',2,'session_attributes');
