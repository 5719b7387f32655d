package strictjson

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// schema is what the scanner knows about the Go value a JSON value decodes
// into. A nil *schema means "anything": only duplicates are checked below it.
type schema struct {
	// fields is set for a struct: its JSON names, exactly as encoding/json
	// matches them first.
	fields map[string]*schema
	// folded maps the folded form of each field name (see fold) to the
	// name, for telling a case variant from an unknown name.
	folded map[string]string
	// elem is the schema of a map's values or of an array's elements.
	elem *schema
	kind kind
}

// kind is the JSON shape a schema reads: a JSON value of another shape is
// encoding/json's type error, and nothing below it is matched to fields.
type kind uint8

const (
	structKind kind = iota + 1 // an object into struct fields
	mapKind                    // an object into map entries
	arrayKind                  // an array into slice or array elements
)

var (
	// schemas holds every finished schema, by type, for lock-free reads:
	// Unmarshal runs on every token verification.
	schemas sync.Map
	// schemaMu guards schemaCache, where schemas are built.
	schemaMu    sync.Mutex
	schemaCache = map[reflect.Type]*schema{}
)

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// schemaFor returns the schema of t, built once per type.
func schemaFor(t reflect.Type) *schema {
	if t == nil {
		return nil
	}
	if s, ok := schemas.Load(t); ok {
		return s.(*schema)
	}
	schemaMu.Lock()
	defer schemaMu.Unlock()
	s := buildSchema(t)
	schemas.Store(t, s)
	return s
}

// buildSchema builds t's schema with schemaMu held. A struct's schema is in
// the cache before its fields are built, so recursive types end.
func buildSchema(t reflect.Type) *schema {
	for {
		if s, ok := schemaCache[t]; ok {
			return s
		}
		if t.Implements(unmarshalerType) || t.Implements(textUnmarshalerType) ||
			reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
			return nil
		}
		if t.Kind() != reflect.Pointer {
			break
		}
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		s := &schema{fields: map[string]*schema{}, folded: map[string]string{}, kind: structKind}
		schemaCache[t] = s
		addFields(s, t, map[reflect.Type]bool{})
		return s
	case reflect.Map:
		s := &schema{kind: mapKind}
		schemaCache[t] = s
		s.elem = buildSchema(t.Elem())
		return s
	case reflect.Slice, reflect.Array:
		s := &schema{kind: arrayKind}
		schemaCache[t] = s
		s.elem = buildSchema(t.Elem())
		return s
	default:
		return nil
	}
}

// addFields adds t's JSON fields to s, promoting those of embedded structs
// as encoding/json does. A name already present (from a shallower level, or
// earlier at this level) is kept.
func addFields(s *schema, t reflect.Type, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	type embedded struct{ t reflect.Type }
	var deeper []embedded
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if !validTag(name) {
			name = ""
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			deeper = append(deeper, embedded{ft})
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := s.fields[name]; ok {
			continue
		}
		s.fields[name] = buildSchema(f.Type)
		if k := fold(name); s.folded[k] == "" {
			s.folded[k] = name
		}
	}
	for _, e := range deeper {
		addFields(s, e.t, seen)
	}
}

// validTag is encoding/json's rule for a tag name it uses instead of the
// field name.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// fold returns the form encoding/json compares names in when no name
// matches exactly: two names with equal folds fill the same field. ASCII
// letters go to upper case, and every other rune to the smallest rune of its
// Unicode case-folding orbit (so the Kelvin sign K becomes K).
func fold(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			continue
		}
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		b.WriteRune(r)
	}
	return b.String()
}
