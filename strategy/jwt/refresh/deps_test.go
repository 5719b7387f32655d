package refresh_test

import (
	"os/exec"
	"strings"
	"testing"
)

// goListDeps returns every package pkgs depend on, as `go list -deps` says.
func goListDeps(t *testing.T, pkgs ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).Output()
	if err != nil {
		t.Fatalf("go list -deps %v: %v", pkgs, err)
	}
	return strings.Fields(string(out))
}

// The refresh-token contract is what the stores import instead of the
// strategy, so that an application using only session cookies does not
// compile the JOSE library.
func TestStoresDoNotDependOnJOSE(t *testing.T) {
	for _, dep := range goListDeps(t, "github.com/gobware/gobware/storage/gorm", "github.com/gobware/gobware/storage/redis") {
		if strings.Contains(dep, "go-jose") || dep == "github.com/gobware/gobware/strategy/jwt" {
			t.Errorf("storage/gorm or storage/redis depends on %s", dep)
		}
	}
}

func TestRefreshImportsOnlyTheStandardLibraryAndCore(t *testing.T) {
	allowed := map[string]bool{
		"github.com/gobware/gobware/core":                 true,
		"github.com/gobware/gobware/internal/errclass":    true,
		"github.com/gobware/gobware/strategy/jwt/refresh": true,
	}
	for _, dep := range goListDeps(t, "github.com/gobware/gobware/strategy/jwt/refresh") {
		if strings.Contains(strings.SplitN(dep, "/", 2)[0], ".") && !allowed[dep] {
			t.Errorf("strategy/jwt/refresh depends on %s", dep)
		}
	}
}
