package core

import "context"

type identityKey struct{}

// NewContext returns a copy of ctx carrying id.
func NewContext(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// FromContext returns the Identity stored in ctx by NewContext, and whether
// there was one.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// UserID returns the authenticated user's ID stored in ctx, or "".
func UserID(ctx context.Context) string {
	id, _ := FromContext(ctx)
	return id.UserID
}
