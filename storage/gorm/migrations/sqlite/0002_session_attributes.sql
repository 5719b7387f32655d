-- +goose Up
-- gobware storage/gorm, SQLite, migration 2: sessions carry their login
-- method, auth time, attributes and remember-me choice. Every column has a
-- default or is nullable, so the sessions of migration 1 stay live (no
-- method, unknown auth time, no attributes, a browser-session cookie).

-- gobware:unless-column gobware_sessions method
ALTER TABLE `gobware_sessions` ADD COLUMN `method` text NOT NULL DEFAULT '';
-- gobware:unless-column gobware_sessions auth_time
ALTER TABLE `gobware_sessions` ADD COLUMN `auth_time` datetime;
-- gobware:unless-column gobware_sessions attributes
ALTER TABLE `gobware_sessions` ADD COLUMN `attributes` text NOT NULL DEFAULT '';
-- gobware:unless-column gobware_sessions persistent
ALTER TABLE `gobware_sessions` ADD COLUMN `persistent` numeric NOT NULL DEFAULT false;

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',2,'session_attributes');
