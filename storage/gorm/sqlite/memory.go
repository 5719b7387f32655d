package sqlite

import (
	"context"
	"database/sql/driver"

	"github.com/mattn/go-sqlite3"
)

// memoryConnector connects to one named in-memory database in shared-cache
// mode, which SQLite destroys when its last connection closes. The
// connector holds a connection of its own from the start, outside
// database/sql's pool, so that nothing the pool does (closing idle or aged
// connections, dropping a bad one) can wipe the database; database/sql
// calls Close when the *sql.DB is closed, and the database goes with it.
type memoryConnector struct {
	dsn  string
	drv  *sqlite3.SQLiteDriver
	keep driver.Conn
}

func newMemoryConnector(dsn string) (*memoryConnector, error) {
	drv := &sqlite3.SQLiteDriver{}
	keep, err := drv.Open(dsn)
	if err != nil {
		return nil, err
	}
	return &memoryConnector{dsn: dsn, drv: drv, keep: keep}, nil
}

// Connect implements driver.Connector.
func (c *memoryConnector) Connect(context.Context) (driver.Conn, error) {
	return c.drv.Open(c.dsn)
}

// Driver implements driver.Connector.
func (c *memoryConnector) Driver() driver.Driver { return c.drv }

// Close releases the database: database/sql calls it from DB.Close.
func (c *memoryConnector) Close() error { return c.keep.Close() }
