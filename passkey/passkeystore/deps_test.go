package passkeystore_test

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

// The passkey storage contract is what storage/gorm and storage/redis
// import instead of package passkey, so that an application without
// passkeys does not compile the WebAuthn library and its dependencies.
func TestContractAndStoresDoNotDependOnWebAuthn(t *testing.T) {
	for _, dep := range goListDeps(t, "github.com/gobware/gobware/passkey/passkeystore", "github.com/gobware/gobware/storage/gorm", "github.com/gobware/gobware/storage/redis") {
		if strings.Contains(dep, "go-webauthn") || dep == "github.com/gobware/gobware/passkey" {
			t.Errorf("passkey/passkeystore, storage/gorm or storage/redis depends on %s", dep)
		}
	}
}
