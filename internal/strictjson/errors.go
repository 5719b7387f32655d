package strictjson

import "errors"

// ErrEmpty is returned for a document that holds no JSON value (nothing, or
// white space only).
var ErrEmpty = errors.New("strictjson: empty document")

// ErrSyntax is returned for a document that is not JSON.
var ErrSyntax = errors.New("strictjson: not valid JSON")

// ErrTrailingData is returned when a JSON value is followed by more than
// white space, such as a second value.
var ErrTrailingData = errors.New("strictjson: data after the JSON value")

// ErrInvalidUTF8 is returned for a document that is not valid UTF-8, or that
// has a \u escape of half a surrogate pair in a string.
var ErrInvalidUTF8 = errors.New("strictjson: invalid UTF-8")

// ErrTooDeep is returned for a document that nests arrays and objects more
// than MaxDepth levels deep.
var ErrTooDeep = errors.New("strictjson: nested too deeply")

// ErrDuplicateName is returned, in a *NameError, when an object names a
// member twice.
var ErrDuplicateName = errors.New("strictjson: duplicate member name")

// ErrFoldedName is returned, in a *NameError, when a member name matches a
// field only case-insensitively (for example "USERNAME" for username).
var ErrFoldedName = errors.New("strictjson: member name matches a field only case-insensitively")

// ErrUnknownName is returned, in a *NameError, when a member name matches
// no field and Options.AllowUnknown is false.
var ErrUnknownName = errors.New("strictjson: unknown member name")

// NameError is a refusal that is about one member name.
type NameError struct {
	// Err is ErrDuplicateName, ErrFoldedName or ErrUnknownName.
	Err error
	// Name is the member's name as the document spells it, decoded.
	Name string
	// Path is the dotted names of the objects that hold the member, from
	// the outside in, ending with Name ("address.street"), as in
	// json.UnmarshalTypeError.Field. Array positions add nothing.
	Path string
}

// Error returns the sentinel's message and the path.
func (e *NameError) Error() string { return e.Err.Error() + ": " + e.Path }

// Unwrap returns Err, so that errors.Is(err, ErrDuplicateName) works.
func (e *NameError) Unwrap() error { return e.Err }
