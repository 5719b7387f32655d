package demo_test

import (
	"fmt"

	"github.com/gobware/gobware/examples/demo"
)

// ExampleLoadConfig shows the defaults and the start-up error for a bad secret.
func ExampleLoadConfig() {
	cfg, _ := demo.LoadConfig(func(string) string { return "" })
	fmt.Println(cfg.Addr, cfg.DatabaseURL, len(cfg.SessionKeys[0]), len(cfg.Warnings))

	_, err := demo.LoadConfig(func(name string) string {
		if name == "SESSION_SECRET" {
			return "dG9vIHNob3J0"
		}
		return ""
	})
	fmt.Println(err)
	// Output:
	// localhost:8080 sqlite:gobware.db 32 3
	// SESSION_SECRET: key 1: core: secret must be base64 or base64url of exactly 32 bytes (got 9 bytes)
}
