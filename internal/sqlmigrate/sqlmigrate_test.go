package sqlmigrate_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/gobware/gobware/internal/sqlmigrate"
	"github.com/gobware/gobware/internal/testdb"
)

func TestStatementsSplitsOnSemicolonsAtLineEndsAndReadsGuards(t *testing.T) {
	src := `-- +goose Up
-- a comment
CREATE TABLE gobware_a (x int,
  y int);
-- gobware:unless-column gobware_a z
ALTER TABLE gobware_a ADD COLUMN z int;
INSERT INTO gobware_schema_migrations (component,version,name) VALUES ('c',1,'a');`
	got := sqlmigrate.Statements(sqlmigrate.Render(src, "p_"))
	if len(got) != 3 {
		t.Fatalf("Statements = %d statements %q; want 3", len(got), got)
	}
	if got[0].SQL != "CREATE TABLE p_gobware_a (x int,\n  y int);" || got[0].UnlessColumn != [2]string{} {
		t.Errorf("first = %+v", got[0])
	}
	if got[1].UnlessColumn != [2]string{"p_gobware_a", "z"} {
		t.Errorf("second's guard = %q; want the prefixed table and z", got[1].UnlessColumn)
	}
}

func TestStatementsReadsIndexGuards(t *testing.T) {
	src := `-- gobware:if-index gobware_a idx_gobware_a_x
DROP INDEX idx_gobware_a_x ON gobware_a;
-- gobware:unless-index gobware_a idx_gobware_a_y
CREATE INDEX idx_gobware_a_y ON gobware_a (y);
CREATE INDEX idx_gobware_a_z ON gobware_a (z);`
	got := sqlmigrate.Statements(sqlmigrate.Render(src, "p_"))
	if len(got) != 3 {
		t.Fatalf("Statements = %d statements %q; want 3", len(got), got)
	}
	if got[0].IfIndex != [2]string{"p_gobware_a", "idx_p_gobware_a_x"} || got[0].UnlessIndex != [2]string{} {
		t.Errorf("first's guards = %+v; want if-index on the prefixed names", got[0])
	}
	if got[1].UnlessIndex != [2]string{"p_gobware_a", "idx_p_gobware_a_y"} || got[1].IfIndex != [2]string{} {
		t.Errorf("second's guards = %+v; want unless-index on the prefixed names", got[1])
	}
	if got[2].IfIndex != [2]string{} || got[2].UnlessIndex != [2]string{} || got[2].UnlessColumn != [2]string{} {
		t.Errorf("third = %+v; want no guard (a guard covers one statement)", got[2])
	}
}

// The index guards skip a statement that would fail: a CREATE INDEX of an
// index that exists, a DROP INDEX of one that does not.
func TestApplyHonoursIndexGuards(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		drop := func(index string) string { return "DROP INDEX " + index + ";" }
		if d.Name == "mysql" {
			drop = func(index string) string { return "DROP INDEX " + index + " ON gobware_t;" }
		}
		files := fstest.MapFS{
			d.Name + "/0001_a.sql": {Data: []byte(`CREATE TABLE IF NOT EXISTS gobware_schema_migrations (component varchar(64) NOT NULL, version int NOT NULL, name varchar(64) NOT NULL, PRIMARY KEY (component, version));
CREATE TABLE gobware_t (a int, b int, c int);
CREATE INDEX idx_gobware_t_a ON gobware_t (a);
CREATE INDEX idx_gobware_t_b ON gobware_t (b);
INSERT INTO gobware_schema_migrations (component,version,name) VALUES ('c',1,'a');
`)},
			d.Name + "/0002_b.sql": {Data: []byte(`-- gobware:if-index gobware_t idx_gobware_t_a
` + drop("idx_gobware_t_a") + `
-- gobware:if-index gobware_t idx_gobware_t_missing
` + drop("idx_gobware_t_missing") + `
-- gobware:unless-index gobware_t idx_gobware_t_b
CREATE INDEX idx_gobware_t_b ON gobware_t (b);
-- gobware:unless-index gobware_t idx_gobware_t_c
CREATE INDEX idx_gobware_t_c ON gobware_t (c);
INSERT INTO gobware_schema_migrations (component,version,name) VALUES ('c',2,'b');
`)},
		}
		applied, err := sqlmigrate.Apply(context.Background(), d.DB, "c", files)
		if err != nil || len(applied) != 2 {
			t.Fatalf("Apply = %v, %v; want [1 2]", applied, err)
		}
		table := d.Prefix + "gobware_t"
		for index, want := range map[string]bool{"a": false, "b": true, "c": true} {
			name := "idx_" + table + "_" + index
			if got := d.DB.Migrator().HasIndex(table, name); got != want {
				t.Errorf("after Apply, index %s exists = %v; want %v", name, got, want)
			}
		}
	})
}

func TestLoadRefusesFilesThatWouldBreakTheRecord(t *testing.T) {
	rec := func(v, name string) string {
		return "CREATE TABLE gobware_schema_migrations (x int);\nINSERT INTO gobware_schema_migrations (component,version,name) VALUES ('c'," + v + ",'" + name + "');\n"
	}
	tests := []struct {
		what  string
		files fstest.MapFS
		ok    bool
	}{
		{"numbered from 1, each recording itself", fstest.MapFS{"sqlite/0001_a.sql": {Data: []byte(rec("1", "a"))}, "sqlite/0002_b.sql": {Data: []byte(rec("2", "b"))}}, true},
		{"a gap in the numbers", fstest.MapFS{"sqlite/0001_a.sql": {Data: []byte(rec("1", "a"))}, "sqlite/0003_c.sql": {Data: []byte(rec("3", "c"))}}, false},
		{"a file that does not record itself", fstest.MapFS{"sqlite/0001_a.sql": {Data: []byte("CREATE TABLE x (y int);")}}, false},
		{"a file recording another version", fstest.MapFS{"sqlite/0001_a.sql": {Data: []byte(rec("2", "a"))}}, false},
		{"a badly named file", fstest.MapFS{"sqlite/first.sql": {Data: []byte(rec("1", "a"))}}, false},
		{"no directory for the dialect", fstest.MapFS{"postgres/0001_a.sql": {Data: []byte(rec("1", "a"))}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			_, err := sqlmigrate.Load(tt.files, "sqlite", "c")
			if (err == nil) != tt.ok {
				t.Errorf("Load = %v; want ok=%v", err, tt.ok)
			}
		})
	}
}
