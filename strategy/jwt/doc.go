// Package jwt is gobware's stateless strategy: encrypted access tokens sent
// as "Authorization: Bearer <token>", renewed with opaque refresh tokens that
// are stored (hashed), rotated on every use and revocable.
//
// # Flow
//
// On login the application calls Issue, which starts a refresh family and
// returns a Pair: a short-lived access token (15 minutes by default) and a
// refresh token. Each request carries the access token; Authenticate decrypts
// and checks it without touching any store (with Options.Watermarks, a
// cached read at most once per TTL), and yields the user ID it names.
// When it expires the client calls the refresh endpoint, where the
// application calls Refresh: the refresh token is spent and a new pair
// returned. Logout is Revoke, which ends the family; log out everywhere is
// RevokeUser. With Options.Watermarks both also end the access tokens
// already issued; RevokeAccess (with Options.Revocations) refuses one access
// token before it expires.
//
//	keys, err := core.ParseKeyRing(os.Getenv("ACCESS_TOKEN_SECRET"))
//	s, err := jwt.New(keys, store, jwt.Options{})
//	pair, err := s.Issue(ctx, userID)              // login
//	id, err := s.Authenticate(req)                 // every request
//	pair, err = s.Refresh(ctx, pair.RefreshToken)  // renewal
//	err = s.Revoke(ctx, pair.RefreshToken)         // logout
//
// # Access token format
//
// Another language's JOSE library can mint and read gobware access tokens
// from this description alone.
//
// The key is 32 bytes, given to the application as standard base64 or
// base64url (padded or not) in ACCESS_TOKEN_SECRET; several comma-separated
// keys form a ring in which the first encrypts and all decrypt. Make one with
// "openssl rand -base64 32". The key is used directly as the content
// encryption key.
//
// An access token is a JWE (RFC 7516) in compact serialization: five
// unpadded base64url parts joined by dots, header.encrypted_key.iv.ciphertext.tag.
// The encrypted_key part is empty (direct encryption), the IV is 12 bytes
// and the tag 16. The protected header is a JSON object with exactly these
// string members:
//
//	alg  "dir"
//	enc  "A256GCM"
//	typ  "gobware-at+jwt" (TokenType)
//	kid  optional; see below
//
// Any other member (zip, crit, jku, jwk, x5u, x5c, cty, ...), a member that
// is not a string or appears twice, and any other alg, enc or typ are
// refused. The additional authenticated data of AES-GCM is the ASCII of the
// header part, as RFC 7516 prescribes.
//
// The kid rule: with Options.KeyIDs set, tokens carry the kid of the key that
// encrypted them; with one key and no KeyIDs, tokens carry no kid; with
// several keys and no KeyIDs, each key's kid is the first 8 characters of
// base64url(SHA-256(key)) (DeriveKeyID). A token naming a kid outside the
// ring is refused without trying any key; a token without kid is tried
// against every key.
//
// The plaintext is a JSON object of claims (RFC 7519):
//
//	sub  string, required, non-empty: the user ID
//	iss  string, required, equal to Options.Issuer ("gobware")
//	aud  string or array of strings, required, containing Options.Audience ("gobware")
//	exp  NumericDate, required: the token is refused from exp + leeway on
//	nbf  NumericDate, optional: refused before nbf - leeway
//	iat  NumericDate, optional: refused if after now + leeway
//	jti  string, required, non-empty and unique: the handle for revocation
//	sid  string, optional: the refresh family (session) the token belongs to
//	auth_time  NumericDate, optional: when the user signed in (Identity.AuthTime)
//	method     string, optional: how the user signed in (Identity.Method)
//	attrs      object of arrays of strings, optional: the application's
//	           attributes (Identity.Attributes), e.g. {"role":["admin"]}
//
// A NumericDate is a JSON number of seconds since 1970-01-01T00:00:00Z
// (fractions are truncated), between 0 and 253402300799. The leeway is 30
// seconds by default and at most 60. gobware writes the seven claims before
// sid, with integer dates and aud as a single string, and sid, auth_time,
// method and attrs too in the tokens Issue, IssueWith and Refresh mint
// (method and attrs only when the login recorded them).
//
// IssueWith records the login's method and attributes in the refresh
// family, with the time of the login; every access token of the family
// carries them, so Authenticate fills Identity.Method, AuthTime, Expires
// (exp) and Attributes with no store read. Options.RefreshAttributes
// derives the attributes again at each refresh (a role removed takes
// effect at the next refresh). Attributes are bounded by
// core.MaxAttributesSize, and a token is never minted over
// Options.MaxTokenSize: IssueWith refuses instead, with
// core.ErrAttributesTooLarge.
//
// The claims must have one meaning for every JSON reader: a token whose
// plaintext names a member twice at any depth ({"sub":"1","sub":"2"}),
// spells a claim above in another case ("SUB", or "\u017fub" with a long
// s; "ATTRS"), names an attribute twice inside attrs, is not valid UTF-8 (also through an escaped half surrogate pair),
// nests more than 64 levels or is followed by more data is refused with
// ErrClaims, whichever way it was decrypted. Other claims are ignored.
//
// Before any decoding a token longer than Options.MaxTokenSize (4096 bytes)
// is refused, then anything that is not exactly five parts of canonical
// unpadded base64url; only then is the header checked and the token
// decrypted: directly with AES-256-GCM when the header is byte for byte one
// the key ring mints, otherwise by go-jose, allowed dir and A256GCM only.
// Every refusal wraps core.ErrInvalidCredential and a sentinel of this
// package naming the cause. Options.CacheSize turns on a bounded cache of
// verified tokens that still checks exp, nbf and revocation on every hit.
//
// # Refresh tokens
//
// A refresh token is 57 bytes in unpadded base64url (76 characters): a
// version byte, the family's 16-byte ID, the token's generation (8 bytes),
// a 16-byte secret and a 16-byte tag, an HMAC-SHA256 keyed by a key derived
// from the access-token ring over the 41 bytes before it. It is opaque to
// the client. Each is single use: Refresh spends it and issues
// the next generation of the same family. A family lives for
// Options.RefreshLifetime (30 days) from Issue, however often it is rotated.
//
// The RefreshStore keeps one record per family, of constant size: the
// SHA-256 (Hash) of the current token, of the one spent last, the
// generation, the user, the expiry and a revoked flag. No token is stored,
// and no record is added per rotation. Reuse of any earlier token is still
// recognised: its tag proves the ring minted it, and its generation is
// older than the family's, so presenting it revokes the whole family,
// because one of the two parties presenting it holds a stolen copy (RFC
// 9700 4.14.2). A token that does not carry a valid tag (forged, or minted
// by a key since removed from the ring) is refused as unknown without a
// store query and without revoking anything.
//
// Options.ReuseGrace (default 0, strict) forgives the token spent last when
// it is presented again within the window: the client receives the very
// refresh token the first presentation received (the next generation's
// secret is derived from the spent token) and a fresh access token, and the
// family lives on. This suits mobile apps and multi-tab pages that refresh
// concurrently; the price is that a thief who replays a stolen token within
// the window after its owner is not detected. After the window, or for any
// older token, reuse revokes the family as in strict mode.
//
// Tokens of the earlier 43-character format (32 random bytes, one stored
// row per token) keep working with a store migrated from that layout (see
// LegacyStore): the unspent one rotates into the current format, a spent
// one is reuse.
//
// storage/gorm provides a RefreshStore for SQLite, PostgreSQL and MySQL,
// storage/redis one for Redis, NewMemoryStore one for tests and
// single-process servers. Either way the rotation is atomic, so two
// concurrent refreshes of one token cannot both succeed.
//
// # Ending access tokens early
//
// Access tokens issued by Issue and Refresh carry their family's ID in the
// sid claim (Claims.Session). With Options.Watermarks set, RevokeUser (log
// out everywhere, a password change), Revoke and RevokeSession (one
// family) and detected reuse raise a revocation watermark, and Verify
// refuses every access token of that user, or of that family, issued until
// then. Each server remembers the watermarks it read for
// Options.WatermarkTTL (10 seconds by default), per user and per family, so
// the store is read at most once per TTL per active user and family, not
// per request: the server that revoked refuses the tokens at once, the
// others within the TTL. A watermark store that cannot be reached makes
// verification fail with core.ErrUnavailable (503), never accept a token.
// Without Watermarks, access tokens stay valid until exp unless listed one
// by one (Options.Revocations and RevokeAccess).
//
// # Events
//
// Invalid tokens, logins, refreshes, detected reuse and revocations are
// reported to Options.Events (log/slog by default). Events never carry a
// token; refresh families appear as a keyed hash in Ref.
package jwt
