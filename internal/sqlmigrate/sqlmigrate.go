package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/gobware/gobware/internal/tableprefix"
)

// Table is the name of the table of applied versions, before the prefix.
const Table = "gobware_schema_migrations"

// Migration is one numbered file of one dialect.
type Migration struct {
	Version int
	Name    string // from the file name: 0002_session_attributes.sql is "session_attributes"
	SQL     string // as written, for an empty table prefix
}

// Dir returns the "migrations" directory of an embedded tree, the one a
// package's Migrations function hands out: a directory per dialect as
// GORM names it (sqlite, postgres, mysql) of NNNN_name.sql files.
func Dir(embedded fs.FS) fs.FS {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		panic(err) // only for an invalid path, and this one is valid
	}
	return sub
}

// Load returns the migrations of dialect in fsys, by version. Each file
// must be named NNNN_name.sql, numbered from 1 without gaps, and end by
// recording itself for component in Table.
func Load(fsys fs.FS, dialect, component string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dialect)
	if err != nil {
		return nil, fmt.Errorf("sqlmigrate: no migrations for %s: %w", dialect, err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("sqlmigrate: %s/%s: want NNNN_name.sql", dialect, e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dialect, e.Name()))
		if err != nil {
			return nil, err
		}
		m := Migration{Version: v, Name: name, SQL: string(b)}
		if !strings.Contains(m.SQL, fmt.Sprintf("VALUES ('%s',%d,'%s');", component, v, name)) {
			return nil, fmt.Errorf("sqlmigrate: %s/%s does not record itself as (%q, %d, %q) in %s", dialect, e.Name(), component, v, name, Table)
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlmigrate: %s: migration %d is missing or repeated", dialect, i+1)
		}
	}
	return out, nil
}

// Render returns sql for the table prefix: every gobware_ (table and index
// names) becomes prefix + "gobware_".
func Render(sql, prefix string) string {
	if prefix == "" {
		return sql
	}
	return strings.ReplaceAll(sql, "gobware_", prefix+"gobware_")
}

// Statement is one statement of a migration.
type Statement struct {
	SQL string
	// UnlessColumn, when set, names a table and a column: the statement
	// (an ALTER TABLE … ADD COLUMN) runs only when the table lacks the
	// column. A line "-- gobware:unless-column <table> <column>" before
	// the statement sets it, for dialects without ADD COLUMN IF NOT
	// EXISTS (SQLite, MySQL); other tools read it as a comment.
	UnlessColumn [2]string
	// IfIndex and UnlessIndex, when set, name a table and an index: the
	// statement runs only when the table has the index (IfIndex: a DROP
	// INDEX) or lacks it (UnlessIndex: a CREATE INDEX). Lines
	// "-- gobware:if-index <table> <index>" and
	// "-- gobware:unless-index <table> <index>" set them, for MySQL, which
	// has neither DROP INDEX IF EXISTS nor CREATE INDEX IF NOT EXISTS.
	IfIndex, UnlessIndex [2]string
}

// The comments that set a Statement's guards.
const (
	guardUnlessColumn = "-- gobware:unless-column "
	guardIfIndex      = "-- gobware:if-index "
	guardUnlessIndex  = "-- gobware:unless-index "
)

// Statements splits a migration into its statements: comment lines are
// dropped, and a statement ends with a line ending in a semicolon.
func Statements(sql string) []Statement {
	var out []Statement
	var cur strings.Builder
	var next Statement // the guards read so far
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			next.SQL = s
			out = append(out, next)
		}
		cur.Reset()
		next = Statement{}
	}
	guards := []struct {
		prefix string
		field  func(*Statement) *[2]string
	}{
		{guardUnlessColumn, func(s *Statement) *[2]string { return &s.UnlessColumn }},
		{guardIfIndex, func(s *Statement) *[2]string { return &s.IfIndex }},
		{guardUnlessIndex, func(s *Statement) *[2]string { return &s.UnlessIndex }},
	}
lines:
	for line := range strings.Lines(sql) {
		t := strings.TrimSpace(line)
		for _, g := range guards {
			if rest, ok := strings.CutPrefix(t, g.prefix); ok {
				if f := strings.Fields(rest); len(f) == 2 {
					*g.field(&next) = [2]string{f[0], f[1]}
				}
				continue lines
			}
		}
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(t, ";") {
			flush()
		}
	}
	flush()
	return out
}

// LockTimeout bounds how long Apply waits for another server's run on
// MySQL/MariaDB (PostgreSQL and SQLite wait as long as ctx allows, SQLite
// within its busy timeout).
const LockTimeout = 60 * time.Second

// Apply applies the migrations of component in fsys that db has not
// recorded yet, in order, under the lock described in the package doc.
// It returns the versions it applied.
func Apply(ctx context.Context, db *gorm.DB, component string, fsys fs.FS) ([]int, error) {
	dialect := db.Dialector.Name()
	migrations, err := Load(fsys, dialect, component)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	prefix := tableprefix.Of(db.NamingStrategy)
	table := prefix + Table
	r := run{conn: conn, dialect: dialect, table: table, component: component}
	unlock, err := r.lock(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlmigrate: lock: %w", err)
	}
	applied, err := r.apply(ctx, migrations, prefix)
	if uerr := unlock(err == nil); err == nil && uerr != nil {
		return nil, fmt.Errorf("sqlmigrate: unlock: %w", uerr)
	}
	return applied, err
}

type run struct {
	conn             *sql.Conn
	dialect          string
	table, component string
}

// lock takes the run's lock; unlock(ok) releases it (on SQLite, committing
// the run when ok, else rolling it back).
func (r run) lock(ctx context.Context) (unlock func(ok bool) error, err error) {
	switch r.dialect {
	case "postgres":
		h := fnv.New64a()
		h.Write([]byte("gobware migrations\x00" + r.table))
		key := int64(h.Sum64())
		if _, err := r.conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
			return nil, err
		}
		return func(bool) error {
			_, err := r.conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
			return err
		}, nil
	case "mysql":
		// Named locks are server-wide: the name covers the database and
		// the table, hashed to stay within MySQL's 64 characters.
		const name = "CONCAT('gobware_migrate:', LEFT(SHA2(CONCAT(DATABASE(), '.', ?), 256), 40))"
		var got sql.NullInt64
		if err := r.conn.QueryRowContext(ctx, "SELECT GET_LOCK("+name+", ?)", r.table, int(LockTimeout.Seconds())).Scan(&got); err != nil {
			return nil, err
		}
		if got.Int64 != 1 {
			return nil, fmt.Errorf("another server held the migration lock for %s", LockTimeout)
		}
		return func(bool) error {
			_, err := r.conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK("+name+")", r.table)
			return err
		}, nil
	case "sqlite":
		if _, err := r.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return nil, err
		}
		return func(ok bool) error {
			end := "ROLLBACK"
			if ok {
				end = "COMMIT"
			}
			_, err := r.conn.ExecContext(context.WithoutCancel(ctx), end)
			return err
		}, nil
	}
	return nil, fmt.Errorf("dialect %q has no migrations", r.dialect)
}

func (r run) bind(i int) string {
	if r.dialect == "postgres" {
		return "$" + strconv.Itoa(i)
	}
	return "?"
}

// apply runs under the lock: it reads the recorded versions and applies
// the others.
func (r run) apply(ctx context.Context, migrations []Migration, prefix string) ([]int, error) {
	// The first statement of migration 1 creates the table of versions.
	create := Statements(Render(migrations[0].SQL, prefix))[0].SQL
	if !strings.Contains(create, r.table) {
		return nil, fmt.Errorf("sqlmigrate: migration 1 must begin by creating %s", r.table)
	}
	if _, err := r.conn.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("sqlmigrate: create %s: %w", r.table, err)
	}
	rows, err := r.conn.QueryContext(ctx, "SELECT version FROM "+r.table+" WHERE component = "+r.bind(1), r.component)
	if err != nil {
		return nil, fmt.Errorf("sqlmigrate: read %s: %w", r.table, err)
	}
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range migrations {
		if done[m.Version] {
			continue
		}
		if err := r.one(ctx, m, prefix); err != nil {
			return applied, fmt.Errorf("sqlmigrate: %s migration %d (%s): %w", r.component, m.Version, m.Name, err)
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}

// one applies m: in a transaction of its own on PostgreSQL, inside the
// run's transaction on SQLite, statement by statement on MySQL/MariaDB.
func (r run) one(ctx context.Context, m Migration, prefix string) (err error) {
	if r.dialect == "postgres" {
		if _, err := r.conn.ExecContext(ctx, "BEGIN"); err != nil {
			return err
		}
		defer func() {
			end := "COMMIT"
			if err != nil {
				end = "ROLLBACK"
			}
			if _, e := r.conn.ExecContext(context.WithoutCancel(ctx), end); err == nil {
				err = e
			}
		}()
	}
	for _, stmt := range Statements(Render(m.SQL, prefix)) {
		run, err := r.guarded(ctx, stmt)
		if err != nil {
			return err
		}
		if !run {
			continue
		}
		if _, err := r.conn.ExecContext(ctx, stmt.SQL); err != nil {
			return errors.Join(err, fmt.Errorf("in: %.200s", stmt.SQL))
		}
	}
	return nil
}

// guarded reports whether stmt's guards let it run.
func (r run) guarded(ctx context.Context, stmt Statement) (bool, error) {
	if t := stmt.UnlessColumn; t[0] != "" {
		has, err := r.hasColumn(ctx, t[0], t[1])
		if err != nil || has {
			return false, err
		}
	}
	for _, g := range []struct {
		index [2]string
		want  bool
	}{{stmt.IfIndex, true}, {stmt.UnlessIndex, false}} {
		if g.index[0] == "" {
			continue
		}
		has, err := r.hasIndex(ctx, g.index[0], g.index[1])
		if err != nil || has != g.want {
			return false, err
		}
	}
	return true, nil
}

// hasIndex reports whether table has the index named index, asking on the
// run's own connection.
func (r run) hasIndex(ctx context.Context, table, index string) (bool, error) {
	return r.exists(ctx, table, index, catalogQuery{
		sqlite:   "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?",
		postgres: "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname = $2",
		mysql:    "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?",
	})
}

// hasColumn reports whether table has column, asking on the run's own
// connection (on SQLite it holds the write lock, and an in-memory
// database has no other).
func (r run) hasColumn(ctx context.Context, table, column string) (bool, error) {
	return r.exists(ctx, table, column, catalogQuery{
		sqlite:   "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?",
		postgres: "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2",
		mysql:    "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?",
	})
}

// catalogQuery counts the rows of a database's catalog naming a table and
// one of its parts, one query per dialect.
type catalogQuery struct{ sqlite, postgres, mysql string }

// exists runs the dialect's query of q for table and name on the run's own
// connection and reports whether it counted any row.
func (r run) exists(ctx context.Context, table, name string, q catalogQuery) (bool, error) {
	query := q.mysql
	switch r.dialect {
	case "sqlite":
		query = q.sqlite
	case "postgres":
		query = q.postgres
	}
	var n int
	if err := r.conn.QueryRowContext(ctx, query, table, name).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
