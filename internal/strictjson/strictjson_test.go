package strictjson_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gobware/gobware/internal/strictjson"
)

type login struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type address struct {
	Street string `json:"street"`
}

type item struct {
	SKU      string `json:"sku"`
	Quantity *int   `json:"quantity"`
}

type order struct {
	Items   []item         `json:"items"`
	Address *address       `json:"address"`
	Meta    map[string]any `json:"meta"`
	Extra   any            `json:"extra"`
	Raw     json.RawMessage
}

type base struct {
	ID string `json:"id"`
}

type withEmbedded struct {
	base
	Name string `json:"name"`
}

func TestUnmarshal(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	many := func(n int, dup bool) string {
		var b strings.Builder
		b.WriteString(`{"meta":{`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"k` + strings.Repeat("x", i) + `":1`)
		}
		if dup {
			b.WriteString(`,"k":2`)
		}
		b.WriteString(`}}`)
		return b.String()
	}
	tests := []struct {
		name     string
		into     func() any
		opts     strictjson.Options
		body     string
		want     error  // nil: accepted
		wantPath string // for a *NameError
	}{
		{"a well-formed body is accepted", newLogin, strictjson.Options{}, `{"username":"alice","password":"p"}`, nil, ""},
		{"white space around the value is accepted", newLogin, strictjson.Options{}, " \t\r\n{ \"username\" : \"alice\" }\n", nil, ""},
		{"a field named by the Go name without a tag is accepted", newOrder, strictjson.Options{}, `{"Raw":{"a":1}}`, nil, ""},
		{"a promoted field of an embedded struct is accepted", func() any { return new(withEmbedded) }, strictjson.Options{}, `{"id":"1","name":"n"}`, nil, ""},
		{"a valid surrogate pair escape is accepted", newLogin, strictjson.Options{}, `{"username":"\ud83d\ude00"}`, nil, ""},
		{"escaped U+FFFD itself is accepted", newLogin, strictjson.Options{}, `{"username":"\ufffd"}`, nil, ""},
		{"names differing in case are fine as map keys", newOrder, strictjson.Options{}, `{"meta":{"x":1,"X":2}}`, nil, ""},
		{"64 levels of nesting are accepted", newAny, strictjson.Options{}, deep(64), nil, ""},

		// Duplicates, at every depth and however spelled.
		{"a duplicate name is refused", newLogin, strictjson.Options{}, `{"username":"nobody","username":"alice","password":"p"}`, strictjson.ErrDuplicateName, "username"},
		{"a duplicate spelled with an escape is refused", newLogin, strictjson.Options{}, `{"username":"a","user\u006eame":"b"}`, strictjson.ErrDuplicateName, "username"},
		{"a duplicate in a nested struct is refused", newOrder, strictjson.Options{}, `{"address":{"street":"a","street":"b"}}`, strictjson.ErrDuplicateName, "address.street"},
		{"a duplicate in an array element is refused", newOrder, strictjson.Options{}, `{"items":[{"sku":"a"},{"sku":"a","sku":"b"}]}`, strictjson.ErrDuplicateName, "items.sku"},
		{"a duplicate in a map is refused", newOrder, strictjson.Options{}, `{"meta":{"x":1,"x":2}}`, strictjson.ErrDuplicateName, "meta.x"},
		{"a duplicate deep inside an interface value is refused", newOrder, strictjson.Options{}, `{"extra":{"a":[{"b":{"c":1,"c":2}}]}}`, strictjson.ErrDuplicateName, "extra.a.b.c"},
		{"a duplicate inside a raw message is refused", newOrder, strictjson.Options{}, `{"Raw":{"a":1,"a":1}}`, strictjson.ErrDuplicateName, "Raw.a"},
		{"a duplicate in an object of any type is refused", newAny, strictjson.Options{}, `[{"a":1,"a":2}]`, strictjson.ErrDuplicateName, "a"},
		{"a duplicate after many names is refused", newOrder, strictjson.Options{}, many(40, true), strictjson.ErrDuplicateName, "meta.k"},
		{"many distinct names are accepted", newOrder, strictjson.Options{}, many(40, false), nil, ""},
		{"a duplicate unknown name is refused even when unknown names are allowed", newLogin, strictjson.Options{AllowUnknown: true}, `{"x":1,"x":2}`, strictjson.ErrDuplicateName, "x"},

		// Case variants, ASCII and Unicode.
		{"a name in capitals is refused", newLogin, strictjson.Options{}, `{"USERNAME":"alice","password":"p"}`, strictjson.ErrFoldedName, "USERNAME"},
		{"a name in mixed case is refused", newLogin, strictjson.Options{}, `{"username":"alice","PassWord":"p"}`, strictjson.ErrFoldedName, "PassWord"},
		{"a Kelvin sign for k is refused", newItem, strictjson.Options{}, `{"s\u212aU":"tea"}`, strictjson.ErrFoldedName, "s\u212aU"},
		{"a raw Kelvin sign for k is refused", newItem, strictjson.Options{}, "{\"s\u212au\":\"tea\"}", strictjson.ErrFoldedName, "s\u212au"},
		{"a long s for s is refused", newItem, strictjson.Options{}, "{\"\u017fku\":\"tea\"}", strictjson.ErrFoldedName, "\u017fku"},
		{"a case variant in a nested struct is refused", newOrder, strictjson.Options{}, `{"address":{"STREET":"x"}}`, strictjson.ErrFoldedName, "address.STREET"},
		{"a case variant in an array element is refused", newOrder, strictjson.Options{}, `{"items":[{"Sku":"x"}]}`, strictjson.ErrFoldedName, "items.Sku"},
		{"a case variant of a Go field name is refused", newOrder, strictjson.Options{}, `{"raw":{}}`, strictjson.ErrFoldedName, "raw"},
		{"a case variant is refused even when unknown names are allowed", newLogin, strictjson.Options{AllowUnknown: true}, `{"userName":"a"}`, strictjson.ErrFoldedName, "userName"},

		// Unknown names.
		{"an unknown name is refused", newLogin, strictjson.Options{}, `{"username":"a","admin":true}`, strictjson.ErrUnknownName, "admin"},
		{"an unknown name in a nested struct is refused", newOrder, strictjson.Options{}, `{"address":{"city":"x"}}`, strictjson.ErrUnknownName, "address.city"},
		{"an unknown name is accepted when allowed", newLogin, strictjson.Options{AllowUnknown: true}, `{"username":"a","admin":true}`, nil, ""},

		// UTF-8.
		{"an invalid byte in a value is refused", newLogin, strictjson.Options{}, "{\"username\":\"\xff\"}", strictjson.ErrInvalidUTF8, ""},
		{"an invalid byte in a name is refused", newLogin, strictjson.Options{}, "{\"user\xffname\":\"a\"}", strictjson.ErrInvalidUTF8, ""},
		{"an overlong encoding is refused", newLogin, strictjson.Options{}, "{\"username\":\"\xc0\xaf\"}", strictjson.ErrInvalidUTF8, ""},
		{"a surrogate encoded as UTF-8 is refused", newLogin, strictjson.Options{}, "{\"username\":\"\xed\xa0\x80\"}", strictjson.ErrInvalidUTF8, ""},
		{"a lone high surrogate escape is refused", newLogin, strictjson.Options{}, `{"username":"\ud800"}`, strictjson.ErrInvalidUTF8, ""},
		{"a lone low surrogate escape is refused", newLogin, strictjson.Options{}, `{"username":"\udc00"}`, strictjson.ErrInvalidUTF8, ""},
		{"a high surrogate before a non-surrogate escape is refused", newLogin, strictjson.Options{}, `{"username":"\ud800\u0041"}`, strictjson.ErrInvalidUTF8, ""},
		{"a high surrogate before a letter is refused", newLogin, strictjson.Options{}, `{"username":"\ud800x"}`, strictjson.ErrInvalidUTF8, ""},
		{"two high surrogates are refused", newLogin, strictjson.Options{}, `{"username":"\ud800\ud800"}`, strictjson.ErrInvalidUTF8, ""},
		{"a lone surrogate in a name is refused", newAny, strictjson.Options{}, `{"\udfff":1}`, strictjson.ErrInvalidUTF8, ""},

		// Depth.
		{"65 levels of nesting are refused", newAny, strictjson.Options{}, deep(65), strictjson.ErrTooDeep, ""},
		{"1 MiB of open brackets is refused as too deep", newAny, strictjson.Options{}, strings.Repeat("[", 1<<20), strictjson.ErrTooDeep, ""},
		{"deep objects are refused", newAny, strictjson.Options{}, strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100), strictjson.ErrTooDeep, ""},
		{"a lower MaxDepth is honoured", newAny, strictjson.Options{MaxDepth: 2}, deep(3), strictjson.ErrTooDeep, ""},

		// Syntax.
		{"an empty body is refused", newLogin, strictjson.Options{}, ``, strictjson.ErrEmpty, ""},
		{"white space alone is refused", newLogin, strictjson.Options{}, " \n\t", strictjson.ErrEmpty, ""},
		{"two values are refused", newLogin, strictjson.Options{}, `{"username":"a"}{"username":"b"}`, strictjson.ErrTrailingData, ""},
		{"a trailing comma in an object is refused", newLogin, strictjson.Options{}, `{"username":"a",}`, strictjson.ErrSyntax, ""},
		{"a trailing comma in an array is refused", newAny, strictjson.Options{}, `[1,]`, strictjson.ErrSyntax, ""},
		{"single quotes are refused", newAny, strictjson.Options{}, `{'a':1}`, strictjson.ErrSyntax, ""},
		{"a leading zero is refused", newAny, strictjson.Options{}, `[01]`, strictjson.ErrSyntax, ""},
		{"a bare decimal point is refused", newAny, strictjson.Options{}, `[1.]`, strictjson.ErrSyntax, ""},
		{"a missing exponent is refused", newAny, strictjson.Options{}, `[1e]`, strictjson.ErrSyntax, ""},
		{"a lone minus is refused", newAny, strictjson.Options{}, `[-]`, strictjson.ErrSyntax, ""},
		{"NaN is refused", newAny, strictjson.Options{}, `[NaN]`, strictjson.ErrSyntax, ""},
		{"a control byte in a string is refused", newLogin, strictjson.Options{}, "{\"username\":\"a\x01\"}", strictjson.ErrSyntax, ""},
		{"an unknown escape is refused", newLogin, strictjson.Options{}, `{"username":"\q"}`, strictjson.ErrSyntax, ""},
		{"a short unicode escape is refused", newLogin, strictjson.Options{}, `{"username":"\u12"}`, strictjson.ErrSyntax, ""},
		{"an unterminated string is refused", newLogin, strictjson.Options{}, `{"username":"a`, strictjson.ErrSyntax, ""},
		{"a missing colon is refused", newLogin, strictjson.Options{}, `{"username" "a"}`, strictjson.ErrSyntax, ""},
		{"a truncated literal is refused", newAny, strictjson.Options{}, `[tru]`, strictjson.ErrSyntax, ""},
		{"a name that is not a string is refused", newAny, strictjson.Options{}, `{1:2}`, strictjson.ErrSyntax, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := strictjson.Unmarshal([]byte(tt.body), tt.into(), tt.opts)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Unmarshal(%.80q) = %v; want nil", tt.body, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Unmarshal(%.80q) = %v; want %v", tt.body, err, tt.want)
			}
			var ne *strictjson.NameError
			if tt.wantPath != "" && (!errors.As(err, &ne) || ne.Path != tt.wantPath) {
				t.Fatalf("Unmarshal(%.80q) = %v; want a NameError at %q", tt.body, err, tt.wantPath)
			}
		})
	}
}

func newLogin() any { return new(login) }
func newOrder() any { return new(order) }
func newItem() any  { return new(item) }
func newAny() any   { return new(any) }

func TestUnmarshalNamesTheFieldAsSpelled(t *testing.T) {
	err := strictjson.Unmarshal([]byte(`{"s\u212aU":"tea"}`), new(item), strictjson.Options{})
	var ne *strictjson.NameError
	if !errors.As(err, &ne) || ne.Name != "s\u212aU" || ne.Err != strictjson.ErrFoldedName {
		t.Fatalf("Unmarshal = %#v; want a NameError for %q", err, "s\u212aU")
	}
}

func TestUnmarshalLeavesNumbersOutOfRangeToEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		into any
		body string
	}{
		{"a 20-digit integer into an int", new(item), `{"quantity":99999999999999999999}`},
		{"1e400 into an int", new(item), `{"quantity":1e400}`},
		{"a fraction into an int", new(item), `{"quantity":1.5}`},
		{"1e400 into an interface", new(any), `1e400`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := strictjson.Unmarshal([]byte(tt.body), tt.into, strictjson.Options{})
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				t.Fatalf("Unmarshal(%q) = %v; want a *json.UnmarshalTypeError", tt.body, err)
			}
		})
	}
	var n json.Number
	huge := strings.Repeat("9", 10000)
	if err := strictjson.Unmarshal([]byte(huge), &n, strictjson.Options{}); err != nil || string(n) != huge {
		t.Fatalf("Unmarshal(10000 digits into json.Number) = %v; want the digits", err)
	}
}

func TestUnmarshalDecodesLikeEncodingJSON(t *testing.T) {
	body := `{"items":[{"sku":"tea","quantity":2}],"address":{"street":"Main \u00e9"},"meta":{"a":[1,"x",null,true]},"extra":{"b":{}},"Raw":[1]}`
	var strict, lenient order
	if err := strictjson.Unmarshal([]byte(body), &strict, strictjson.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(body), &lenient); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(strict, lenient) {
		t.Fatalf("strict = %+v; encoding/json = %+v", strict, lenient)
	}
}
