package httpapi

import (
	"reflect"
	"testing"
)

// TestFieldPathIsTheSameOnEveryGoRelease feeds fieldPath the Field of a
// json.UnmarshalTypeError as Go 1.26 writes it (no positions, no map keys)
// and as Go 1.27 does (both): the problem names the same field either way
// and never echoes a map key, which is the client's text.
func TestFieldPathIsTheSameOnEveryGoRelease(t *testing.T) {
	type line struct {
		Quantity int `json:"quantity"`
	}
	type Embedded struct {
		Note string `json:"note"`
	}
	type body struct {
		Embedded
		Lines []line           `json:"lines"`
		Ptr   *[]*line         `json:"ptr"`
		Meta  map[string]any   `json:"meta"`
		Grid  [2][]line        `json:"grid"`
		Any   any              `json:"any"`
		Tags  map[string]*line `json:"tags"`
	}
	tests := []struct {
		name, field, want string
	}{
		{"a field of a slice element, Go 1.26", "lines.quantity", "lines.quantity"},
		{"a field of a slice element, Go 1.27", "lines.0.quantity", "lines.quantity"},
		{"through a pointer to a slice of pointers, Go 1.27", "ptr.12.quantity", "ptr.quantity"},
		{"nested arrays, Go 1.27", "grid.1.0.quantity", "grid.quantity"},
		{"nested arrays, Go 1.26", "grid.quantity", "grid.quantity"},
		{"a map value stops at the map, Go 1.26", "meta", "meta"},
		{"a map key is never echoed, Go 1.27", `meta.n"<script>`, "meta"},
		{"a struct in a map stops at the map", "tags.k.quantity", "tags"},
		{"an interface stops there", "any.x", "any"},
		{"an embedded struct's field", "note", "note"},
		{"an unknown name ends the path", "nope.quantity", ""},
		{"an empty path", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldPath(reflect.TypeOf(&body{}), tt.field); got != tt.want {
				t.Errorf("fieldPath(%q) = %q; want %q", tt.field, got, tt.want)
			}
		})
	}
}
