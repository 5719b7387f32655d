package core

import (
	"context"
	"fmt"
)

type identityKey struct{}

// identityCtx is the context NewContext returns: one allocation holding
// both the parent and the identity (context.WithValue would make two, the
// node and the boxed Identity), since the guard makes one per request.
type identityCtx struct {
	context.Context
	id Identity
}

func (c *identityCtx) Value(key any) any {
	if key == (identityKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// String names the node without its identity, as context.WithValue does
// for a value that is not a Stringer.
func (c *identityCtx) String() string { return fmt.Sprint(c.Context) + ".WithIdentity" }

// NewContext returns a copy of ctx carrying id. On the context of a
// request from WithLazyRequestInfo it allocates nothing the first time:
// that request has room for the node.
func NewContext(ctx context.Context, id Identity) context.Context {
	if c, ok := ctx.(*lazyInfoCtx); ok && c.identityTaken.CompareAndSwap(false, true) {
		c.identity = identityCtx{Context: ctx, id: id}
		return &c.identity
	}
	return &identityCtx{Context: ctx, id: id}
}

// FromContext returns the Identity stored in ctx by NewContext, and whether
// there was one.
func FromContext(ctx context.Context) (Identity, bool) {
	if c, ok := ctx.Value(identityKey{}).(*identityCtx); ok {
		return c.id, true
	}
	return Identity{}, false
}

// UserID returns the authenticated user's ID stored in ctx, or "".
func UserID(ctx context.Context) string {
	id, _ := FromContext(ctx)
	return id.UserID
}
