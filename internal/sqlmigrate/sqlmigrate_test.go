package sqlmigrate_test

import (
	"testing"
	"testing/fstest"

	"github.com/gobware/gobware/internal/sqlmigrate"
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
