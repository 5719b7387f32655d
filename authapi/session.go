package authapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/cookie"
)

func (a *API) login(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	var body sessionCredentials
	if err := httpapi.DecodeJSON(r, &body); err != nil {
		return httpapi.Error(err)
	}
	userID, remember, fail := a.verify(ctx, r, body.credentials)
	if fail != nil {
		return fail
	}
	name, err := a.Users.Name(ctx, userID)
	if err != nil {
		return httpapi.Error(err)
	}
	opts, err := a.LoginOptions(ctx, userID, core.MethodPassword)
	if err != nil {
		return httpapi.Error(err)
	}
	opts.Remember = body.Remember
	reply := httpapi.JSON(http.StatusOK, map[string]string{"user_id": userID, "username": name})
	if err := a.startSession(r, reply, userID, opts); err != nil {
		return httpapi.Error(err)
	}
	remember(reply)
	return reply
}

func (a *API) logout(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	reply := httpapi.NoContent()
	if err := a.Sessions.Logout(r, reply); err != nil {
		return failKeepingCookies(err, reply)
	}
	return reply
}

// failKeepingCookies is the error reply for err that still carries the
// cookies set on reply: a logout that could not delete the session row
// still makes the browser forget the cookie.
func failKeepingCookies(err error, reply *httpapi.Reply) *httpapi.Reply {
	fail := httpapi.Error(err)
	for _, c := range reply.Header.Values("Set-Cookie") {
		fail.Header.Add("Set-Cookie", c)
	}
	return fail
}

// sessionView is one entry of GET /api/sessions: an opaque handle, never
// the session ID or its hash.
type sessionView struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	UserAgent  string    `json:"user_agent"`
	Current    bool      `json:"current"`
}

func (a *API) listSessions(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	return a.sessionsOf(ctx, r, core.UserID(ctx))
}

// sessionsOf answers the live sessions of userID; the one r carries, if
// among them, is current.
func (a *API) sessionsOf(ctx context.Context, r httpapi.Request, userID string) *httpapi.Reply {
	sessions, err := a.Sessions.Sessions(ctx, userID)
	if err != nil {
		return httpapi.Error(err)
	}
	current := a.Sessions.CurrentHandle(r)
	views := make([]sessionView, 0, len(sessions))
	for _, s := range sessions {
		h := s.Hash.Handle()
		views = append(views, sessionView{ID: h, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, UserAgent: s.UserAgent, Current: h == current})
	}
	return httpapi.JSON(http.StatusOK, map[string][]sessionView{"sessions": views})
}

// LogoutEverywhere ends every way userID is signed in: all their sessions
// (cookie.Strategy.LogoutEverywhere) and all their refresh-token families
// (jwt.Strategy.RevokeUser, which with jwt.Options.Watermarks also ends
// their access tokens). DELETE /api/sessions calls it; call it yourself
// after a password change. Parts the API does not have are skipped.
func (a *API) LogoutEverywhere(ctx context.Context, userID string) error {
	if a.Sessions != nil {
		if _, err := a.Sessions.LogoutEverywhere(ctx, userID); err != nil {
			return err
		}
	}
	if a.Tokens != nil {
		if err := a.Tokens.RevokeUser(ctx, userID); err != nil {
			return err
		}
	}
	return nil
}

func (a *API) logoutEverywhere(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	if err := a.LogoutEverywhere(ctx, core.UserID(ctx)); err != nil {
		return httpapi.Error(err)
	}
	reply := httpapi.NoContent()
	// The caller's own cookie is now worthless; clear it too.
	if err := a.Sessions.Logout(r, reply); err != nil {
		return failKeepingCookies(err, reply)
	}
	return reply
}

func (a *API) endSession(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	if err := a.Sessions.End(ctx, core.UserID(ctx), r.Param("id")); err != nil {
		if errors.Is(err, cookie.ErrNotFound) {
			return httpapi.Error(httpapi.NewProblem(http.StatusNotFound, httpapi.CodeNotFound, "You have no session with that id."))
		}
		return httpapi.Error(err)
	}
	return httpapi.NoContent()
}
