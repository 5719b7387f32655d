package jwt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
)

// allKeys is what checkHeader returns for a token without a kid: every key
// of the ring may be tried.
const allKeys = -1

// checkHeader validates h, the first part of a compact JWE already known to
// be canonical base64url, and returns the index of the key to decrypt with,
// or allKeys. It runs before go-jose sees the token.
//
// gobware's own tokens are recognised by comparing h with the headers the
// ring mints, at no cost. Anything else (a token minted by another library
// following the package documentation, or an attack) is decoded and checked
// parameter by parameter.
//
// minted reports that h is byte for byte a header the ring mints: go-jose
// wrote it, so it holds exactly alg dir, enc A256GCM, gobware's typ and
// possibly a kid, and VerifyContext may decrypt without parsing it again.
func (r *keyRing) checkHeader(h string) (k int, minted bool, err error) {
	if h == r.kidless {
		return allKeys, true, nil
	}
	for i := range r.keys {
		if h == r.keys[i].header {
			return i, true, nil
		}
	}
	k, err = r.checkForeignHeader(h)
	return k, false, err
}

func headerError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrHeader}, args...)...)
}

// checkForeignHeader is the slow path of checkHeader. The header must be one
// JSON object whose members are all strings, each named once, drawn from
// alg, enc, typ and kid. Everything else is refused, which covers zip, crit,
// jku, jwk, x5u, x5c and any parameter a future attack may rely on, and
// refusing duplicates means no JSON parser can read the header differently.
func (r *keyRing) checkForeignHeader(h string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return 0, ErrMalformed
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0, headerError("not a JSON object")
	}
	var alg, enc, typ, kid string
	var hasAlg, hasEnc, hasTyp, hasKid bool
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return 0, headerError("not a JSON object")
		}
		name, _ := t.(string)
		v, err := dec.Token()
		if err != nil {
			return 0, headerError("not a JSON object")
		}
		value, ok := v.(string)
		if !ok {
			return 0, headerError("parameter %q is not a string", name)
		}
		var seen *bool
		switch name {
		case "alg":
			alg, seen = value, &hasAlg
		case "enc":
			enc, seen = value, &hasEnc
		case "typ":
			typ, seen = value, &hasTyp
		case "kid":
			kid, seen = value, &hasKid
		default:
			return 0, headerError("parameter %q is not allowed", name)
		}
		if *seen {
			return 0, headerError("parameter %q appears twice", name)
		}
		*seen = true
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return 0, headerError("not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return 0, headerError("data after the JSON object")
	}
	switch {
	case alg != "dir":
		return 0, headerError("alg must be %q", "dir")
	case enc != "A256GCM":
		return 0, headerError("enc must be %q", "A256GCM")
	case typ != TokenType:
		return 0, headerError("typ must be %q", TokenType)
	case !hasKid:
		return allKeys, nil
	}
	i := r.byKid(kid)
	if i < 0 {
		return 0, ErrUnknownKey
	}
	return i, nil
}
