package strictjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// DefaultMaxDepth is the nesting depth allowed when Options.MaxDepth is 0:
// far more than any request body or token needs, far less than what would
// cost the server anything.
const DefaultMaxDepth = 64

// Options adjust Unmarshal. The zero value is the strictest.
type Options struct {
	// AllowUnknown ignores member names that match no struct field (but
	// still refuses case variants of field names, and duplicates). Token
	// claims need it: RFC 7519 says unknown claims are ignored.
	AllowUnknown bool
	// MaxDepth is the deepest nesting of arrays and objects allowed; 0
	// means DefaultMaxDepth.
	MaxDepth int
}

// Unmarshal checks data (see the package doc) and decodes it into v, a
// non-nil pointer, with encoding/json. Its errors are this package's
// sentinels (some in a *NameError), or encoding/json's for values of the
// wrong type (*json.UnmarshalTypeError) and those a type's UnmarshalJSON
// returns.
func Unmarshal(data []byte, v any, opts Options) error {
	if err := Check(data, reflect.TypeOf(v), opts); err != nil {
		return err
	}
	if opts.AllowUnknown {
		return json.Unmarshal(data, v)
	}
	// Check has refused unknown names already; encoding/json's own check
	// stays as a second line.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Check checks data as Unmarshal does for a value of type t, without
// decoding it. A nil t checks syntax, UTF-8, depth and duplicates only.
func Check(data []byte, t reflect.Type, opts Options) error {
	if !utf8.Valid(data) {
		return ErrInvalidUTF8
	}
	s := scanners.Get().(*scanner)
	defer s.release()
	*s = scanner{data: data, opts: opts, maxDepth: opts.MaxDepth, names: s.names[:0], path: s.path[:0]}
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	s.skipSpace()
	if s.i == len(data) {
		return ErrEmpty
	}
	if err := s.value(schemaFor(t)); err != nil {
		return err
	}
	s.skipSpace()
	if s.i != len(data) {
		return ErrTrailingData
	}
	if s.nameErr != nil {
		return s.nameErr
	}
	return nil
}

// scanner walks one JSON document, already known to be valid UTF-8.
type scanner struct {
	data     []byte
	i        int
	opts     Options
	maxDepth int
	depth    int
	// path holds the member names leading to the current value, for
	// NameError.Path; it is only turned into a string on error.
	path [][]byte
	// names holds the member names of the objects being read, innermost
	// last; each object remembers where its names start.
	names [][]byte
	// nameErr is the first refused name. It is returned once the whole
	// document has been read, so that a document that is not JSON is
	// refused as such whatever names it has.
	nameErr *NameError
}

// scanners keeps scanners with their name buffers between calls, so that
// checking a token's claims allocates nothing.
var scanners = sync.Pool{New: func() any { return new(scanner) }}

// maxPooledNames bounds the buffers a pooled scanner keeps.
const maxPooledNames = 256

// release drops s's references into the document and returns it to the pool.
func (s *scanner) release() {
	clear(s.names[:cap(s.names)])
	clear(s.path[:cap(s.path)])
	if cap(s.names) > maxPooledNames || cap(s.path) > maxPooledNames {
		return
	}
	*s = scanner{names: s.names[:0], path: s.path[:0]}
	scanners.Put(s)
}

func (s *scanner) skipSpace() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) value(sc *schema) error {
	if s.i >= len(s.data) {
		return ErrSyntax
	}
	switch c := s.data[s.i]; {
	case c == '{':
		return s.object(sc)
	case c == '[':
		return s.array(sc)
	case c == '"':
		_, err := s.str()
		return err
	case c == '-' || ('0' <= c && c <= '9'):
		return s.number()
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if bytes.HasPrefix(s.data[s.i:], []byte(lit)) {
				s.i += len(lit)
				return nil
			}
		}
		return ErrSyntax
	}
}

func (s *scanner) enter() error {
	s.depth++
	if s.depth > s.maxDepth {
		return ErrTooDeep
	}
	s.i++ // the opening bracket
	s.skipSpace()
	return nil
}

func (s *scanner) array(sc *schema) error {
	if err := s.enter(); err != nil {
		return err
	}
	var elem *schema
	if sc != nil && sc.kind == arrayKind {
		elem = sc.elem
	}
	if s.i < len(s.data) && s.data[s.i] == ']' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if err := s.value(elem); err != nil {
			return err
		}
		s.skipSpace()
		if s.i >= len(s.data) {
			return ErrSyntax
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.skipSpace()
		case ']':
			s.i++
			s.depth--
			return nil
		default:
			return ErrSyntax
		}
	}
}

func (s *scanner) object(sc *schema) error {
	if err := s.enter(); err != nil {
		return err
	}
	first := len(s.names)
	defer func() { s.names = s.names[:first] }()
	var set map[string]struct{}
	if s.i < len(s.data) && s.data[s.i] == '}' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			return ErrSyntax
		}
		name, err := s.str()
		if err != nil {
			return err
		}
		if s.seen(first, &set, name) {
			s.refuse(ErrDuplicateName, name)
		}
		member := s.member(sc, name)
		s.skipSpace()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			return ErrSyntax
		}
		s.i++
		s.skipSpace()
		s.path = append(s.path, name)
		if err := s.value(member); err != nil {
			return err
		}
		s.path = s.path[:len(s.path)-1]
		s.skipSpace()
		if s.i >= len(s.data) {
			return ErrSyntax
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.skipSpace()
		case '}':
			s.i++
			s.depth--
			return nil
		default:
			return ErrSyntax
		}
	}
}

// smallObject is the number of names an object compares one by one; past
// it, a map keeps the cost of a 1 MiB object of short names linear.
const smallObject = 16

// seen reports whether name was already read in the object whose names
// start at first, and records it.
func (s *scanner) seen(first int, set *map[string]struct{}, name []byte) bool {
	if *set != nil {
		if _, ok := (*set)[string(name)]; ok {
			return true
		}
		(*set)[string(name)] = struct{}{}
		return false
	}
	for _, n := range s.names[first:] {
		if bytes.Equal(n, name) {
			return true
		}
	}
	s.names = append(s.names, name)
	if len(s.names)-first > smallObject {
		*set = make(map[string]struct{}, 2*smallObject)
		for _, n := range s.names[first:] {
			(*set)[string(n)] = struct{}{}
		}
	}
	return false
}

// member returns the schema of the member name of an object read into sc,
// and refuses a name sc does not take as spelled.
func (s *scanner) member(sc *schema, name []byte) *schema {
	switch {
	case sc == nil || sc.kind == arrayKind:
		return nil
	case sc.kind == mapKind:
		return sc.elem
	}
	if f, ok := sc.fields[string(name)]; ok {
		return f
	}
	if _, ok := sc.folded[fold(string(name))]; ok {
		s.refuse(ErrFoldedName, name)
	} else if !s.opts.AllowUnknown {
		s.refuse(ErrUnknownName, name)
	}
	return nil
}

// refuse records the first refused name.
func (s *scanner) refuse(err error, name []byte) {
	if s.nameErr != nil {
		return
	}
	path := bytes.Join(append(s.path[:len(s.path):len(s.path)], name), []byte("."))
	s.nameErr = &NameError{Err: err, Name: string(name), Path: string(path)}
}

// str reads a string and returns its decoded value. Without escapes the
// value is a slice of the document; with them, a new slice.
func (s *scanner) str() ([]byte, error) {
	s.i++ // the opening quote
	start := s.i
	var out []byte // non-nil once an escape has been met
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '"':
			v := s.data[start:s.i]
			if out != nil {
				v = append(out, v...)
			}
			s.i++
			return v, nil
		case c < 0x20:
			return nil, ErrSyntax
		case c != '\\':
			s.i++
			continue
		}
		out = append(out, s.data[start:s.i]...)
		if s.i+1 >= len(s.data) {
			return nil, ErrSyntax
		}
		e := s.data[s.i+1]
		s.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return nil, ErrSyntax
			}
			if utf16.IsSurrogate(r) {
				// Only a high half followed by an escaped low half is a
				// character; anything else would decode to U+FFFD.
				if r >= 0xdc00 || s.i+1 >= len(s.data) || s.data[s.i] != '\\' || s.data[s.i+1] != 'u' {
					return nil, ErrInvalidUTF8
				}
				s.i += 2
				lo, ok := s.hex4()
				if !ok {
					return nil, ErrSyntax
				}
				if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
					return nil, ErrInvalidUTF8
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, ErrSyntax
		}
		start = s.i
	}
	return nil, ErrSyntax
}

// hex4 reads the four hex digits of a \u escape.
func (s *scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.data) {
		return 0, false
	}
	var r rune
	for _, c := range s.data[s.i : s.i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	s.i += 4
	return r, true
}

// number reads a number as RFC 8259 spells it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
// Its size is encoding/json's business (a type error when it does not fit).
func (s *scanner) number() error {
	if s.data[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.data) && s.data[s.i] == '0':
		s.i++
	case !s.digits():
		return ErrSyntax
	}
	if s.i < len(s.data) && s.data[s.i] == '.' {
		s.i++
		if !s.digits() {
			return ErrSyntax
		}
	}
	if s.i < len(s.data) && (s.data[s.i] == 'e' || s.data[s.i] == 'E') {
		s.i++
		if s.i < len(s.data) && (s.data[s.i] == '+' || s.data[s.i] == '-') {
			s.i++
		}
		if !s.digits() {
			return ErrSyntax
		}
	}
	return nil
}

// digits reads one or more decimal digits.
func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.data) && '0' <= s.data[s.i] && s.data[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}
