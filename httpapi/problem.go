package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gobware/gobware/core"
)

// The machine-readable codes a Problem carries.
const (
	CodeUnauthenticated    = "unauthenticated"
	CodeInvalidCredentials = "invalid_credentials"
	CodeForbiddenOrigin    = "forbidden_origin"
	CodeForbidden          = "forbidden"
	// CodeReauthenticationRequired answers core.ErrReauthenticationRequired:
	// the user must sign in again before retrying.
	CodeReauthenticationRequired = "reauthentication_required"
	CodeConflict                 = "conflict"
	CodeBadRequest               = "bad_request"
	CodeNotFound                 = "not_found"
	CodeMethodNotAllowed         = "method_not_allowed"
	CodePayloadTooLarge          = "payload_too_large"
	CodeValidationFailed         = "validation_failed"
	CodeTooManyRequests          = "too_many_requests"
	CodeInternal                 = "internal"
	CodeUnavailable              = "unavailable"
	CodeClientClosed             = "client_closed_request"
)

// Problem is an RFC 9457 problem document. It is also an error, so handlers
// return it like any other; its Detail is always safe to show to clients.
//
// A Problem made by ProblemFor wraps the error it was made from, so an
// application's error handler can still ask errors.Is(err,
// [core.ErrForbiddenOrigin]) and the like.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Code   string `json:"code"`

	cause error
}

func (p *Problem) Error() string { return "httpapi: " + p.Code + ": " + p.Detail }

// Unwrap returns the error the Problem was made from, or nil.
func (p *Problem) Unwrap() error { return p.cause }

// NewProblem returns a Problem with the given status, code and client-safe detail.
func NewProblem(status int, code, detail string) *Problem {
	return &Problem{
		Type:   "urn:gobware:problem:" + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
	}
}

// ProblemFor maps any error to the Problem every adapter answers with. It is
// the one place where errors become statuses. Details of internal failures
// (SQL, stack, key material) never reach the problem: they are logged.
func ProblemFor(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	p = problemFor(err)
	p.cause = err
	return p
}

// problemFor answers err with the status [core.Status] gives it, the one
// table of statuses; it only adds the code and the client-safe detail.
func problemFor(err error) *Problem {
	switch status := core.Status(err); status {
	case http.StatusUnauthorized:
		if errors.Is(err, core.ErrNoCredential) {
			return NewProblem(status, CodeUnauthenticated, "This request needs a session cookie or a bearer token.")
		}
		return NewProblem(status, CodeInvalidCredentials, "The credentials are wrong, expired or revoked.")
	case http.StatusForbidden:
		if errors.Is(err, core.ErrForbiddenOrigin) {
			return NewProblem(status, CodeForbiddenOrigin, "Cross-origin requests may not change state with a session cookie.")
		}
		if errors.Is(err, core.ErrReauthenticationRequired) {
			return NewProblem(status, CodeReauthenticationRequired, "This action needs a recent sign-in: sign in again, then retry.")
		}
		if errors.Is(err, core.ErrForbidden) {
			// The detail does not name what was missing: attribute values
			// (a tenant, say) are the application's business.
			return NewProblem(status, CodeForbidden, "Your account is not allowed to do this.")
		}
		return NewProblem(status, statusCode(status), clientDetail(err))
	case http.StatusTooManyRequests:
		var c ClientError
		if errors.As(err, &c) { // its text is meant for the client
			return NewProblem(status, CodeTooManyRequests, clientDetail(c))
		}
		return NewProblem(status, CodeTooManyRequests, "Too many failed attempts; try again after the time in Retry-After.")
	case core.StatusClientClosedRequest:
		// The request's context ends when its client disconnects: not an
		// outage, and not worth an error line. Recorded work (a failed
		// attempt counted by the limiter) was done with a context that
		// outlives the client.
		slog.Info("httpapi: the client went away before the answer", "err", err)
		p := NewProblem(status, CodeClientClosed, "The client closed the request.")
		p.Title = "Client Closed Request"
		return p
	case http.StatusServiceUnavailable:
		slog.Error("httpapi: backend unavailable", "err", err)
		return NewProblem(status, CodeUnavailable, "The service is temporarily unavailable; try again shortly.")
	case http.StatusInternalServerError:
		slog.Error("httpapi: internal error", "err", err)
		return NewProblem(status, CodeInternal, "Something went wrong on our side.")
	default: // a 4xx an error the client caused reports (ClientError)
		return NewProblem(status, statusCode(status), clientDetail(err))
	}
}

// ClientError is an error the client caused, such as a reference to
// something that does not exist or a value out of range, whose text is
// safe to show the client. A domain package implements it on its own
// errors without importing httpapi (the cart package's ErrUnknownProduct
// and ErrInvalidQuantity do), and ProblemFor answers an error with one in
// its chain with that status (a 4xx; anything else is ignored), the code
// of the status, and the error's text as the detail, without the leading
// package name ("cart: invalid quantity: 0 is not between 1 and 99"
// becomes "Invalid quantity: 0 is not between 1 and 99.").
type ClientError interface {
	error
	// HTTPStatus is the status that answers the error, a 4xx.
	HTTPStatus() int
}

// statusCode is the Problem code of a client error's status.
func statusCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusMethodNotAllowed:
		return CodeMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		return CodePayloadTooLarge
	case http.StatusUnprocessableEntity:
		return CodeValidationFailed
	case http.StatusTooManyRequests:
		return CodeTooManyRequests
	case http.StatusUnauthorized:
		return CodeUnauthenticated
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusConflict:
		return CodeConflict
	default:
		return CodeBadRequest
	}
}

// clientDetail is err's text as a sentence, without the "pkg: " prefix Go
// errors start with.
func clientDetail(err error) string {
	text := err.Error()
	if pkg, rest, ok := strings.Cut(text, ": "); ok && isPackageName(pkg) && rest != "" {
		text = rest
	}
	if text == "" {
		return "The request cannot be served."
	}
	text = strings.ToUpper(text[:1]) + text[1:]
	if !strings.HasSuffix(text, ".") {
		text += "."
	}
	return text
}

func isPackageName(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// Error returns the problem+json reply for err. Adapters use it for every
// failure so that all frameworks answer alike.
func Error(err error) *Reply {
	p := ProblemFor(err)
	r := NewReply(p.Status)
	r.Problem = p
	r.Header.Set("Content-Type", "application/problem+json")
	if wait, ok := retryAfter(err); ok && p.Status == http.StatusTooManyRequests {
		r.Header.Set("Retry-After", wait)
	}
	r.Body, _ = json.Marshal(p)
	r.Body = append(r.Body, '\n')
	return r
}

// retryAfter finds an error in err's chain that says how long to wait
// (limiter.LimitedError does) and returns it as whole seconds, rounded up,
// for the Retry-After header.
func retryAfter(err error) (string, bool) {
	var w interface{ RetryAfter() time.Duration }
	if !errors.As(err, &w) {
		return "", false
	}
	secs := (w.RetryAfter() + time.Second - 1) / time.Second
	return strconv.FormatInt(int64(max(secs, 1)), 10), true
}

// NotFound is the reply for a path no route serves.
func NotFound() *Reply {
	return Error(NewProblem(http.StatusNotFound, CodeNotFound, "No such resource."))
}

// MethodNotAllowed is the reply for a method the path does not serve:
// a problem+json 405 naming the methods it does serve in Allow.
func MethodNotAllowed(method, allow string) *Reply {
	reply := Error(NewProblem(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "This resource does not answer "+sanitizeMethod(method)+"."))
	reply.Header.Set("Allow", allow)
	return reply
}
