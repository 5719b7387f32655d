package refresh

import (
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/errclass"
)

// ErrNotFound is returned by a Store when it has no family with the given
// ID, or (from Rotate) when the token presented is not one the family
// issued. It wraps [core.ErrInvalidCredential].
var ErrNotFound = errclass.New(core.ErrInvalidCredential, "refresh: token not found")

// ErrRevoked is returned by Store.Rotate (and CheckRotation) for a family
// that was revoked: logged out, or ended after a reuse. It wraps
// [core.ErrInvalidCredential].
var ErrRevoked = errclass.New(core.ErrInvalidCredential, "refresh: family revoked")

// ErrExpired is returned by Store.Rotate (and CheckRotation) for a family
// that has passed its ExpiresAt. It wraps [core.ErrInvalidCredential].
var ErrExpired = errclass.New(core.ErrInvalidCredential, "refresh: family expired")

// ErrReused is returned by Store.Rotate (and CheckRotation) when the token
// presented was already spent: an older generation than the family's
// current one. The strategy then revokes the whole family, since either
// the client or an attacker holds a stolen copy. It wraps
// [core.ErrInvalidCredential].
var ErrReused = errclass.New(core.ErrInvalidCredential, "refresh: token reused")

// ErrDuplicate is returned by MemoryStore.Create for a family ID it
// already holds. IDs are random, so it means a bug. It wraps
// [core.ErrBackend].
var ErrDuplicate = errclass.New(core.ErrBackend, "refresh: duplicate family")
