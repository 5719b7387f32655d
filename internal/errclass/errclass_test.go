package errclass_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

func TestNewKeepsItsTextAndMatchesItsClass(t *testing.T) {
	err := errclass.New(core.ErrInvalidCredential, "pkg: refused")
	if got := err.Error(); got != "pkg: refused" {
		t.Errorf("Error() = %q; want %q", got, "pkg: refused")
	}
	wrapped := fmt.Errorf("pkg: doing a thing: %w", err)
	if !errors.Is(wrapped, err) || !errors.Is(wrapped, core.ErrInvalidCredential) {
		t.Errorf("errors.Is(%v, sentinel and class) = false; want true", wrapped)
	}
	if errors.Is(err, core.ErrUnavailable) {
		t.Errorf("errors.Is(%v, core.ErrUnavailable) = true; want false", err)
	}
}

func ExampleNew() {
	errMalformed := errclass.New(core.ErrInvalidCredential, "pkg: malformed token")
	err := fmt.Errorf("pkg: reading the header: %w", errMalformed)
	fmt.Println(err)
	fmt.Println(errors.Is(err, core.ErrInvalidCredential))
	// Output:
	// pkg: reading the header: pkg: malformed token
	// true
}
