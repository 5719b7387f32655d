package jwt_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/jwt"
)

// minted describes a token crafted with go-jose directly, as an attacker (or
// another library) would. Zero fields mean "what gobware itself does".
type minted struct {
	key    any                    // default key1
	alg    jose.KeyAlgorithm      // default dir
	enc    jose.ContentEncryption // default A256GCM
	kid    string
	typ    string // default jwt.TokenType
	noTyp  bool
	zip    jose.CompressionAlgorithm
	extra  map[jose.HeaderKey]any
	claims map[string]any // default validClaims(epoch)
	raw    []byte         // payload bytes, instead of claims
}

func validClaims(now time.Time) map[string]any {
	return map[string]any{
		"sub": "alice",
		"iss": "gobware",
		"aud": "gobware",
		"exp": now.Add(5 * time.Minute).Unix(),
		"nbf": now.Unix(),
		"iat": now.Unix(),
		"jti": "id-1",
	}
}

// without returns the valid claims minus the named ones.
func without(names ...string) map[string]any {
	c := validClaims(epoch)
	for _, n := range names {
		delete(c, n)
	}
	return c
}

// with returns the valid claims with one changed.
func with(name string, v any) map[string]any {
	c := validClaims(epoch)
	c[name] = v
	return c
}

func (m minted) token(t testing.TB) string {
	t.Helper()
	if m.key == nil {
		m.key = key1
	}
	if m.alg == "" {
		m.alg = jose.DIRECT
	}
	if m.enc == "" {
		m.enc = jose.A256GCM
	}
	opts := &jose.EncrypterOptions{Compression: m.zip}
	if !m.noTyp {
		typ := m.typ
		if typ == "" {
			typ = jwt.TokenType
		}
		opts.WithType(jose.ContentType(typ))
	}
	for k, v := range m.extra {
		opts.WithHeader(k, v)
	}
	enc, err := jose.NewEncrypter(m.enc, jose.Recipient{Algorithm: m.alg, Key: m.key, KeyID: m.kid}, opts)
	if err != nil {
		t.Fatalf("NewEncrypter: %v", err)
	}
	payload := m.raw
	if payload == nil {
		claims := m.claims
		if claims == nil {
			claims = validClaims(epoch)
		}
		if payload, err = json.Marshal(claims); err != nil {
			t.Fatal(err)
		}
	}
	obj, err := enc.Encrypt(payload)
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatalf("CompactSerialize: %v", err)
	}
	return tok
}

// withHeader replaces the protected header of tok by the given JSON.
func withHeader(tok, header string) string {
	_, rest, _ := strings.Cut(tok, ".")
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + rest
}

// part returns the i-th dot-separated part of tok.
func part(tok string, i int) string { return strings.Split(tok, ".")[i] }

// withPart replaces the i-th part of tok.
func withPart(tok string, i int, p string) string {
	parts := strings.Split(tok, ".")
	parts[i] = p
	return strings.Join(parts, ".")
}

// flip changes the character in the middle of part i to another base64url
// character, keeping the encoding canonical.
func flip(tok string, i int) string {
	p := []byte(part(tok, i))
	j := len(p) / 2
	if p[j] == 'A' {
		p[j] = 'B'
	} else {
		p[j] = 'A'
	}
	return withPart(tok, i, string(p))
}

func TestVerifyRefusesAttacks(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	ring, _, _ := newStrategy(t, [][]byte{key1, key2}, jwt.Options{})
	other, _, _ := newStrategy(t, [][]byte{key2}, jwt.Options{})
	good := mustToken(t, s, "alice")
	goodRing := mustToken(t, ring, "alice")

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jsonSerialized := func() string {
		enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: key1},
			(&jose.EncrypterOptions{}).WithType(jwt.TokenType))
		if err != nil {
			t.Fatal(err)
		}
		payload, _ := json.Marshal(validClaims(epoch))
		obj, err := enc.Encrypt(payload)
		if err != nil {
			t.Fatal(err)
		}
		return obj.FullSerialize()
	}()
	hdr := `{"alg":"dir","enc":"A256GCM","typ":"gobware-at+jwt"}`

	tests := []struct {
		name  string
		s     *jwt.Strategy
		token string
		want  error
	}{
		// Tampering with each part of a genuine token.
		{"a tampered header is refused", s, flip(good, 0), jwt.ErrHeader},
		{"a header swapped for another acceptable one does not decrypt", ring, withPart(goodRing, 0, part(good, 0)), jwt.ErrDecrypt},
		{"a non-empty encrypted-key part is refused", s, withPart(good, 1, "AAAA"), jwt.ErrMalformed},
		{"a tampered IV does not decrypt", s, flip(good, 2), jwt.ErrDecrypt},
		{"a tampered ciphertext does not decrypt", s, flip(good, 3), jwt.ErrDecrypt},
		{"a tampered tag does not decrypt", s, flip(good, 4), jwt.ErrDecrypt},
		{"a tag with non-zero padding bits is refused", s, withPart(good, 4, part(good, 4)[:21]+"B"), jwt.ErrMalformed},
		{"a truncated token is refused", s, good[:len(good)-1], jwt.ErrMalformed},
		{"a token cut in half is refused", s, good[:len(good)/2], jwt.ErrMalformed},
		{"an extended tag is refused", s, good + "AAAA", jwt.ErrMalformed},
		{"an extended ciphertext does not decrypt", s, withPart(good, 3, part(good, 3)+"AAAA"), jwt.ErrDecrypt},
		{"a tag moved into the ciphertext is refused", s, withPart(withPart(good, 3, part(good, 3)+"AAAA"), 4, part(good, 4)[:18]), jwt.ErrMalformed},
		{"an empty token is refused", s, "", jwt.ErrMalformed},
		{"four dots alone are refused", s, "....", jwt.ErrMalformed},
		{"a token encrypted with another key does not decrypt", s, mustToken(t, other, "alice"), jwt.ErrDecrypt},

		// Algorithm and header substitution, each token correctly encrypted
		// so that only the header check stands in the way.
		{"enc A128GCM is refused", s, minted{key: key1[:16], enc: jose.A128GCM}.token(t), jwt.ErrHeader},
		{"enc A256CBC-HS512 is refused", s, minted{key: append(append([]byte{}, key1...), key2...), enc: jose.A256CBC_HS512}.token(t), jwt.ErrMalformed},
		{"alg RSA-OAEP is refused", s, minted{key: &rsaKey.PublicKey, alg: jose.RSA_OAEP}.token(t), jwt.ErrMalformed},
		{"alg A256GCMKW with the same key is refused", s, minted{alg: jose.A256GCMKW}.token(t), jwt.ErrMalformed},
		{"alg PBES2 is refused", s, withHeader(good, `{"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":100000000,"p2s":"AAAAAAAAAAAAAAAAAAAAAA","typ":"gobware-at+jwt"}`), jwt.ErrHeader},
		{"alg none is refused", s, withHeader(good, `{"alg":"none","enc":"A256GCM","typ":"gobware-at+jwt"}`), jwt.ErrHeader},
		{"alg DIR in capitals is refused", s, withHeader(good, `{"alg":"DIR","enc":"A256GCM","typ":"gobware-at+jwt"}`), jwt.ErrHeader},
		{"a missing alg is refused", s, withHeader(good, `{"enc":"A256GCM","typ":"gobware-at+jwt"}`), jwt.ErrHeader},
		{"a zip header is refused", s, minted{zip: jose.DEFLATE}.token(t), jwt.ErrHeader},
		{"a crit header is refused", s, minted{extra: map[jose.HeaderKey]any{"crit": []string{"exp"}, "exp": 1}}.token(t), jwt.ErrHeader},
		{"a jku header is refused", s, minted{extra: map[jose.HeaderKey]any{"jku": "https://attacker.example/jwks"}}.token(t), jwt.ErrHeader},
		{"a jwk header is refused", s, minted{extra: map[jose.HeaderKey]any{"jwk": map[string]string{"kty": "oct", "k": base64.RawURLEncoding.EncodeToString(key2)}}}.token(t), jwt.ErrHeader},
		{"an x5u header is refused", s, minted{extra: map[jose.HeaderKey]any{"x5u": "https://attacker.example/cert"}}.token(t), jwt.ErrHeader},
		{"an x5c header is refused", s, minted{extra: map[jose.HeaderKey]any{"x5c": []string{"MIIB"}}}.token(t), jwt.ErrHeader},
		{"a cty header is refused", s, minted{extra: map[jose.HeaderKey]any{"cty": "JWT"}}.token(t), jwt.ErrHeader},
		{"a ZIP header in capitals is refused", s, minted{extra: map[jose.HeaderKey]any{"ZIP": "DEF"}}.token(t), jwt.ErrHeader},
		{"a foreign typ is refused", s, minted{typ: "JWT"}.token(t), jwt.ErrHeader},
		{"a typ in other case is refused", s, minted{typ: "GOBWARE-AT+JWT"}.token(t), jwt.ErrHeader},
		{"a missing typ is refused", s, minted{noTyp: true}.token(t), jwt.ErrHeader},
		{"an unknown kid is refused", s, minted{kid: "nope"}.token(t), jwt.ErrUnknownKey},
		{"the kid of a key outside the ring is refused", s, minted{key: key2, kid: jwt.DeriveKeyID(key2)}.token(t), jwt.ErrUnknownKey},
		{"a kid that is not a string is refused", s, withHeader(good, `{"alg":"dir","enc":"A256GCM","kid":7,"typ":"gobware-at+jwt"}`), jwt.ErrHeader},
		{"a duplicated alg is refused", s, withHeader(good, `{"alg":"RSA-OAEP","alg":"dir","enc":"A256GCM","typ":"gobware-at+jwt"}`), jwt.ErrHeader},
		{"a duplicated typ is refused", s, withHeader(good, `{"alg":"dir","enc":"A256GCM","typ":"gobware-at+jwt","typ":"gobware-at+jwt"}`), jwt.ErrHeader},
		{"a header that is an array is refused", s, withHeader(good, `["dir"]`), jwt.ErrHeader},
		{"a header that is not JSON is refused", s, withHeader(good, `{"alg":"dir"`), jwt.ErrHeader},
		{"a header with data after the object is refused", s, withHeader(good, hdr+`{}`), jwt.ErrHeader},
		{"a header with a nested object is refused", s, withHeader(good, `{"alg":"dir","enc":"A256GCM","typ":"gobware-at+jwt","kid":{"a":1}}`), jwt.ErrHeader},

		// Malformed serialization.
		{"three parts are refused", s, part(good, 0) + "." + part(good, 3) + "." + part(good, 4), jwt.ErrMalformed},
		{"six parts are refused", s, good + ".AAAA", jwt.ErrMalformed},
		{"a trailing dot is refused", s, good + ".", jwt.ErrMalformed},
		{"10k dots are refused as too large", s, strings.Repeat(".", 10000), jwt.ErrTooLarge},
		{"JSON serialization is refused", s, jsonSerialized, jwt.ErrMalformed},
		{"a plus sign is refused", s, withPart(good, 3, "+"+part(good, 3)[1:]), jwt.ErrMalformed},
		{"a slash is refused", s, withPart(good, 3, "/"+part(good, 3)[1:]), jwt.ErrMalformed},
		{"padding is refused", s, withPart(good, 0, part(good, 0)+"=="), jwt.ErrMalformed},
		{"a space is refused", s, withPart(good, 3, " "+part(good, 3)[1:]), jwt.ErrMalformed},
		{"a NUL byte is refused", s, withPart(good, 3, "\x00"+part(good, 3)[1:]), jwt.ErrMalformed},
		{"non-ASCII is refused", s, withPart(good, 3, "é"+part(good, 3)[2:]), jwt.ErrMalformed},
		{"CR LF is refused", s, good + "\r\n", jwt.ErrMalformed},
		{"an oversized token is refused", s, strings.Repeat("A", 5*1024-4) + "....", jwt.ErrTooLarge},
		{"an oversized genuine-looking token is refused", s, withPart(good, 3, part(good, 3)+strings.Repeat("A", 5*1024)), jwt.ErrTooLarge},

		// Claims.
		{"a token without exp is refused", s, minted{claims: without("exp")}.token(t), jwt.ErrClaims},
		{"a token with a null exp is refused", s, minted{claims: with("exp", nil)}.token(t), jwt.ErrClaims},
		{"a token with exp as a string is refused", s, minted{claims: with("exp", "2099-01-01")}.token(t), jwt.ErrClaims},
		{"a token with a negative exp is refused", s, minted{claims: with("exp", -1)}.token(t), jwt.ErrClaims},
		{"a token with an exp beyond year 9999 is refused", s, minted{claims: with("exp", 1e300)}.token(t), jwt.ErrClaims},
		{"an expired token is refused", s, minted{claims: with("exp", epoch.Add(-time.Minute).Unix())}.token(t), jwt.ErrExpired},
		{"a token not valid before an hour from now is refused", s, minted{claims: with("nbf", epoch.Add(time.Hour).Unix())}.token(t), jwt.ErrNotYetValid},
		{"a token issued an hour from now is refused", s, minted{claims: with("iat", epoch.Add(time.Hour).Unix())}.token(t), jwt.ErrNotYetValid},
		{"a token from another issuer is refused", s, minted{claims: with("iss", "someone-else")}.token(t), jwt.ErrClaims},
		{"a token without issuer is refused", s, minted{claims: without("iss")}.token(t), jwt.ErrClaims},
		{"a token for another audience is refused", s, minted{claims: with("aud", "another-service")}.token(t), jwt.ErrClaims},
		{"a token for other audiences is refused", s, minted{claims: with("aud", []string{"a", "b"})}.token(t), jwt.ErrClaims},
		{"a token with aud as a number is refused", s, minted{claims: with("aud", 1)}.token(t), jwt.ErrClaims},
		{"a token without audience is refused", s, minted{claims: without("aud")}.token(t), jwt.ErrClaims},
		{"a token without jti is refused", s, minted{claims: without("jti")}.token(t), jwt.ErrClaims},
		{"a token without sub is refused", s, minted{claims: without("sub")}.token(t), jwt.ErrClaims},
		{"a token with an empty sub is refused", s, minted{claims: with("sub", "")}.token(t), jwt.ErrClaims},
		{"a token whose payload is not JSON is refused", s, minted{raw: []byte("alice")}.token(t), jwt.ErrClaims},
		{"a token whose payload is a JSON array is refused", s, minted{raw: []byte(`["alice"]`)}.token(t), jwt.ErrClaims},
	}
	servers := map[*jwt.Strategy]*httptest.Server{}
	for _, st := range []*jwt.Strategy{s, ring} {
		servers[st] = guarded(t, st)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.s.Verify(tt.token)
			if !errors.Is(err, core.ErrInvalidCredential) || !errors.Is(err, tt.want) {
				t.Errorf("Verify(%.60q) = %v; want %v and %v", tt.token, err, core.ErrInvalidCredential, tt.want)
			}
			id, err := tt.s.Authenticate(bearer(tt.token))
			if !errors.Is(err, core.ErrInvalidCredential) || id.UserID != "" {
				t.Errorf("Authenticate(%.60q) = %+v, %v; want %v", tt.token, id, err, core.ErrInvalidCredential)
			}
			if strings.ContainsFunc(tt.token, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				return // no HTTP client sends control bytes in a header; the adapters' raw-socket tests cover them
			}
			res := cheapOverHTTP(t, servers[tt.s].URL, tt.token)
			if res.StatusCode != 401 || res.Header.Get("WWW-Authenticate") != "Bearer" || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("over HTTP: %d, WWW-Authenticate %q, Content-Type %q; want a 401 problem with a Bearer challenge",
					res.StatusCode, res.Header.Get("WWW-Authenticate"), res.Header.Get("Content-Type"))
			}
		})
	}
}

// Bounds of cheapOverHTTP.
const (
	cheapFloor = time.Second // a refusal may always take this long
	cheapRatio = 50          // or this many times a request without a token
	cheapTries = 3
)

// cheapOverHTTP sends token as a bearer token to url and checks that the
// refusal costs no real work: a token that reached expensive code (PBES2
// with p2c=1e8 is seconds of PBKDF2 in go-jose, and always is) would take
// far longer than a request without a token, every time. A fixed
// wall-clock bound alone is flaky on a loaded machine under -race, so each
// try is compared with a control request to the same server made just
// before it, and the bound is max(cheapFloor, cheapRatio × control); a try
// over it is repeated, up to cheapTries times, since load stalls one
// request but not every one, while real work repeats. It returns the last
// response (body closed).
func cheapOverHTTP(t *testing.T, url, token string) *http.Response {
	t.Helper()
	send := func(token string) (*http.Response, time.Duration) {
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res, time.Since(start)
	}
	var tries []string
	for range cheapTries {
		_, control := send("")
		res, took := send(token)
		bound := max(cheapFloor, cheapRatio*control)
		if took <= bound {
			return res
		}
		tries = append(tries, fmt.Sprintf("%v (bound %v)", took, bound))
	}
	t.Errorf("over HTTP the refusal took %s in %d tries; want it cheap: at most max(%v, %d× a request without a token)",
		strings.Join(tries, ", "), cheapTries, cheapFloor, cheapRatio)
	res, _ := send(token)
	return res
}

// guarded serves s behind httpapi.Guard, the middleware every adapter
// delegates to, on a real loopback server: the attack tokens are also sent
// over HTTP as a client would.
func guarded(t *testing.T, s *jwt.Strategy) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, reply := (httpapi.Guard{Strategy: s}).Check(r.Context(), httpapi.HTTPRequest(r, nil)); reply != nil {
			reply.Write(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestVerifyRefusesManyDotsWithinARaisedCap(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{MaxTokenSize: 1 << 20})
	for _, tok := range []string{strings.Repeat(".", 10000), strings.Repeat("A.", 100000)} {
		if _, err := s.Verify(tok); !errors.Is(err, jwt.ErrMalformed) || !errors.Is(err, core.ErrInvalidCredential) {
			t.Errorf("Verify(%.20q...) = %v; want %v", tok, err, jwt.ErrMalformed)
		}
	}
}

func TestVerifyAcceptsTheCraftedBaseline(t *testing.T) {
	// The attack table above is only meaningful if the same crafting,
	// unaltered, yields a token that is accepted.
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	tok := minted{}.token(t)
	c, err := s.Verify(tok)
	if err != nil || c.Subject != "alice" {
		t.Fatalf("Verify(baseline) = %+v, %v; want alice, nil", c, err)
	}
	// And the kid of the single key is known to the ring.
	if _, err := s.Verify(minted{kid: jwt.DeriveKeyID(key1)}.token(t)); err != nil {
		t.Errorf("Verify(baseline with derived kid) = %v; want nil", err)
	}
}

func TestTokenExpiresAfterLifetimeAndLeeway(t *testing.T) {
	s, clk, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	tok, exp, err := s.AccessToken("alice")
	if err != nil {
		t.Fatal(err)
	}
	if want := epoch.Add(jwt.DefaultLifetime); !exp.Equal(want) {
		t.Errorf("AccessToken expiry = %v; want %v", exp, want)
	}
	clk.Advance(jwt.DefaultLifetime + jwt.DefaultLeeway - time.Second)
	if _, err := s.Verify(tok); err != nil {
		t.Errorf("Verify one second before exp+leeway = %v; want nil", err)
	}
	clk.Advance(time.Second)
	if _, err := s.Verify(tok); !errors.Is(err, jwt.ErrExpired) || !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Verify at exp+leeway = %v; want %v", err, jwt.ErrExpired)
	}
}

func TestTokenNotBeforeHonoursLeeway(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	inLeeway := minted{claims: with("nbf", epoch.Add(jwt.DefaultLeeway).Unix())}.token(t)
	if _, err := s.Verify(inLeeway); err != nil {
		t.Errorf("Verify(nbf = now+leeway) = %v; want nil", err)
	}
	beyond := minted{claims: with("nbf", epoch.Add(jwt.DefaultLeeway+time.Second).Unix())}.token(t)
	if _, err := s.Verify(beyond); !errors.Is(err, jwt.ErrNotYetValid) {
		t.Errorf("Verify(nbf = now+leeway+1s) = %v; want %v", err, jwt.ErrNotYetValid)
	}
}
