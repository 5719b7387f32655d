package adapters_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAdaptersDependOnNoStoreTokenOrDomainCode checks the layering: an
// adapter compiles in the framework-neutral httpapi and core, never a
// database library (GORM), the token library (go-jose), gobware's
// strategies, limiter, authapi or the cart. An application that only wants
// the middleware pays for nothing else.
func TestAdaptersDependOnNoStoreTokenOrDomainCode(t *testing.T) {
	forbidden := []string{
		"gorm.io/",
		"github.com/go-jose/",
		"github.com/gobware/gobware/cart",
		"github.com/gobware/gobware/authapi",
		"github.com/gobware/gobware/limiter",
		"github.com/gobware/gobware/strategy/",
		"github.com/gobware/gobware/storage/",
	}
	for _, fw := range []string{"nethttp", "gin", "fiber"} {
		out, err := exec.Command("go", "list", "-deps", "github.com/gobware/gobware/adapters/"+fw).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps adapters/%s: %v\n%s", fw, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps adapters/%s listed only %v", fw, deps)
		}
		for _, dep := range deps {
			for _, f := range forbidden {
				if strings.HasPrefix(dep, f) || dep == strings.TrimSuffix(f, "/") {
					t.Errorf("adapters/%s depends on %s", fw, dep)
				}
			}
		}
	}
	// httpapi, what adapters share, needs core and the standard library only
	// (and the standard-library-only internal packages core and httpapi use).
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "github.com/gobware/gobware/httpapi").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps httpapi: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case "github.com/gobware/gobware/httpapi", "github.com/gobware/gobware/core",
			"github.com/gobware/gobware/internal/strictjson", "github.com/gobware/gobware/internal/errclass":
		default:
			t.Errorf("httpapi depends on %s; it may depend on core and the standard library only", dep)
		}
	}
}
