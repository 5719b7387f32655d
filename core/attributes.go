package core

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/gobware/gobware/internal/errclass"
)

// Attributes are small application values chosen when a user signs in and
// carried by the credential: roles, a tenant, the plan. Keys map to one or
// more values, as url.Values do. A session keeps them in its row and a
// token inside its encryption, so reading them costs nothing beyond the
// authentication itself; they change at the next login, at a session
// Update, or at a token refresh (see the jwt package's RefreshAttributes).
//
// They are not a profile: keep them under MaxAttributesSize, and keep
// anything a user may change often in the application's own tables.
type Attributes map[string][]string

// RoleAttribute is the key under which roles are kept: Identity.HasRole
// and the role requirements of the adapters read it.
const RoleAttribute = "role"

// MaxAttributesSize bounds the attributes one credential carries: the
// length in bytes of their canonical JSON encoding (keys sorted, as
// encoding/json writes a map). The bound keeps a session row and a token
// small; a token with the largest attributes still fits the JWT strategy's
// size cap.
const MaxAttributesSize = 1024

// MaxMethodLength bounds the length of a login method name.
const MaxMethodLength = 32

// ErrAttributesTooLarge is returned by Attributes.Check, and so by every
// login, token issue and session update, when the attributes' canonical
// JSON encoding is longer than MaxAttributesSize. It wraps
// [ErrInvalidArgument]: the application chose too much to carry.
var ErrAttributesTooLarge = errclass.New(ErrInvalidArgument, "core: attributes too large")

// ErrBadAttribute is returned by Attributes.Check, and so by every login,
// token issue and session update, for an empty key, or a key or value
// that is not valid UTF-8 (it would not read back as written). It wraps
// [ErrInvalidArgument].
var ErrBadAttribute = errclass.New(ErrInvalidArgument, "core: bad attribute")

// ErrBadMethod is returned by LoginOptions.Check, and so by every login,
// token issue and session update, for a login method longer than
// MaxMethodLength bytes or with characters other than ASCII letters,
// digits and "-_.:+". It wraps [ErrInvalidArgument].
var ErrBadMethod = errclass.New(ErrInvalidArgument, "core: bad login method")

// Get returns the first value of key, or "".
func (a Attributes) Get(key string) string {
	if v := a[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has reports whether value is one of key's values.
func (a Attributes) Has(key, value string) bool {
	return slices.Contains(a[key], value)
}

// Clone returns a deep copy of a, or nil when a is nil.
func (a Attributes) Clone() Attributes {
	if a == nil {
		return nil
	}
	out := make(Attributes, len(a))
	for k, v := range a {
		out[k] = slices.Clone(v)
	}
	return out
}

// Equal reports whether a and b hold the same keys with the same values in
// the same order. A nil and an empty Attributes are equal.
func (a Attributes) Equal(b Attributes) bool {
	return maps.EqualFunc(a, b, slices.Equal)
}

// Size returns the length in bytes of a's canonical JSON encoding, the
// figure MaxAttributesSize bounds. Empty attributes have size 0.
func (a Attributes) Size() int {
	if len(a) == 0 {
		return 0
	}
	b, err := json.Marshal(a)
	if err != nil { // cannot happen for a map of strings
		return MaxAttributesSize + 1
	}
	return len(b)
}

// Check returns nil if a can be carried by a credential: no empty key,
// keys and values valid UTF-8, and a Size of at most MaxAttributesSize.
// Otherwise it returns an error wrapping ErrBadAttribute or
// ErrAttributesTooLarge that names the key or the sizes.
func (a Attributes) Check() error {
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if k == "" {
			return fmt.Errorf("%w: empty key", ErrBadAttribute)
		}
		if !utf8.ValidString(k) {
			return fmt.Errorf("%w: key %q is not valid UTF-8", ErrBadAttribute, k)
		}
		for _, v := range a[k] {
			if !utf8.ValidString(v) {
				return fmt.Errorf("%w: a value of %q is not valid UTF-8", ErrBadAttribute, k)
			}
		}
	}
	if n := a.Size(); n > MaxAttributesSize {
		return fmt.Errorf("%w: %d bytes of JSON, at most %d allowed", ErrAttributesTooLarge, n, MaxAttributesSize)
	}
	return nil
}

// LoginOptions are what an application says about a sign-in beyond the
// user's ID. The zero value records nothing: no method, no attributes, and
// the strategy's default persistence.
type LoginOptions struct {
	// Method names how the user proved who they are: MethodPassword,
	// MethodPasskey, or the application's own name ("oidc", "totp").
	// Identity.Method reports it. Default "": unknown.
	Method string

	// Attributes are carried by the credential and reported by
	// Identity.Attributes; they are copied, so the caller may reuse the
	// map. Default nil: none.
	Attributes Attributes

	// Remember, when not nil, chooses for this login whether a session
	// cookie persists (Max-Age and Expires at the session's absolute
	// deadline: "remember me") or lives as long as the browser session.
	// Default nil: the strategy's own setting (cookie's
	// Options.Persistent). Strategies that set no cookie ignore it.
	Remember *bool
}

// Check returns nil if o can be recorded, else an error wrapping
// ErrBadMethod, ErrBadAttribute or ErrAttributesTooLarge.
func (o LoginOptions) Check() error {
	if err := CheckMethod(o.Method); err != nil {
		return err
	}
	return o.Attributes.Check()
}

// CheckMethod returns nil if method can be recorded as a login method: ""
// or up to MaxMethodLength ASCII letters, digits and "-_.:+". Otherwise it
// returns an error wrapping ErrBadMethod.
func CheckMethod(method string) error {
	if len(method) > MaxMethodLength {
		return fmt.Errorf("%w: %d bytes, at most %d allowed", ErrBadMethod, len(method), MaxMethodLength)
	}
	for i := 0; i < len(method); i++ {
		c := method[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':' || c == '+') {
			return fmt.Errorf("%w: %q may hold ASCII letters, digits and -_.:+ only", ErrBadMethod, method)
		}
	}
	return nil
}

// SessionUpdate says how to change a live session (see the cookie
// strategy's Update): new attributes, a step-up, or both. Its zero value
// changes nothing but the session's ID.
type SessionUpdate struct {
	// Attributes, when not nil, replace the session's attributes; an empty
	// non-nil map clears them. Nil keeps them.
	Attributes Attributes

	// Reauthenticated says the user has just proved who they are again (a
	// second factor, the password typed again): the session's AuthTime
	// becomes now, so RequireFreshLogin passes again.
	Reauthenticated bool

	// Method, when not "", replaces the session's login method (for
	// example "password+totp" after a second factor).
	Method string
}

// Check returns nil if u can be applied, else an error wrapping
// ErrBadMethod, ErrBadAttribute or ErrAttributesTooLarge.
func (u SessionUpdate) Check() error {
	if err := CheckMethod(u.Method); err != nil {
		return err
	}
	return u.Attributes.Check()
}
