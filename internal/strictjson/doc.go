// Package strictjson reads JSON that has exactly one meaning.
//
// encoding/json is lenient in ways that let two readers of one document
// disagree: of two members with the same name it keeps the last, it matches
// member names to struct fields case-insensitively (with Unicode folding, so
// "s\u212aU" with a Kelvin sign fills the field sku), and it replaces invalid
// UTF-8 and lone surrogate escapes with U+FFFD. A proxy, a firewall or an
// audit log that reads the first of two names, or names as spelled, then sees
// a different request than the server acts on.
//
// Unmarshal first checks the document with a small scanner, then decodes it
// with encoding/json. The document is refused when it is not exactly one JSON
// value (RFC 8259), when it is not valid UTF-8 (also through \u escapes of
// half a surrogate pair), when it nests deeper than MaxDepth, when an object
// names a member twice at any depth, or when a member name matches a struct
// field of the target only case-insensitively. Names that match no field are
// refused too, unless Options.AllowUnknown says they are to be ignored.
//
// The field names are those encoding/json uses: the json tag's name, or the
// Go field name, with the fields of embedded structs promoted. Types that
// decode themselves (json.Unmarshaler, encoding.TextUnmarshaler) and
// interface values are checked for duplicates only.
//
// The toolchain's encoding/json/v2 has these semantics, but it needs
// GOEXPERIMENT=jsonv2; this package is the part of it gobware needs.
package strictjson
