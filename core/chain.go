package core

import "errors"

// Challenger is implemented by strategies that tell a client how to
// authenticate when it is refused, such as a bearer-token strategy. Adapters
// send every challenge of the strategy in force as WWW-Authenticate on a 401.
type Challenger interface {
	// Challenge returns a WWW-Authenticate value, e.g. `Bearer`.
	Challenge() string
}

// Chain tries strategies in order and returns the first Identity found.
//
// A strategy that answers ErrNoCredential passes the request on to the next
// one; any other error ends the chain at once, so a forged cookie is never
// "rescued" by a later strategy and an outage is never mistaken for a missing
// credential. When every strategy passes, Chain returns ErrNoCredential.
//
// The Identity's Strategy field is set by the strategy that matched. The
// chain's Challenge joins its members' challenges.
func Chain(strategies ...Strategy) Strategy {
	return &chain{append([]Strategy(nil), strategies...)}
}

type chain struct{ strategies []Strategy }

func (c *chain) Authenticate(r Request) (Identity, error) {
	for _, s := range c.strategies {
		id, err := s.Authenticate(r)
		if errors.Is(err, ErrNoCredential) {
			continue
		}
		return id, err
	}
	return Identity{}, ErrNoCredential
}

func (c *chain) Challenge() string {
	var out string
	for _, s := range c.strategies {
		if ch, ok := s.(Challenger); ok && ch.Challenge() != "" {
			if out != "" {
				out += ", "
			}
			out += ch.Challenge()
		}
	}
	return out
}

// Challenge returns s's WWW-Authenticate challenge, or "" if it has none.
func Challenge(s Strategy) string {
	if ch, ok := s.(Challenger); ok {
		return ch.Challenge()
	}
	return ""
}

// CookieReader is implemented by strategies that read a cookie. Browsers
// attach cookies on their own, so adapters protect unsafe requests carrying
// one against cross-site forgery.
type CookieReader interface {
	CookieName() string
}

// Unwrapper is implemented by a strategy that wraps another one to observe
// it (to measure or trace it) without changing what it accepts.
// CookieNames looks through it, so wrapping a cookie strategy keeps its
// cross-origin protection.
type Unwrapper interface {
	Unwrap() Strategy
}

// CookieNames returns the cookies s reads: its own, its members' for a
// Chain, or the wrapped strategy's for an Unwrapper.
func CookieNames(s Strategy) []string {
	switch v := s.(type) {
	case *chain:
		var names []string
		for _, m := range v.strategies {
			names = append(names, CookieNames(m)...)
		}
		return names
	case CookieReader:
		return []string{v.CookieName()}
	case Unwrapper:
		return CookieNames(v.Unwrap())
	}
	return nil
}
