package httpapi

import (
	"context"
	"net/http"

	"github.com/gobware/gobware/cart"
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
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

// API is the reference HTTP API the example servers serve (README.md,
// "The example servers"). Nil parts leave their
// routes out: an API without Tokens has no /api/token routes.
type API struct {
	Users    Users
	Sessions *cookie.Strategy // session cookie routes
	Tokens   *jwt.Strategy    // bearer token routes
	Cart     *cart.Service    // products and cart routes
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
	// Health reports whether the backends answer; nil means always healthy.
	Health func(ctx context.Context) error
	// Measure, when set, wraps each strategy of the chain authenticated
	// routes use, given its name ("cookie", "jwt"): the hook for
	// observing authentications, e.g. with the otel package's
	// Telemetry.Strategy. Nil leaves the strategies as they are.
	Measure func(name string, s core.Strategy) core.Strategy
}

// Strategy is the chain authenticated routes use: the session cookie, then
// the bearer token, whichever the API has.
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

// Routes returns the API's routes.
func (a *API) Routes() []Route {
	guard := &Guard{Strategy: a.Strategy()}
	var sessions core.Strategy
	if a.Sessions != nil {
		sessions = a.Sessions
	}
	route := func(method, pattern string, auth bool, h Handler) Route {
		rt := Route{Method: method, Pattern: pattern, Sessions: sessions, Handler: h}
		if auth {
			rt.Auth = guard
		}
		return rt
	}
	routes := []Route{
		route(http.MethodGet, "/healthz", false, a.health),
		route(http.MethodGet, "/api/me", true, a.me),
	}
	if a.Sessions != nil {
		login := route(http.MethodPost, "/api/session", false, a.login)
		login.LoginCSRF = true
		routes = append(routes, login,
			route(http.MethodDelete, "/api/session", false, a.logout),
			route(http.MethodGet, "/api/sessions", true, a.listSessions),
			route(http.MethodDelete, "/api/sessions", true, a.logoutEverywhere),
			route(http.MethodDelete, "/api/sessions/{id}", true, a.endSession),
		)
	}
	if a.Tokens != nil {
		routes = append(routes,
			route(http.MethodPost, "/api/token", false, a.issueToken),
			route(http.MethodPost, "/api/token/refresh", false, a.refreshToken),
			route(http.MethodPost, "/api/token/revoke", false, a.revokeToken),
		)
	}
	if a.Cart != nil {
		routes = append(routes,
			route(http.MethodGet, "/api/products", false, a.products),
			route(http.MethodGet, "/api/cart", true, a.getCart),
			route(http.MethodDelete, "/api/cart", true, a.clearCart),
			route(http.MethodPost, "/api/cart/items", true, a.addItem),
			route(http.MethodPut, "/api/cart/items/{sku}", true, a.setItem),
			route(http.MethodDelete, "/api/cart/items/{sku}", true, a.removeItem),
		)
	}
	return routes
}

func (a *API) health(ctx context.Context, r Request) *Reply {
	if a.Health != nil {
		if err := a.Health(ctx); err != nil {
			return Error(unavailableError{err})
		}
	}
	return JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// unavailableError marks a failed health check as a 503 whatever its cause.
type unavailableError struct{ err error }

func (e unavailableError) Error() string { return e.err.Error() }
func (e unavailableError) Unwrap() []error {
	return []error{e.err, core.ErrUnavailable}
}

func (a *API) me(ctx context.Context, r Request) *Reply {
	id, _ := core.FromContext(ctx)
	name, err := a.Users.Name(ctx, id.UserID)
	if err != nil {
		return Error(err)
	}
	return JSON(http.StatusOK, map[string]string{"user_id": id.UserID, "username": name, "strategy": id.Strategy})
}
