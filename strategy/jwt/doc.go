// Package jwt is gobware's stateless strategy: encrypted access tokens sent
// as "Authorization: Bearer <token>", renewed with opaque refresh tokens that
// are stored (hashed), rotated on every use and revocable.
//
// # Flow
//
// On login the application calls Issue, which starts a refresh family and
// returns a Pair: a short-lived access token (15 minutes by default) and a
// refresh token. Each request carries the access token; Authenticate decrypts
// and checks it without touching any store, and yields the user ID it names.
// When it expires the client calls the refresh endpoint, where the
// application calls Refresh: the refresh token is spent and a new pair
// returned. Logout is Revoke, which ends the family; RevokeAccess (with
// Options.Revocations) also refuses the current access token before it
// expires.
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
//
// A NumericDate is a JSON number of seconds since 1970-01-01T00:00:00Z
// (fractions are truncated), between 0 and 253402300799. The leeway is 30
// seconds by default and at most 60. gobware writes all seven claims, with
// integer dates and aud as a single string.
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
// A refresh token is 32 random bytes in unpadded base64url (43 characters),
// meaningless and unrelated to the access token; the RefreshStore keeps only
// its SHA-256 (Hash). Each is single use: Refresh spends it and issues the
// next token of the same family. Presenting a spent token again revokes the
// whole family, because one of the two parties presenting it holds a stolen
// copy (RFC 9700 4.14.2). A family lives for Options.RefreshLifetime (30
// days) from Issue, however often it is rotated.
//
// storage/gorm provides a RefreshStore for SQLite, PostgreSQL and MySQL;
// NewMemoryStore one for tests and single-process servers. Either way the
// rotation is atomic, so two concurrent refreshes of one token cannot both
// succeed.
//
// # Events
//
// Invalid tokens, logins, refreshes, detected reuse and revocations are
// reported to Options.Events (log/slog by default). Events never carry a
// token; refresh families appear as a keyed hash in Ref.
package jwt
