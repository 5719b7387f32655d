package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/strictjson"
)

// MaxBodySize is the largest request body the API reads: 1 MiB.
const MaxBodySize = 1 << 20

// DecodeJSON reads r's body into v. It answers, as a *Problem error:
// 400 for a missing or non-JSON Content-Type, a body that is not exactly one
// JSON value, invalid UTF-8 (also a \u escape of half a surrogate pair),
// nesting deeper than 64 levels, a member named twice at any depth, a name
// that matches a field only case-insensitively ("USERNAME", or "s\u212aU"
// with a Kelvin sign for sku), an unknown field, or a value of the wrong
// type; 413 for a body over MaxBodySize, at once when its Content-Length
// says so. The problem detail names the field
// at fault, so that a client sees what to fix.
//
// Every JSON body gobware reads goes through DecodeJSON, so that a body has
// one meaning: what a proxy, a firewall or an audit log reads in it is what
// the endpoint acts on.
func DecodeJSON(r Request, v any) error {
	mt, _, err := mime.ParseMediaType(core.FirstHeader(r, "Content-Type"))
	if err != nil || (mt != "application/json" && !(len(mt) > 5 && mt[len(mt)-5:] == "+json")) {
		return NewProblem(http.StatusBadRequest, CodeBadRequest, "The body must be JSON, sent with Content-Type: application/json.")
	}
	if n, err := strconv.ParseInt(core.FirstHeader(r, "Content-Length"), 10, 64); err == nil && n > MaxBodySize {
		return tooLarge() // refused before a byte of it is read
	}
	body, err := io.ReadAll(io.LimitReader(r.Body(), MaxBodySize+1))
	if err != nil {
		return NewProblem(http.StatusBadRequest, CodeBadRequest, "The body could not be read.")
	}
	if len(body) > MaxBodySize {
		return tooLarge()
	}
	if err := strictjson.Unmarshal(body, v, strictjson.Options{}); err != nil {
		return NewProblem(http.StatusBadRequest, CodeBadRequest, jsonDetail(err, reflect.TypeOf(v)))
	}
	return nil
}

func tooLarge() *Problem {
	return NewProblem(http.StatusRequestEntityTooLarge, CodePayloadTooLarge, "The body is larger than 1 MiB.")
}

// jsonDetail explains a decoding error into a value of type t. It names a
// field the client sent, quoted and cut short, and never echoes the
// client's values.
func jsonDetail(err error, t reflect.Type) string {
	var typeErr *json.UnmarshalTypeError
	var nameErr *strictjson.NameError
	switch {
	case errors.As(err, &nameErr) && errors.Is(err, strictjson.ErrDuplicateName):
		return "The field " + quoteName(nameErr.Path) + " appears twice."
	case errors.As(err, &nameErr) && errors.Is(err, strictjson.ErrFoldedName):
		return "The body has the field " + quoteName(nameErr.Path) + ", which this endpoint does not accept; fields are case-sensitive."
	case errors.As(err, &nameErr):
		return "The body has the field " + quoteName(nameErr.Path) + ", which this endpoint does not accept."
	case errors.Is(err, strictjson.ErrEmpty):
		return "The body is empty; a JSON object is expected."
	case errors.Is(err, strictjson.ErrTrailingData):
		return "The body holds more than one JSON value."
	case errors.Is(err, strictjson.ErrInvalidUTF8):
		return "The body is not valid UTF-8."
	case errors.Is(err, strictjson.ErrTooDeep):
		return "The body nests arrays and objects more than " + strconv.Itoa(strictjson.DefaultMaxDepth) + " levels deep."
	case errors.As(err, &typeErr) && strings.HasPrefix(typeErr.Value, "number") && isInteger(typeErr.Type):
		return "The field " + quoteField(fieldPath(t, typeErr.Field)) + " must be a whole number within range."
	case errors.As(err, &typeErr):
		return "The field " + quoteField(fieldPath(t, typeErr.Field)) + " has the wrong type."
	default:
		return "The body is not valid JSON."
	}
}

func isInteger(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t != nil && reflect.Int <= t.Kind() && t.Kind() <= reflect.Uint64
}

// maxQuotedName is how much of a client's field name a problem quotes.
const maxQuotedName = 64

// quoteName quotes a field name the client sent, in ASCII (so that control
// characters and look-alike letters such as the Kelvin sign show as
// escapes), cut to maxQuotedName bytes.
func quoteName(name string) string {
	if len(name) > maxQuotedName {
		cut := maxQuotedName
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		return strconv.QuoteToASCII(name[:cut]) + "…"
	}
	return strconv.QuoteToASCII(name)
}

// fieldPath rewrites json.UnmarshalTypeError.Field, a dotted path into a
// value of type t, to the same text on every Go release: the names of the
// struct fields on the way, without array positions and without map keys.
// Go 1.27 added both to Field; map keys are the client's own text, which a
// problem never echoes. A path it cannot follow ends where it stops.
func fieldPath(t reflect.Type, field string) string {
	if t == nil || field == "" {
		return ""
	}
	var out []string
	segs := strings.Split(field, ".")
	for i := 0; i < len(segs); {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			t = t.Elem()
			if isDigits(segs[i]) { // a position (Go 1.27 and later)
				i++
			}
		case reflect.Struct:
			f, ok := jsonField(t, segs[i])
			if !ok {
				return strings.Join(out, ".")
			}
			out = append(out, segs[i])
			t = f
			i++
		default: // a map (its keys are the client's), an interface, a scalar
			return strings.Join(out, ".")
		}
	}
	return strings.Join(out, ".")
}

// jsonField returns the type of the field of struct t that encoding/json
// names name, looking into embedded structs as encoding/json does.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && tag == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if inner, ok := jsonField(ft, name); ok {
					return inner, true
				}
				continue
			}
		}
		if tag == "" {
			tag = f.Name
		}
		if tag == name {
			return f.Type, true
		}
	}
	return nil, false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func quoteField(f string) string {
	if f == "" || len(f) > 64 {
		return "value"
	}
	return `"` + f + `"`
}
