package tableprefix_test

import (
	"fmt"
	"testing"

	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/internal/tableprefix"
)

type otherNamer struct{ schema.NamingStrategy }

func TestOfReadsGORMsNamingStrategyOnly(t *testing.T) {
	tests := []struct {
		name  string
		namer schema.Namer
		want  string
	}{
		{"a NamingStrategy value", schema.NamingStrategy{TablePrefix: "app_"}, "app_"},
		{"a *NamingStrategy", &schema.NamingStrategy{TablePrefix: "app_"}, "app_"},
		{"another Namer", otherNamer{schema.NamingStrategy{TablePrefix: "app_"}}, ""},
		{"no Namer", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tableprefix.Of(tt.namer); got != tt.want {
				t.Errorf("Of(%T) = %q; want %q", tt.namer, got, tt.want)
			}
		})
	}
}

func ExampleOf() {
	fmt.Println(tableprefix.Of(schema.NamingStrategy{TablePrefix: "shop_"}) + "gobware_sessions")
	// Output: shop_gobware_sessions
}
