package jwttest_test

import (
	"fmt"
	"path/filepath"
	"testing"

	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/storage/gorm/sqlite"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/jwttest"
)

// A refresh-token store's own tests run the suite from a TestXxx function
// of its _test.go file, through a real jwt.Strategy. The Backend function
// returns, as text, every record the backend keeps about the users' token
// families, read straight from the backend, for the checks that storage
// per family is constant and that tokens are stored hashed. A watermark
// store runs TestWatermarkStore the same way. This is the shape of
// storage/gorm's own test.
func Example() {
	testRefreshStore := func(t *testing.T) { // func TestRefreshStore(t *testing.T)
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		store, err := gormstore.NewRefreshStore(db)
		if err != nil {
			t.Fatal(err)
		}
		jwttest.TestRefreshStore(t,
			func(*testing.T) jwt.RefreshStore { return store },
			func(t *testing.T, users ...string) []string {
				var rows []map[string]any
				if err := db.Table(gormstore.RefreshTable).Where("user_id IN ?", users).Find(&rows).Error; err != nil {
					t.Fatal(err)
				}
				var records []string
				for _, row := range rows {
					for column, v := range row {
						if raw, ok := v.([]byte); ok {
							v = string(raw) // as text, so that a token stored as is would show
						}
						records = append(records, fmt.Sprintf("%s=%v", column, v))
					}
				}
				return records
			})
	}
	_ = testRefreshStore
}
