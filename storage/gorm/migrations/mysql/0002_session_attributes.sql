-- +goose Up
-- gobware storage/gorm, MySQL/MariaDB, migration 2: sessions carry their
-- login method, auth time, attributes and remember-me choice. Every column
-- has a default or is nullable, so the sessions of migration 1 stay live
-- (no method, unknown auth time, no attributes, a browser-session cookie).

-- gobware:unless-column gobware_sessions method
ALTER TABLE `gobware_sessions` ADD COLUMN `method` varchar(32) NOT NULL DEFAULT '';
-- gobware:unless-column gobware_sessions auth_time
ALTER TABLE `gobware_sessions` ADD COLUMN `auth_time` datetime(6) DEFAULT NULL;
-- gobware:unless-column gobware_sessions attributes
ALTER TABLE `gobware_sessions` ADD COLUMN `attributes` varchar(1024) NOT NULL DEFAULT '';
-- gobware:unless-column gobware_sessions persistent
ALTER TABLE `gobware_sessions` ADD COLUMN `persistent` tinyint(1) NOT NULL DEFAULT 0;

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',2,'session_attributes');
