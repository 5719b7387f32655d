// Package errclass makes gobware's sentinel errors: each one carries its
// class (one of the core sentinels, such as [github.com/gobware/gobware/core.ErrInvalidCredential], or
// a package's ErrBadOption), so that errors.Is(err, class) holds wherever
// the sentinel is returned, while its message stays the package's own
// ("cookie: malformed session cookie"), without the class's text appended.
package errclass

// New returns an error whose message is text and which wraps class, so
// errors.Is(New(class, text), class) is true. text starts with the name
// of the package that declares the sentinel and a colon.
func New(class error, text string) error {
	return &sentinel{text: text, class: class}
}

type sentinel struct {
	text  string
	class error
}

func (e *sentinel) Error() string { return e.text }

// Unwrap returns the class, for errors.Is and errors.As.
func (e *sentinel) Unwrap() error { return e.class }

// Client returns an error the client caused, whose message is text and
// whose HTTPStatus method returns status, a 4xx: what
// [github.com/gobware/gobware/core.Status] and the HTTP layers answer it
// with. Its text is safe to show the client.
func Client(status int, text string) error {
	return &clientError{text: text, status: status}
}

type clientError struct {
	text   string
	status int
}

func (e *clientError) Error() string { return e.text }

// HTTPStatus returns the status that answers the error.
func (e *clientError) HTTPStatus() int { return e.status }
