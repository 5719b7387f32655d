// Package sentinels lists every exported sentinel error of gobware's
// authentication packages with its class: the core sentinel (or, for an
// error the client caused, the HTTP status) that says how it is answered.
// Its tests check that the list is complete and that each sentinel carries
// its class; the adapters' tests walk the list through every middleware.
package sentinels

import (
	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeystore"
	"github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// Sentinel is one exported sentinel error.
type Sentinel struct {
	Package string // import path relative to the module, as "strategy/cookie"
	Name    string // as declared, "ErrMalformed"
	Err     error
	// Class is the core sentinel Err wraps, or nil for a client error,
	// whose HTTPStatus method says Status.
	Class  error
	Status int // the HTTP status Err is answered with
}

// Classes are the core sentinels a sentinel may carry, with the status
// each is answered with.
var Classes = []struct {
	Err    error
	Status int
}{
	{core.ErrNoCredential, 401},
	{core.ErrInvalidCredential, 401},
	{core.ErrForbiddenOrigin, 403},
	{core.ErrForbidden, 403},
	{core.ErrReauthenticationRequired, 403},
	{core.ErrRateLimited, 429},
	{core.ErrUnavailable, 503},
	{core.ErrInvalidArgument, 500},
	{core.ErrBackend, 500},
	{core.ErrPanic, 500},
}

func s(pkg, name string, err, class error, status int) Sentinel {
	return Sentinel{Package: pkg, Name: name, Err: err, Class: class, Status: status}
}

// All is every exported sentinel of the packages Packages names.
var All = []Sentinel{
	s("core", "ErrNoCredential", core.ErrNoCredential, core.ErrNoCredential, 401),
	s("core", "ErrInvalidCredential", core.ErrInvalidCredential, core.ErrInvalidCredential, 401),
	s("core", "ErrForbiddenOrigin", core.ErrForbiddenOrigin, core.ErrForbiddenOrigin, 403),
	s("core", "ErrForbidden", core.ErrForbidden, core.ErrForbidden, 403),
	s("core", "ErrReauthenticationRequired", core.ErrReauthenticationRequired, core.ErrReauthenticationRequired, 403),
	s("core", "ErrRateLimited", core.ErrRateLimited, core.ErrRateLimited, 429),
	s("core", "ErrUnavailable", core.ErrUnavailable, core.ErrUnavailable, 503),
	s("core", "ErrInvalidArgument", core.ErrInvalidArgument, core.ErrInvalidArgument, 500),
	s("core", "ErrBackend", core.ErrBackend, core.ErrBackend, 500),
	s("core", "ErrPanic", core.ErrPanic, core.ErrPanic, 500),
	s("core", "ErrBadSecret", core.ErrBadSecret, core.ErrInvalidArgument, 500),
	s("core", "ErrKeyReuse", core.ErrKeyReuse, core.ErrInvalidArgument, 500),
	s("core", "ErrAttributesTooLarge", core.ErrAttributesTooLarge, core.ErrInvalidArgument, 500),
	s("core", "ErrBadAttribute", core.ErrBadAttribute, core.ErrInvalidArgument, 500),
	s("core", "ErrBadMethod", core.ErrBadMethod, core.ErrInvalidArgument, 500),

	s("strategy/cookie", "ErrNoCookie", cookie.ErrNoCookie, core.ErrNoCredential, 401),
	s("strategy/cookie", "ErrMalformed", cookie.ErrMalformed, core.ErrInvalidCredential, 401),
	s("strategy/cookie", "ErrBadSignature", cookie.ErrBadSignature, core.ErrInvalidCredential, 401),
	s("strategy/cookie", "ErrDuplicateCookie", cookie.ErrDuplicateCookie, core.ErrInvalidCredential, 401),
	s("strategy/cookie", "ErrUnknownSession", cookie.ErrUnknownSession, core.ErrInvalidCredential, 401),
	s("strategy/cookie", "ErrNotFound", cookie.ErrNotFound, core.ErrInvalidCredential, 401),
	s("strategy/cookie", "ErrStore", cookie.ErrStore, core.ErrBackend, 500),
	s("strategy/cookie", "ErrBadUserID", cookie.ErrBadUserID, core.ErrInvalidArgument, 500),
	s("strategy/cookie", "ErrBadOption", cookie.ErrBadOption, core.ErrInvalidArgument, 500),
	s("strategy/cookie", "ErrBadKey", cookie.ErrBadKey, cookie.ErrBadOption, 500),
	s("strategy/cookie", "ErrSameSiteNone", cookie.ErrSameSiteNone, cookie.ErrBadOption, 500),

	s("strategy/jwt", "ErrTooLarge", jwt.ErrTooLarge, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrMalformed", jwt.ErrMalformed, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrHeader", jwt.ErrHeader, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrUnknownKey", jwt.ErrUnknownKey, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrDecrypt", jwt.ErrDecrypt, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrExpired", jwt.ErrExpired, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrNotYetValid", jwt.ErrNotYetValid, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrClaims", jwt.ErrClaims, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrRevoked", jwt.ErrRevoked, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrReused", jwt.ErrReused, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrNotFound", jwt.ErrNotFound, core.ErrInvalidCredential, 401),
	s("strategy/jwt", "ErrNoRevocationList", jwt.ErrNoRevocationList, core.ErrInvalidArgument, 500),
	s("strategy/jwt", "ErrEmptyUserID", jwt.ErrEmptyUserID, core.ErrInvalidArgument, 500),
	s("strategy/jwt", "ErrBadOption", jwt.ErrBadOption, core.ErrInvalidArgument, 500),

	s("strategy/jwt/refresh", "ErrNotFound", refresh.ErrNotFound, core.ErrInvalidCredential, 401),
	s("strategy/jwt/refresh", "ErrRevoked", refresh.ErrRevoked, core.ErrInvalidCredential, 401),
	s("strategy/jwt/refresh", "ErrExpired", refresh.ErrExpired, core.ErrInvalidCredential, 401),
	s("strategy/jwt/refresh", "ErrReused", refresh.ErrReused, core.ErrInvalidCredential, 401),
	s("strategy/jwt/refresh", "ErrDuplicate", refresh.ErrDuplicate, core.ErrBackend, 500),

	s("limiter", "ErrLimited", limiter.ErrLimited, core.ErrRateLimited, 429),
	s("limiter", "ErrBadOption", limiter.ErrBadOption, core.ErrInvalidArgument, 500),
	s("limiter", "ErrContention", limiter.ErrContention, core.ErrUnavailable, 503),

	s("passkey", "ErrBadOption", passkey.ErrBadOption, core.ErrInvalidArgument, 500),
	s("passkey", "ErrMalformed", passkey.ErrMalformed, core.ErrInvalidCredential, 401),
	s("passkey", "ErrChallenge", passkey.ErrChallenge, core.ErrInvalidCredential, 401),
	s("passkey", "ErrUnknownCredential", passkey.ErrUnknownCredential, core.ErrInvalidCredential, 401),
	s("passkey", "ErrVerification", passkey.ErrVerification, core.ErrInvalidCredential, 401),
	s("passkey", "ErrCounter", passkey.ErrCounter, core.ErrInvalidCredential, 401),
	s("passkey", "ErrBadName", passkey.ErrBadName, nil, 422),
	s("passkey", "ErrBadUserID", passkey.ErrBadUserID, core.ErrInvalidArgument, 500),
	s("passkey", "ErrNotFound", passkey.ErrNotFound, nil, 404),
	s("passkey", "ErrExists", passkey.ErrExists, core.ErrInvalidCredential, 401),
	s("passkey", "ErrTooManyChallenges", passkey.ErrTooManyChallenges, core.ErrRateLimited, 429),
	s("passkey", "ErrStore", passkey.ErrStore, core.ErrBackend, 500),
	s("passkey/passkeystore", "ErrNotFound", passkeystore.ErrNotFound, nil, 404),
	s("passkey/passkeystore", "ErrExists", passkeystore.ErrExists, core.ErrInvalidCredential, 401),

	s("storage/gorm", "ErrBadOption", gorm.ErrBadOption, core.ErrInvalidArgument, 500),
	s("storage/redis", "ErrDuplicate", redis.ErrDuplicate, core.ErrBackend, 500),
	s("storage/redis", "ErrCorrupt", redis.ErrCorrupt, core.ErrBackend, 500),
	s("storage/redis", "ErrBadOption", redis.ErrBadOption, core.ErrInvalidArgument, 500),
	s("storage/redis", "ErrNilClient", redis.ErrNilClient, redis.ErrBadOption, 500),
}

// Packages are the packages whose exported sentinels All lists, relative
// to the module root.
var Packages = []string{
	"core", "strategy/cookie", "strategy/jwt", "strategy/jwt/refresh", "limiter",
	"passkey", "passkey/passkeystore", "storage/gorm", "storage/redis",
}
