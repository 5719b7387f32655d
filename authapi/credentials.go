package authapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/limiter"
)

// credentials is the body of POST /token, and the start of POST /session's.
type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// sessionCredentials is the body of POST /session.
type sessionCredentials struct {
	credentials
	// Remember chooses for this login whether the session cookie persists
	// (true: Max-Age and Expires at the session's absolute deadline) or
	// ends with the browser session (false). Absent: the strategy's
	// default (cookie.Options.Persistent).
	Remember *bool `json:"remember"`
}

// Field limits: generous for people, small enough that nobody can make the
// server hash megabytes (bcrypt only reads 72 bytes anyway).
const (
	maxUsername = 256
	maxPassword = 1024
)

// verify checks the credentials c from r's body and returns the user's
// ID, and remember, which gives the browser a new device token on the
// reply that logs the user in. Every failure is a client-safe error.
func (a *API) verify(ctx context.Context, r httpapi.Request, c credentials) (userID string, remember func(*httpapi.Reply), fail *httpapi.Reply) {
	switch {
	case c.Username == "" || c.Password == "":
		return "", nil, httpapi.Error(httpapi.NewProblem(http.StatusUnprocessableEntity, httpapi.CodeValidationFailed, "Both username and password are required."))
	case len(c.Username) > maxUsername || len(c.Password) > maxPassword:
		return "", nil, httpapi.Error(httpapi.NewProblem(http.StatusUnprocessableEntity, httpapi.CodeValidationFailed, "The username or password is too long."))
	case !utf8.ValidString(c.Username):
		return "", nil, httpapi.Error(httpapi.NewProblem(http.StatusUnprocessableEntity, httpapi.CodeValidationFailed, "The username must be UTF-8 text."))
	}
	remember = func(reply *httpapi.Reply) {
		a.Devices.Issue(reply, limiter.Account(c.Username)) // renewed on every login; nil issues none
	}
	if a.Limiter == nil {
		userID, err := a.Users.Verify(ctx, c.Username, c.Password)
		if err != nil {
			return "", nil, httpapi.Error(err)
		}
		return userID, remember, nil
	}
	// The account and the client's address, or, from a browser with a
	// valid device token for this account, that device alone.
	keys := limiter.LoginKeys(r, c.Username, a.Devices)
	// Counted before the password is checked, so that concurrent guesses
	// cannot all get in before the first is counted; refused even for the
	// right password, so that a locked account tells a guesser nothing.
	res, err := a.Limiter.Reserve(ctx, keys...)
	if err != nil {
		return "", nil, httpapi.Error(err)
	}
	// Settled even when the client hangs up during the check: a guess is
	// counted whether or not its answer is read.
	settle := context.WithoutCancel(ctx)
	userID, err = a.Users.Verify(ctx, c.Username, c.Password)
	switch {
	case errors.Is(err, core.ErrInvalidCredential):
		res.Failed(settle)
		return "", nil, httpapi.Error(err)
	case err != nil:
		return "", nil, httpapi.Error(err) // unsettled: the attempt stays counted
	}
	// The account (or device) starts afresh; the address only gets this
	// attempt back, so that a login to one's own account does not clear
	// the count of an address that is guessing at others.
	if err := res.Succeeded(settle); err != nil {
		slog.WarnContext(ctx, "httpapi: settling the login limiter failed", "err", err)
	}
	return userID, remember, nil
}
