package gorm

import (
	"gorm.io/gorm"
)

// migrateTables runs AutoMigrate with the table options every gobware table needs.
func migrateTables(db *gorm.DB, models ...any) error {
	if db.Dialector.Name() == "mysql" {
		db = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin")
	}
	return db.AutoMigrate(models...)
}
