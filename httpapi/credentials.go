package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
)

// credentials is the body of the login endpoints.
type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Field limits: generous for people, small enough that nobody can make the
// server hash megabytes (bcrypt only reads 72 bytes anyway).
const (
	maxUsername = 256
	maxPassword = 1024
)

// verify decodes and checks the credentials in r's body and returns the
// user's ID. Every failure is a client-safe error.
func (a *API) verify(ctx context.Context, r Request) (string, *Reply) {
	var c credentials
	if err := DecodeJSON(r, &c); err != nil {
		return "", Error(err)
	}
	switch {
	case c.Username == "" || c.Password == "":
		return "", Error(NewProblem(http.StatusUnprocessableEntity, CodeValidationFailed, "Both username and password are required."))
	case len(c.Username) > maxUsername || len(c.Password) > maxPassword:
		return "", Error(NewProblem(http.StatusUnprocessableEntity, CodeValidationFailed, "The username or password is too long."))
	case !utf8.ValidString(c.Username):
		return "", Error(NewProblem(http.StatusUnprocessableEntity, CodeValidationFailed, "The username must be UTF-8 text."))
	}
	if a.Limiter == nil {
		userID, err := a.Users.Verify(ctx, c.Username, c.Password)
		if err != nil {
			return "", Error(err)
		}
		return userID, nil
	}
	account := limiter.Account(c.Username)
	keys := []string{account, ""}
	if ip := core.ClientIP(r); ip != "" {
		keys[1] = limiter.IP(ip)
	}
	// Checked before the password, and refused even for the right one, so
	// that a locked account tells a guesser nothing.
	if err := a.Limiter.Check(ctx, keys...); err != nil {
		return "", Error(err)
	}
	userID, err := a.Users.Verify(ctx, c.Username, c.Password)
	switch {
	case errors.Is(err, core.ErrInvalidCredential):
		// Counted with a context that outlives the client: a guesser who
		// hangs up before the answer still spends an attempt.
		if _, ferr := a.Limiter.Failure(context.WithoutCancel(ctx), keys...); ferr != nil {
			return "", Error(ferr)
		}
		return "", Error(err)
	case err != nil:
		return "", Error(err)
	}
	// Only the account starts afresh: a login to one's own account must not
	// clear the count of an address that is guessing at others.
	if err := a.Limiter.Success(context.WithoutCancel(ctx), account); err != nil {
		slog.WarnContext(ctx, "httpapi: resetting the login limiter failed", "err", err)
	}
	return userID, nil
}
