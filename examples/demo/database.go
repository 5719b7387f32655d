package demo

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gobware/gobware/storage/gorm/sqlite"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// OpenDatabase opens DATABASE_URL: "sqlite:<path>" (":memory:" allowed),
// "postgres://…" or "mysql://user:pass@host:port/db". Every error names the
// variable, for the operator reading the start-up message.
func OpenDatabase(rawURL string) (*gorm.DB, error) {
	db, err := openDatabase(rawURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	return db, nil
}

func openDatabase(rawURL string) (*gorm.DB, error) {
	cfg := &gorm.Config{Logger: logger.Discard}
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		return sqlite.Open(strings.TrimPrefix(rawURL, "sqlite:"))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return gorm.Open(postgres.Open(rawURL), cfg)
	case strings.HasPrefix(rawURL, "mysql://"):
		dsn, err := mysqlDSN(rawURL)
		if err != nil {
			return nil, err
		}
		return gorm.Open(mysql.Open(dsn), cfg)
	}
	return nil, fmt.Errorf("want sqlite:<path>, postgres://… or mysql://…")
}

// mysqlDSN turns mysql://user:pass@host:port/db?params into the driver's
// user:pass@tcp(host:port)/db?parseTime=true&params form.
func mysqlDSN(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || strings.Trim(u.Path, "/") == "" {
		return "", fmt.Errorf("want mysql://user:pass@host:port/db")
	}
	q := u.Query()
	q.Set("parseTime", "true")
	if q.Get("loc") == "" {
		q.Set("loc", "UTC")
	}
	pass, _ := u.User.Password()
	return fmt.Sprintf("%s:%s@tcp(%s)/%s?%s", u.User.Username(), pass, u.Host, strings.Trim(u.Path, "/"), q.Encode()), nil
}
