package authapi

import (
	"cmp"
	"context"
	"net/http"
	"unicode/utf8"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// maxUserID bounds the {user_id} of the admin routes.
const maxUserID = 256

// AdminRoutes returns the endpoints through which an admin (a caller with
// the role AdminRole, "admin" by default) looks after other users'
// sign-ins, or none without Sessions:
//
//   - GET /admin/users/{user_id}/sessions lists that user's live
//     sessions, in the shape of GET /sessions;
//   - DELETE /admin/users/{user_id}/sessions logs that user out
//     everywhere (LogoutEverywhere: every session, every refresh-token
//     family, and with watermarks their access tokens): 204. It also
//     needs a sign-in no older than FreshLogin, else 403
//     reauthentication_required.
//
// A caller without the role gets 403 forbidden, an anonymous one 401. A
// user ID nobody has is not told apart: it has no sessions to list or
// end. The DELETE is an unsafe request: with a session cookie it must
// come from the same origin (403 forbidden_origin otherwise).
func (a *API) AdminRoutes() []httpapi.Route {
	if a.Sessions == nil {
		return nil
	}
	admin := httpapi.Role(cmp.Or(a.AdminRole, "admin"))
	fresh := httpapi.FreshLogin(cmp.Or(a.FreshLogin, DefaultFreshLogin))
	return []httpapi.Route{
		a.route(http.MethodGet, "/admin/users/{user_id}/sessions", true, authorized(a.listUserSessions, admin)),
		a.route(http.MethodDelete, "/admin/users/{user_id}/sessions", true, authorized(a.logoutUser, admin, fresh)),
	}
}

// authorized runs h for callers that meet every rule (httpapi.Authorize).
func authorized(h httpapi.Handler, rules ...httpapi.Rule) httpapi.Handler {
	return func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		if refused := httpapi.Authorize(ctx, rules...); refused != nil {
			return refused
		}
		return h(ctx, r)
	}
}

// targetUser reads {user_id}, or answers 422 for one no user can have.
func targetUser(r httpapi.Request) (string, *httpapi.Reply) {
	userID := r.Param("user_id")
	if userID == "" || len(userID) > maxUserID || !utf8.ValidString(userID) {
		return "", httpapi.Error(httpapi.NewProblem(http.StatusUnprocessableEntity, httpapi.CodeValidationFailed, "user_id must be 1 to 256 bytes of UTF-8 text."))
	}
	return userID, nil
}

func (a *API) listUserSessions(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	userID, fail := targetUser(r)
	if fail != nil {
		return fail
	}
	return a.sessionsOf(ctx, r, userID)
}

func (a *API) logoutUser(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	userID, fail := targetUser(r)
	if fail != nil {
		return fail
	}
	if err := a.LogoutEverywhere(ctx, userID); err != nil {
		return httpapi.Error(err)
	}
	reply := httpapi.NoContent()
	if userID == core.UserID(ctx) {
		// An admin who logs themself out everywhere: clear their cookie too.
		if err := a.Sessions.Logout(r, reply); err != nil {
			return failKeepingCookies(err, reply)
		}
	}
	return reply
}
