-- +goose Up
-- gobware cart, SQLite, migration 1: the tables as the releases before
-- versioned migrations created them, so a database of those releases is
-- taken over as it is (every statement is IF NOT EXISTS). Table names start
-- with gobware_; with a table prefix p, every gobware_ below reads
-- p || 'gobware_'.

CREATE TABLE IF NOT EXISTS `gobware_schema_migrations` (`component` text NOT NULL,`version` integer NOT NULL,`name` text NOT NULL,`applied_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY (`component`,`version`));

CREATE TABLE IF NOT EXISTS `gobware_products` (`sku` text,`name` text NOT NULL,`price_cents` integer NOT NULL,PRIMARY KEY (`sku`));
CREATE TABLE IF NOT EXISTS `gobware_cart_items` (`user_id` text,`sku` text,`quantity` integer NOT NULL,`created_at` datetime NOT NULL,PRIMARY KEY (`user_id`,`sku`));

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('cart',1,'initial');
