package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gobware/gobware/internal/strictjson"
)

// FuzzUnmarshal checks the scanner against encoding/json as an oracle.
// Whatever strictjson accepts, encoding/json reads to the same value, finds
// syntactically valid, holds no duplicate name at any depth (counted with
// json.Decoder.Token, a different reader) and no U+FFFD that the document
// did not spell; every refusal is one of the package's errors, and a syntax
// refusal is one encoding/json agrees with.
func FuzzUnmarshal(f *testing.F) {
	for _, seed := range []string{
		`{"username":"alice","password":"p"}`,
		`{"username":"nobody","username":"alice"}`,
		`{"USERNAME":"a","PassWord":"b"}`,
		`{"s\u212aU":"tea","quantity":1}`,
		"{\"\u017fku\":\"tea\"}",
		`{"items":[{"sku":"a","sku":"b"}]}`,
		`{"meta":{"x":1,"X":2,"x":3}}`,
		`{"extra":{"a":[{"b":{"c":1,"c":2}}]}}`,
		`{"username":"\ud800"}`, `{"username":"\ud83d\ude00"}`, "{\"username\":\"\xff\"}",
		`{"quantity":99999999999999999999}`, `{"quantity":1e400}`, `[-0.5e+10]`,
		strings.Repeat("[", 70) + strings.Repeat("]", 70),
		`{"a":1}{"a":1}`, ``, ` `, `null`, `"x"`, `{"Raw":{"a":1,"a":1}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var strict order
		err := strictjson.Unmarshal(data, &strict, strictjson.Options{})
		if err != nil {
			var te *json.UnmarshalTypeError
			switch {
			case errors.Is(err, strictjson.ErrSyntax), errors.Is(err, strictjson.ErrTrailingData), errors.Is(err, strictjson.ErrEmpty):
				if json.Valid(data) {
					t.Fatalf("Unmarshal(%q) = %v; encoding/json finds it valid", data, err)
				}
			case errors.Is(err, strictjson.ErrInvalidUTF8):
				if utf8.Valid(data) && !bytes.Contains(bytes.ToLower(data), []byte(`\ud`)) {
					t.Fatalf("Unmarshal(%q) = %v; it is UTF-8 without surrogate escapes", data, err)
				}
			case errors.Is(err, strictjson.ErrDuplicateName):
				if dup, _ := tokenWalk(data); !dup {
					t.Fatalf("Unmarshal(%q) = %v; json.Decoder.Token sees no duplicate", data, err)
				}
			case errors.Is(err, strictjson.ErrTooDeep):
				if _, depth := tokenWalk(data); depth <= strictjson.DefaultMaxDepth {
					t.Fatalf("Unmarshal(%q) = %v; json.Decoder.Token reaches depth %d only", data, err, depth)
				}
			case errors.Is(err, strictjson.ErrFoldedName), errors.Is(err, strictjson.ErrUnknownName):
				var ne *strictjson.NameError
				if !errors.As(err, &ne) || !json.Valid(data) {
					t.Fatalf("Unmarshal(%q) = %v; want a NameError about valid JSON", data, err)
				}
			case errors.As(err, &te):
				// A value of the wrong type for its field: encoding/json's refusal.
			default:
				t.Fatalf("Unmarshal(%q) = %v; not one of the documented errors", data, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Unmarshal(%q) accepted what encoding/json finds invalid", data)
		}
		if dup, depth := tokenWalk(data); dup || depth > strictjson.DefaultMaxDepth {
			t.Fatalf("Unmarshal(%q) accepted a duplicate (%v) or depth %d", data, dup, depth)
		}
		var lenient order
		if err := json.Unmarshal(data, &lenient); err != nil || !reflect.DeepEqual(strict, lenient) {
			t.Fatalf("Unmarshal(%q) = %+v; encoding/json = %+v, %v", data, strict, lenient, err)
		}
		if bytes.Contains(mustMarshal(t, lenient), []byte("\ufffd")) &&
			!bytes.Contains(data, []byte("\ufffd")) && !bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`)) {
			t.Fatalf("Unmarshal(%q) accepted a string that decodes to U+FFFD", data)
		}
		var generic any
		if err := strictjson.Unmarshal(data, &generic, strictjson.Options{}); err != nil {
			t.Fatalf("Unmarshal(%q) into a struct passed, into any = %v", data, err)
		}
	})
}

// tokenWalk reads data with json.Decoder.Token and reports whether an
// object names a member twice, and the deepest nesting it reached.
func tokenWalk(data []byte) (dup bool, depth int) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		names   map[string]bool
		wantKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return dup, depth
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.names != nil && top.wantKey {
			if d, ok := tok.(json.Delim); !ok || d != '}' {
				name := tok.(string)
				if top.names[name] {
					dup = true
				}
				top.names[name] = true
				top.wantKey = false
				continue
			}
		}
		if top != nil && top.names != nil {
			top.wantKey = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{names: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].names != nil {
				stack[len(stack)-1].wantKey = true
			}
		}
		depth = max(depth, len(stack))
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
