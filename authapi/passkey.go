package authapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/passkey"
)

// PasskeyRoutes returns the passkey endpoints, or none without Passkeys
// and Sessions: POST /passkeys/register/options and POST
// /passkeys/register (add a passkey; signed-in users only), POST
// /passkeys/login/options and POST /passkeys/login (sign in with a passkey
// alone: the session cookie is set as by POST /session), GET /passkeys
// (the caller's passkeys), PATCH /passkeys/{id} (rename one) and DELETE
// /passkeys/{id}.
//
// Every unsafe passkey route refuses cross-origin requests, with or
// without a session cookie (403 forbidden_origin), as the login route
// does.
func (a *API) PasskeyRoutes() []httpapi.Route {
	if a.Passkeys == nil || a.Sessions == nil {
		return nil
	}
	unsafe := func(method, pattern string, auth bool, h httpapi.Handler) httpapi.Route {
		rt := a.route(method, pattern, auth, h)
		rt.LoginCSRF = true
		return rt
	}
	return []httpapi.Route{
		unsafe(http.MethodPost, "/passkeys/register/options", true, a.passkeyRegisterOptions),
		unsafe(http.MethodPost, "/passkeys/register", true, a.passkeyRegister),
		unsafe(http.MethodPost, "/passkeys/login/options", false, a.passkeyLoginOptions),
		unsafe(http.MethodPost, "/passkeys/login", false, a.passkeyLogin),
		a.route(http.MethodGet, "/passkeys", true, a.listPasskeys),
		unsafe(http.MethodPatch, "/passkeys/{id}", true, a.renamePasskey),
		unsafe(http.MethodDelete, "/passkeys/{id}", true, a.deletePasskey),
	}
}

// PasskeyView is one entry of GET /passkeys and the body of a successful
// POST /passkeys/register. LastUsedAt is null until the passkey signs in.
type PasskeyView struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

func passkeyView(c passkey.Credential) PasskeyView {
	v := PasskeyView{ID: passkey.EncodeID(c.ID), Name: c.Name, CreatedAt: c.CreatedAt}
	if !c.LastUsedAt.IsZero() {
		t := c.LastUsedAt
		v.LastUsedAt = &t
	}
	return v
}

func (a *API) passkeyRegisterOptions(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	userID := core.UserID(ctx)
	u := passkey.User{ID: userID}
	if a.Users != nil {
		name, err := a.Users.Name(ctx, userID)
		if err != nil {
			return httpapi.Error(err)
		}
		u.Name = name
	}
	options, err := a.Passkeys.BeginRegistration(ctx, u)
	if err != nil {
		return httpapi.Error(err)
	}
	return rawJSON(options)
}

func (a *API) passkeyRegister(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	var body json.RawMessage
	if err := httpapi.DecodeJSON(r, &body); err != nil {
		return httpapi.Error(err)
	}
	c, err := a.Passkeys.FinishRegistration(ctx, core.UserID(ctx), "", body)
	if err != nil {
		return passkeyRefusal(err, http.StatusBadRequest)
	}
	return httpapi.JSON(http.StatusCreated, passkeyView(c))
}

func (a *API) passkeyLoginOptions(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	options, err := a.Passkeys.BeginLogin(ctx)
	if err != nil {
		return httpapi.Error(err)
	}
	return rawJSON(options)
}

func (a *API) passkeyLogin(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	var body json.RawMessage
	if err := httpapi.DecodeJSON(r, &body); err != nil {
		return httpapi.Error(err)
	}
	c, err := a.Passkeys.FinishLogin(ctx, body)
	if err != nil {
		return passkeyRefusal(err, http.StatusUnauthorized)
	}
	out := map[string]string{"user_id": c.UserID}
	if a.Users != nil {
		name, err := a.Users.Name(ctx, c.UserID)
		if err != nil {
			return httpapi.Error(err)
		}
		out["username"] = name
	}
	opts, err := a.LoginOptions(ctx, c.UserID, core.MethodPasskey)
	if err != nil {
		return httpapi.Error(err)
	}
	reply := httpapi.JSON(http.StatusOK, out)
	if err := a.startSession(r, reply, c.UserID, opts); err != nil {
		return httpapi.Error(err)
	}
	return reply
}

func (a *API) listPasskeys(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	cs, err := a.Passkeys.List(ctx, core.UserID(ctx))
	if err != nil {
		return httpapi.Error(err)
	}
	views := make([]PasskeyView, 0, len(cs))
	for _, c := range cs {
		views = append(views, passkeyView(c))
	}
	return httpapi.JSON(http.StatusOK, map[string][]PasskeyView{"passkeys": views})
}

// renamePasskey answers PATCH /passkeys/{id} {"name"}: the renamed
// passkey, 404 for one the caller does not have, 422 for a bad name.
func (a *API) renamePasskey(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	var body struct {
		Name string `json:"name"`
	}
	if err := httpapi.DecodeJSON(r, &body); err != nil {
		return httpapi.Error(err)
	}
	userID := core.UserID(ctx)
	id, err := passkey.DecodeID(r.Param("id"))
	if err == nil {
		err = a.Passkeys.Rename(ctx, userID, id, body.Name)
	}
	if err != nil {
		return passkeyNotFound(err)
	}
	cs, err := a.Passkeys.List(ctx, userID)
	if err != nil {
		return httpapi.Error(err)
	}
	for _, c := range cs {
		if bytes.Equal(c.ID, id) {
			return httpapi.JSON(http.StatusOK, passkeyView(c))
		}
	}
	// Deleted between the rename and the list.
	return passkeyNotFound(passkey.ErrNotFound)
}

func (a *API) deletePasskey(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	id, err := passkey.DecodeID(r.Param("id"))
	if err == nil {
		err = a.Passkeys.Delete(ctx, core.UserID(ctx), id)
	}
	if err != nil {
		return passkeyNotFound(err)
	}
	return httpapi.NoContent()
}

// passkeyNotFound answers err from an action on one of the caller's
// passkeys: ErrNotFound (another user's passkey, too) as a 404 that names
// no owner, anything else as usual.
func passkeyNotFound(err error) *httpapi.Reply {
	if errors.Is(err, passkey.ErrNotFound) {
		return httpapi.Error(httpapi.NewProblem(http.StatusNotFound, httpapi.CodeNotFound, "You have no passkey with that id."))
	}
	return httpapi.Error(err)
}

// passkeyRefusal answers a refused ceremony: a problem with status (400
// for a registration, 401 for a sign-in; 409 for a passkey registered
// already) whose detail says what went wrong, so that the page can tell
// the user. Anything else (a store failure) is the usual error reply.
func passkeyRefusal(err error, status int) *httpapi.Reply {
	code := httpapi.CodeInvalidCredentials
	if status == http.StatusBadRequest {
		code = httpapi.CodeBadRequest
	}
	var detail string
	switch {
	case errors.Is(err, passkey.ErrMalformed):
		status, code, detail = http.StatusBadRequest, httpapi.CodeBadRequest, "The passkey response is malformed or too large."
	case errors.Is(err, passkey.ErrChallenge):
		detail = "This passkey request expired or was already used; start again."
	case errors.Is(err, passkey.ErrUnknownCredential):
		detail = "This passkey is not registered here (it may have been deleted)."
	case errors.Is(err, passkey.ErrVerification):
		detail = "The passkey response did not verify: wrong site, no user verification, or a bad signature."
	case errors.Is(err, passkey.ErrCounter):
		detail = "This passkey's signature counter went backwards; the authenticator may have been cloned."
	case errors.Is(err, passkey.ErrExists):
		status, code, detail = http.StatusConflict, httpapi.CodeConflict, "This passkey is already registered."
	default:
		return httpapi.Error(err)
	}
	return httpapi.Error(httpapi.NewProblem(status, code, detail))
}

// rawJSON is a 200 reply with an already encoded JSON body.
func rawJSON(body []byte) *httpapi.Reply {
	reply := httpapi.NewReply(http.StatusOK)
	reply.SetHeader("Content-Type", "application/json")
	reply.Body = append(body, '\n')
	return reply
}
