-- +goose Up
-- gobware cart, PostgreSQL, migration 1: the tables as the releases before
-- versioned migrations created them, so a database of those releases is
-- taken over as it is (every statement is IF NOT EXISTS). Table names start
-- with gobware_; with a table prefix p, every gobware_ below reads
-- p || 'gobware_'.

CREATE TABLE IF NOT EXISTS "gobware_schema_migrations" ("component" varchar(64) NOT NULL,"version" bigint NOT NULL,"name" varchar(255) NOT NULL,"applied_at" timestamptz NOT NULL DEFAULT now(),PRIMARY KEY ("component","version"));

CREATE TABLE IF NOT EXISTS "gobware_products" ("sku" varchar(64) NOT NULL,"name" varchar(255) NOT NULL,"price_cents" bigint NOT NULL,PRIMARY KEY ("sku"));
CREATE TABLE IF NOT EXISTS "gobware_cart_items" ("user_id" varchar(255) NOT NULL,"sku" varchar(64) NOT NULL,"quantity" bigint NOT NULL,"created_at" timestamptz NOT NULL,PRIMARY KEY ("user_id","sku"));

INSERT INTO "gobware_schema_migrations" ("component","version","name") VALUES ('cart',1,'initial');
