// Package testdb opens the databases gobware's storage tests run on, so
// that every package tests its SQL code the same way against the same
// engines.
//
// Each runs a test body once per engine, as the subtests "sqlite",
// "postgres" and "mysql":
//
//	func TestStoreKeepsWhatItIsGiven(t *testing.T) {
//		testdb.Each(t, func(t *testing.T, db testdb.DB) {
//			store, err := gormstore.NewSessionStore(db.DB)
//			...
//		})
//	}
//
// SQLite always runs, on a fresh file in t.TempDir() opened with
// storage/gorm/sqlite's Open (the setup applications use). PostgreSQL and
// MySQL/MariaDB run when GOBWARE_TEST_POSTGRES_DSN and GOBWARE_TEST_MYSQL_DSN
// hold a DSN, and are skipped with a message otherwise.
//
// The servers are shared: several packages' tests run against them at the
// same time. Every open therefore gets a random table prefix of its own
// (through GORM's naming strategy, so models and migrations pick it up
// without help), and when the test ends every table with that prefix is
// dropped and the connections are closed. A test may close its database
// itself, to simulate an outage: the tables are dropped through a
// connection of their own.
//
// Open gives one database by name, for tests that need a single engine or
// their own pool settings.
package testdb
