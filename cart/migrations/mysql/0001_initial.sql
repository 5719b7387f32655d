-- +goose Up
-- gobware cart, MySQL/MariaDB, migration 1: the tables as the releases
-- before versioned migrations created them, so a database of those
-- releases is taken over as it is (every statement is IF NOT EXISTS). User
-- IDs and SKUs are VARBINARY, compared byte for byte. Table names start
-- with gobware_; with a table prefix p, every gobware_ below reads p
-- followed by gobware_.

CREATE TABLE IF NOT EXISTS `gobware_schema_migrations` (`component` varchar(64) NOT NULL,`version` bigint NOT NULL,`name` varchar(255) NOT NULL,`applied_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),PRIMARY KEY (`component`,`version`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS `gobware_products` (`sku` varbinary(64) NOT NULL,`name` varchar(255) NOT NULL,`price_cents` bigint NOT NULL,PRIMARY KEY (`sku`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS `gobware_cart_items` (`user_id` varbinary(255) NOT NULL,`sku` varbinary(64) NOT NULL,`quantity` bigint NOT NULL,`created_at` datetime(3) NOT NULL,PRIMARY KEY (`user_id`,`sku`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('cart',1,'initial');
