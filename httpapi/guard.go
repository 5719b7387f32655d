package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/gobware/gobware/core"
)

// Guard authenticates requests for a middleware. It is the single place
// where every adapter's middleware gets its behaviour:
//
//   - an unsafe request carrying one of the strategy's cookies must pass
//     CheckOrigin first (403 forbidden_origin otherwise);
//   - a panic inside the strategy becomes a 500 and the server keeps serving;
//   - a 401 carries the strategy's WWW-Authenticate challenge, if it has one.
type Guard struct {
	// Strategy authenticates; usually a core.Chain.
	Strategy core.Strategy
	// Optional lets requests without a valid credential through anonymously:
	// a missing, invalid or expired credential is not an error (so a stale
	// cookie cannot lock anyone out of a public page). Backend failures and
	// cross-origin writes are still refused. Default: authentication required.
	Optional bool
}

// Check authenticates r. On success it returns ctx carrying the Identity
// (see core.FromContext); an optional guard returns ctx without one for an
// anonymous request. On failure it returns the reply to send.
//
// Both ctx and the context of the request the strategy sees carry a
// core.RequestInfo (kept when there is one already), so that security
// events name the request and the client's address.
func (g Guard) Check(ctx context.Context, r core.Request) (context.Context, *Reply) {
	ctx, r = withCoreRequestInfo(ctx, r)
	if !SafeMethod(r.Method()) && carriesCookie(r, core.CookieNames(g.Strategy)) {
		if err := refuseCrossOrigin(r, g.Strategy, "cookie_write"); err != nil {
			return ctx, Error(err)
		}
	}
	id, err := authenticate(g.Strategy, r)
	switch {
	case err == nil:
		return core.NewContext(ctx, id), nil
	case g.Optional && (errors.Is(err, core.ErrNoCredential) || errors.Is(err, core.ErrInvalidCredential)):
		return ctx, nil
	}
	reply := Error(err)
	if ch := core.Challenge(g.Strategy); ch != "" && reply.Status == 401 {
		reply.Header.Set("WWW-Authenticate", ch)
	}
	return ctx, reply
}

// authenticate runs s, turning a panic into an error wrapping core.ErrPanic.
func authenticate(s core.Strategy, r core.Request) (id core.Identity, err error) {
	defer func() {
		if p := recover(); p != nil {
			slog.Error("httpapi: panic in authentication", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			id, err = core.Identity{}, fmt.Errorf("%w: %v", core.ErrPanic, p)
		}
	}()
	id, err = s.Authenticate(r)
	if err == nil && id.UserID == "" {
		err = fmt.Errorf("httpapi: strategy returned an empty user ID")
	}
	return id, err
}
