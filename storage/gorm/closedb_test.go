package gorm_test

import "gorm.io/gorm"

// closeDB closes the connections of db, as an application shutting down
// or a database going away would.
func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
