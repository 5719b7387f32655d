-- +goose Up
-- gobware storage/gorm, MySQL/MariaDB, migration 3: refresh-token families
-- carry what the login recorded (method, auth time, attributes). Each
-- column has a default or is nullable, so the families of earlier
-- migrations keep rotating, carrying nothing.

-- gobware:unless-column gobware_refresh_families method
ALTER TABLE `gobware_refresh_families` ADD COLUMN `method` varchar(32) NOT NULL DEFAULT '';
-- gobware:unless-column gobware_refresh_families auth_time
ALTER TABLE `gobware_refresh_families` ADD COLUMN `auth_time` datetime(6) DEFAULT NULL;
-- gobware:unless-column gobware_refresh_families attributes
ALTER TABLE `gobware_refresh_families` ADD COLUMN `attributes` varchar(1024) NOT NULL DEFAULT '';

INSERT INTO `gobware_schema_migrations` (`component`,`version`,`name`) VALUES ('storage/gorm',3,'refresh_attributes');
