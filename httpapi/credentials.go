package httpapi

import (
	"context"
	"net/http"
	"unicode/utf8"
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
	userID, err := a.Users.Verify(ctx, c.Username, c.Password)
	if err != nil {
		return "", Error(err)
	}
	return userID, nil
}
