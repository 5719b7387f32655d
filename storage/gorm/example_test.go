package gorm_test

import (
	"fmt"

	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/storage/gorm/sqlite"
)

// PostgreSQL or MySQL/MariaDB: open the *gorm.DB with the dialect's driver
// and pass it in; nothing else changes.
//
//	db, err := gorm.Open(postgres.Open(os.Getenv("DATABASE_URL")), &gorm.Config{})
//	sessions, err := gormstore.NewSessionStore(db)
func ExampleNewSessionStore() {
	db, _ := sqlite.Open(":memory:")
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	sessions, err := gormstore.NewSessionStore(db)
	fmt.Println(sessions != nil, err)
	// Output:
	// true <nil>
}
