package demo_test

import (
	"strings"
	"testing"

	"github.com/gobware/gobware/examples/demo"
)

func TestLoadConfigReadsTheSessionCap(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        int
		err         bool
	}{
		{"unset means no cap", "", 0, false},
		{"a positive number is the cap", "2", 2, false},
		{"one is allowed", "1", 1, false},
		{"zero means no cap", "0", 0, false},
		{"a negative number is refused", "-1", 0, true},
		{"a word is refused", "two", 0, true},
		{"a fraction is refused", "1.5", 0, true},
		{"spaces are refused", " 2", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := demo.LoadConfig(func(name string) string {
				if name == "MAX_SESSIONS_PER_USER" {
					return tc.value
				}
				return ""
			})
			switch {
			case tc.err && (err == nil || !strings.Contains(err.Error(), "MAX_SESSIONS_PER_USER")):
				t.Errorf("LoadConfig(MAX_SESSIONS_PER_USER=%q) = %v; want an error naming the variable", tc.value, err)
			case !tc.err && (err != nil || cfg.MaxSessionsPerUser != tc.want):
				t.Errorf("LoadConfig(MAX_SESSIONS_PER_USER=%q) = %d, %v; want %d", tc.value, cfg.MaxSessionsPerUser, err, tc.want)
			}
		})
	}
}
