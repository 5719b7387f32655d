package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const (
	module    = "github.com/gobware/gobware"
	sqliteDrv = "github.com/mattn/go-sqlite3"
	opener    = module + "/storage/gorm/sqlite"
)

// Only the code that opens SQLite may link the cgo SQLite driver: every
// package of the module that depends on it must do so through
// storage/gorm/sqlite. (CI also builds every other package, and this
// program, with CGO_ENABLED=0.)
func TestOnlyCodeThatOpensSQLiteLinksTheSQLiteDriver(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not in PATH")
	}
	out, err := exec.Command(goTool, "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		deps[fields[0]] = fields[1:]
	}
	for _, pkg := range []string{module + "/internal/cgofree", module + "/storage/gorm", opener} {
		if _, ok := deps[pkg]; !ok {
			t.Fatalf("go list did not list %s; got %d packages", pkg, len(deps))
		}
	}
	if !slices.Contains(deps[opener], sqliteDrv) {
		t.Fatalf("%s does not link %s; this test would prove nothing", opener, sqliteDrv)
	}
	for pkg, d := range deps {
		if pkg != opener && slices.Contains(d, sqliteDrv) && !slices.Contains(d, opener) {
			t.Errorf("%s links %s without opening SQLite through %s", pkg, sqliteDrv, opener)
		}
	}
	for _, pkg := range []string{module + "/internal/cgofree", module + "/storage/gorm"} {
		if slices.Contains(deps[pkg], sqliteDrv) {
			t.Errorf("%s links %s; an application on PostgreSQL must not need cgo", pkg, sqliteDrv)
		}
	}
}
