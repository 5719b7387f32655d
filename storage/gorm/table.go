package gorm

import (
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// prefixedTable returns table after the TablePrefix of namer, when namer is
// gorm's own schema.NamingStrategy.
func prefixedTable(namer schema.Namer, table string) string {
	switch ns := namer.(type) {
	case schema.NamingStrategy:
		return ns.TablePrefix + table
	case *schema.NamingStrategy:
		return ns.TablePrefix + table
	}
	return table
}

// migrateTables runs AutoMigrate with the table options every gobware table needs.
func migrateTables(db *gorm.DB, models ...any) error {
	if db.Dialector.Name() == "mysql" {
		db = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin")
	}
	return db.AutoMigrate(models...)
}
