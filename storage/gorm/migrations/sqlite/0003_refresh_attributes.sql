-- +goose Up
-- gobware storage/gorm, SQLite, migration 3: refresh-token families carry
-- what the login recorded (method, auth time, attributes). Each column has
-- a default or is nullable, so the families of earlier migrations keep
-- rotating, carrying nothing.

-- gobware:unless-column gobware_refresh_families method
ALTER TABLE `gobware_refresh_families` ADD COLUMN `method` text NOT NULL DEFAULT '';
-- gobware:unless-column gobware_refresh_families auth_time
ALTER TABLE `gobware_refresh_families` ADD COLUMN `auth_time` datetime;
-- gobware:unless-column gobware_refresh_families attributes
ALTER TABLE `gobware_refresh_families` ADD COLUMN `attributes` text NOT NULL DEFAULT '';

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',3,'refresh_attributes');
