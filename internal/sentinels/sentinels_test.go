package sentinels_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/sentinels"
)

// exported finds, with go/parser, every exported package-level variable
// whose name starts with Err in the non-test files of the package in dir,
// with its doc comment.
func exported(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				doc := vs.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				for _, name := range vs.Names {
					if strings.HasPrefix(name.Name, "Err") && name.IsExported() {
						found[name.Name] = doc.Text()
					}
				}
			}
		}
	}
	if len(found) == 0 {
		t.Fatalf("no exported Err* variables in %s", dir)
	}
	return found
}

// TestEverySentinelIsListed fails when a package gains an exported Err*
// variable that All does not list (so its class would go unchecked), or
// when one lacks a doc comment saying when it is returned.
func TestEverySentinelIsListed(t *testing.T) {
	for _, pkg := range sentinels.Packages {
		for name, doc := range exported(t, filepath.Join("..", "..", filepath.FromSlash(pkg))) {
			listed := slices.ContainsFunc(sentinels.All, func(s sentinels.Sentinel) bool { return s.Package == pkg && s.Name == name })
			if !listed {
				t.Errorf("%s.%s is not in sentinels.All: add it with its class", pkg, name)
			}
			if !strings.HasPrefix(doc, name+" ") || !strings.Contains(doc, "return") {
				t.Errorf("%s.%s: its doc comment must start with its name and say when it is returned; got %q", pkg, name, doc)
			}
		}
	}
}

// TestEverySentinelCarriesItsClass checks that each sentinel matches its
// class with errors.Is (so every return site carries it), matches no
// other class of a different status, starts its message with its
// package's name, and is answered by core.Status with its status.
func TestEverySentinelCarriesItsClass(t *testing.T) {
	for _, s := range sentinels.All {
		t.Run(s.Package+"."+s.Name, func(t *testing.T) {
			if s.Class != nil && !errors.Is(s.Err, s.Class) {
				t.Errorf("errors.Is(%v, %v) = false; want true", s.Err, s.Class)
			}
			if s.Class == nil {
				var c interface{ HTTPStatus() int }
				if !errors.As(s.Err, &c) || c.HTTPStatus() != s.Status {
					t.Errorf("%v has no HTTPStatus method answering %d", s.Err, s.Status)
				}
			}
			for _, c := range sentinels.Classes {
				if c.Status != s.Status && errors.Is(s.Err, c.Err) {
					t.Errorf("errors.Is(%v, %v) = true; a %d sentinel must not carry a %d class", s.Err, c.Err, s.Status, c.Status)
				}
			}
			prefixes := []string{path.Base(s.Package) + ": "}
			if !strings.HasPrefix(s.Err.Error(), prefixes[0]) && !aliasOfListed(s) {
				t.Errorf("message %q does not start with %q", s.Err.Error(), prefixes[0])
			}
			if got := core.Status(s.Err); got != s.Status {
				t.Errorf("core.Status(%v) = %d; want %d", s.Err, got, s.Status)
			}
		})
	}
}

// aliasOfListed reports whether s is the very error another package
// declares (jwt.ErrNotFound is refresh.ErrNotFound): its message carries
// the declaring package's name.
func aliasOfListed(s sentinels.Sentinel) bool {
	for _, o := range sentinels.All {
		if o.Err == s.Err && o.Package != s.Package && strings.HasPrefix(s.Err.Error(), path.Base(o.Package)+": ") {
			return true
		}
	}
	return false
}
