package httpapi

import (
	"io"

	"github.com/gobware/gobware/core"
)

// Request is what a handler reads: the core request plus the path parameters
// and body. Adapters implement it; values must be copies that outlive the
// framework's buffers.
type Request interface {
	core.Request
	// Param returns the decoded value of the {name} path parameter, or "".
	Param(name string) string
	// Body returns the request body. Handlers read it through DecodeJSON,
	// which bounds its size.
	Body() io.Reader
}
