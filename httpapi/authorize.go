package httpapi

import (
	"context"
	"time"

	"github.com/gobware/gobware/core"
)

// Rule is a requirement an authenticated caller must meet to go on. It
// returns nil to let the caller through, or an error saying why not: one
// wrapping [core.ErrForbidden] (403 forbidden) or
// [core.ErrReauthenticationRequired] (403 reauthentication_required).
// Role, Attribute and FreshLogin make the usual ones; any function of the
// Identity is one (a tenant matching the path, say).
type Rule func(id core.Identity) error

// Role is the rule that the caller holds role: the attribute
// [core.RoleAttribute] with that value, chosen at login. Anyone else is
// refused with [core.ErrForbidden].
func Role(role string) Rule { return Attribute(core.RoleAttribute, role) }

// Attribute is the rule that the caller's attributes hold value under key
// ([core.RequireAttribute]). Anyone else is refused with
// [core.ErrForbidden].
func Attribute(key, value string) Rule {
	return func(id core.Identity) error { return core.RequireAttribute(id, key, value) }
}

// FreshLogin is the rule that the caller signed in (entered a password,
// used a passkey) no more than maxAge ago, by the Identity's AuthTime,
// which refreshing a token or touching a session does not move
// ([core.RequireFreshLogin]). A caller who signed in earlier, or whose
// credential has no auth time, is refused with
// [core.ErrReauthenticationRequired]: signing in again lets them through.
// It panics unless maxAge is positive, as a rule nobody could meet is a
// bug.
func FreshLogin(maxAge time.Duration) Rule {
	if maxAge <= 0 {
		panic("httpapi: FreshLogin needs a positive maxAge")
	}
	return func(id core.Identity) error { return core.RequireFreshLogin(id, maxAge, time.Now()) }
}

// Authorize decides whether the caller that ctx carries (the Identity a
// Guard put there, see [core.FromContext]) meets every rule, in order. It
// returns nil to go on, or the reply that refuses the request:
//
//   - 401 unauthenticated when ctx carries no Identity (an anonymous
//     request let through by an optional guard, or no guard at all);
//   - the problem of the first rule that refuses: 403 forbidden or 403
//     reauthentication_required, or whatever status its error maps to.
//
// It is what every adapter's RequireRole, RequireAttribute and
// RequireFreshLogin middleware calls, after the adapter's Require: the
// decision is made here once, the adapters only write the reply.
func Authorize(ctx context.Context, rules ...Rule) *Reply {
	id, ok := core.FromContext(ctx)
	if !ok {
		return Error(core.ErrNoCredential)
	}
	for _, rule := range rules {
		if err := rule(id); err != nil {
			return Error(err)
		}
	}
	return nil
}
