package authapi

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// Users is the application's user directory, which the login endpoints ask.
type Users interface {
	// Verify returns the user ID for username and password, or an error
	// wrapping core.ErrInvalidCredential when either is wrong. It should take
	// the same time whether or not the user exists.
	Verify(ctx context.Context, username, password string) (userID string, err error)
	// Name returns the username of userID.
	Name(ctx context.Context, userID string) (string, error)
}

// API is the ready-made authentication endpoints (docs/API.md). Each part
// is optional: an API without Sessions has no session routes, one without
// Tokens no token routes. Its routes' patterns are relative ("/session");
// an adapter mounts them under the prefix the application chooses.
type API struct {
	Users    Users            // required by every login route and by me
	Sessions *cookie.Strategy // session cookie routes
	Tokens   *jwt.Strategy    // bearer token routes
	// Passkeys adds the passkey routes (PasskeyRoutes), which need
	// Sessions too: a passkey sign-in ends in a session cookie.
	Passkeys *passkey.Service
	// Limiter slows down password guessing on the login routes, per
	// account and per client address; a key that must wait gets 429
	// too_many_requests with Retry-After. Nil means no limit.
	Limiter *limiter.Limiter
	// Devices gives a browser a signed device token at every successful
	// login, and counts the login attempts of a browser with a valid token
	// for the account under that device's own allowance, so that guesses
	// from elsewhere do not lock the account's owner out of it (see
	// limiter.Devices). Nil means no device tokens: every attempt meets
	// the account limit.
	Devices *limiter.Devices
	// Measure, when set, wraps each strategy of the chain authenticated
	// routes use, given its name ("cookie", "jwt"): the hook for
	// observing authentications, e.g. with the otel package's
	// Telemetry.Strategy. Nil leaves the strategies as they are.
	Measure func(name string, s core.Strategy) core.Strategy
	// Attributes, when set, chooses the attributes each login carries
	// (roles under core.RoleAttribute, a tenant): it is called with the
	// user's ID once the password or passkey is checked, by the session,
	// token and passkey logins, and the credential then holds them
	// (Identity.Attributes) until the next login. An error fails the
	// login. Nil: logins carry no attributes.
	Attributes func(ctx context.Context, userID string) (core.Attributes, error)
	// AdminRole is the role AdminRoutes require. Default "admin".
	AdminRole string
	// FreshLogin is how recent a sign-in AdminRoutes' DELETE needs: a
	// caller who signed in longer ago gets 403 reauthentication_required
	// and must sign in again. Default DefaultFreshLogin.
	FreshLogin time.Duration
}

// DefaultFreshLogin is API.FreshLogin's default.
const DefaultFreshLogin = 15 * time.Minute

// Strategy is the chain authenticated routes use: the session cookie, then
// the bearer token, whichever the API has. Protect the application's own
// routes with it too (an adapter's Require), so that both credentials work
// everywhere.
func (a *API) Strategy() core.Strategy {
	var chain []core.Strategy
	member := func(name string, s core.Strategy) {
		if a.Measure != nil {
			s = a.Measure(name, s)
		}
		chain = append(chain, s)
	}
	if a.Sessions != nil {
		member(cookie.StrategyName, a.Sessions)
	}
	if a.Tokens != nil {
		member(jwt.Name, a.Tokens)
	}
	return core.Chain(chain...)
}

// Routes returns every endpoint a has: SessionRoutes, TokenRoutes,
// PasskeyRoutes, AdminRoutes and MeRoutes.
func (a *API) Routes() []httpapi.Route {
	routes := a.SessionRoutes()
	routes = append(routes, a.TokenRoutes()...)
	routes = append(routes, a.PasskeyRoutes()...)
	routes = append(routes, a.AdminRoutes()...)
	return append(routes, a.MeRoutes()...)
}

// route returns a route of a, authenticated with a's Strategy when auth is set.
func (a *API) route(method, pattern string, auth bool, h httpapi.Handler) httpapi.Route {
	rt := httpapi.Route{Method: method, Pattern: pattern, Handler: h}
	if a.Sessions != nil {
		rt.Sessions = a.Sessions
	}
	if auth {
		rt.Auth = &httpapi.Guard{Strategy: a.Strategy()}
	}
	return rt
}

// SessionRoutes returns the session cookie endpoints, or none without
// Sessions: POST /session (log in), DELETE /session (log out), GET
// /sessions (the caller's sessions), DELETE /sessions (log out everywhere)
// and DELETE /sessions/{id} (end one session).
func (a *API) SessionRoutes() []httpapi.Route {
	if a.Sessions == nil {
		return nil
	}
	login := a.route(http.MethodPost, "/session", false, a.login)
	login.LoginCSRF = true
	return []httpapi.Route{
		login,
		a.route(http.MethodDelete, "/session", false, a.logout),
		a.route(http.MethodGet, "/sessions", true, a.listSessions),
		a.route(http.MethodDelete, "/sessions", true, a.logoutEverywhere),
		a.route(http.MethodDelete, "/sessions/{id}", true, a.endSession),
	}
}

// TokenRoutes returns the bearer token endpoints, or none without Tokens:
// POST /token (issue a pair for a username and password), POST
// /token/refresh and POST /token/revoke.
func (a *API) TokenRoutes() []httpapi.Route {
	if a.Tokens == nil {
		return nil
	}
	return []httpapi.Route{
		a.route(http.MethodPost, "/token", false, a.issueToken),
		a.route(http.MethodPost, "/token/refresh", false, a.refreshToken),
		a.route(http.MethodPost, "/token/revoke", false, a.revokeToken),
	}
}

// MeRoutes returns GET /me, which names the caller (user ID, username and
// the strategy that authenticated them), or nothing without Users.
func (a *API) MeRoutes() []httpapi.Route {
	if a.Users == nil {
		return nil
	}
	return []httpapi.Route{a.route(http.MethodGet, "/me", true, a.me)}
}

// Me is the body of GET /me.
type Me struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	Strategy string `json:"strategy"`
	// AuthTime is when the user signed in (Identity.AuthTime), in UTC to
	// the second; kept across token refreshes and session touches, moved
	// by signing in again. Null when the credential does not say.
	AuthTime *time.Time `json:"auth_time"`
	// Roles are the caller's roles (core.RoleAttribute), [] when none.
	Roles []string `json:"roles"`
}

// MeOf is the Me of the caller id, whose username is username: what an
// application's own GET /me handler answers.
func MeOf(id core.Identity, username string) Me {
	me := Me{UserID: id.UserID, Username: username, Strategy: id.Strategy, Roles: []string{}}
	if !id.AuthTime.IsZero() {
		t := id.AuthTime.UTC().Truncate(time.Second)
		me.AuthTime = &t
	}
	if roles := id.Attributes[core.RoleAttribute]; len(roles) > 0 {
		me.Roles = slices.Clone(roles)
	}
	return me
}

func (a *API) me(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	id, _ := core.FromContext(ctx)
	name, err := a.Users.Name(ctx, id.UserID)
	if err != nil {
		return httpapi.Error(err)
	}
	return httpapi.JSON(http.StatusOK, MeOf(id, name))
}

// LoginOptions returns what a login of userID by method records: the
// method, and the attributes a.Attributes chooses. The login routes call
// it; an application's own login handler can too, to sign in the same way.
func (a *API) LoginOptions(ctx context.Context, userID, method string) (core.LoginOptions, error) {
	opts := core.LoginOptions{Method: method}
	if a.Attributes != nil {
		attrs, err := a.Attributes(ctx, userID)
		if err != nil {
			return core.LoginOptions{}, err
		}
		opts.Attributes = attrs
	}
	return opts, nil
}

// startSession starts a session of userID with opts and sets its cookie on reply.
func (a *API) startSession(r httpapi.Request, reply *httpapi.Reply, userID string, opts core.LoginOptions) error {
	return a.Sessions.LoginWith(r, reply, userID, opts)
}

// issue issues a token pair of userID with opts.
func (a *API) issue(ctx context.Context, userID string, opts core.LoginOptions) (jwt.Pair, error) {
	return a.Tokens.IssueWith(ctx, userID, jwt.IssueOptions{Method: opts.Method, Attributes: opts.Attributes})
}
