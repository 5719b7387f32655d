package bench

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/jwt"
	golangjwt "github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"
	jwxjwt "github.com/lestrrat-go/jwx/v3/jwt"
)

// Claims every token carries, whichever library mints it.
const (
	issuer   = "gobware"
	audience = "gobware"
	leeway   = 30 * time.Second
	lifetime = 15 * time.Minute
)

// BenchmarkTokenAuth measures a stateless check: from the Authorization
// header of a request to the user ID, for a valid token. Each library
// verifies a token it minted itself, with the same claims.
func BenchmarkTokenAuth(b *testing.B) {
	b.Run("gobware-jwe", func(b *testing.B) {
		benchGobwareToken(b, jwt.Options{})
	})
	b.Run("gobware-jwe-cached", func(b *testing.B) {
		benchGobwareToken(b, jwt.Options{CacheSize: 10000})
	})
	b.Run("gojose-jwe", func(b *testing.B) {
		enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: tokenKey}, (&jose.EncrypterOptions{}).WithType("JWT"))
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		tok, err := josejwt.Encrypted(enc).Claims(josejwt.Claims{
			Subject: userID, Issuer: issuer, Audience: josejwt.Audience{audience},
			Expiry: josejwt.NewNumericDate(now.Add(lifetime)), NotBefore: josejwt.NewNumericDate(now),
			IssuedAt: josejwt.NewNumericDate(now), ID: "0123456789abcdefghijkl",
		}).Serialize()
		if err != nil {
			b.Fatal(err)
		}
		r := bearerRequest(tok)
		b.ReportAllocs()
		for b.Loop() {
			raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok {
				b.Fatal("no bearer token")
			}
			t, err := josejwt.ParseEncrypted(raw, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
			if err != nil {
				b.Fatal(err)
			}
			var c josejwt.Claims
			if err := t.Claims(tokenKey, &c); err != nil {
				b.Fatal(err)
			}
			err = c.ValidateWithLeeway(josejwt.Expected{Issuer: issuer, AnyAudience: josejwt.Audience{audience}, Time: time.Now()}, leeway)
			check(b, c.Subject, err)
		}
	})
	b.Run("jwx-jwe", func(b *testing.B) {
		now := time.Now()
		t, err := jwxjwt.NewBuilder().Subject(userID).Issuer(issuer).Audience([]string{audience}).
			Expiration(now.Add(lifetime)).NotBefore(now).IssuedAt(now).JwtID("0123456789abcdefghijkl").Build()
		if err != nil {
			b.Fatal(err)
		}
		payload, err := jwxjwt.NewSerializer().Serialize(t)
		if err != nil {
			b.Fatal(err)
		}
		tok, err := jwe.Encrypt(payload, jwe.WithKey(jwa.DIRECT(), tokenKey), jwe.WithContentEncryption(jwa.A256GCM()))
		if err != nil {
			b.Fatal(err)
		}
		r := bearerRequest(string(tok))
		b.ReportAllocs()
		for b.Loop() {
			raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok {
				b.Fatal("no bearer token")
			}
			plain, err := jwe.Decrypt([]byte(raw), jwe.WithKey(jwa.DIRECT(), tokenKey))
			if err != nil {
				b.Fatal(err)
			}
			t, err := jwxjwt.Parse(plain, jwxjwt.WithVerify(false), jwxjwt.WithValidate(true),
				jwxjwt.WithIssuer(issuer), jwxjwt.WithAudience(audience), jwxjwt.WithAcceptableSkew(leeway))
			if err != nil {
				b.Fatal(err)
			}
			sub, _ := t.Subject()
			check(b, sub, nil)
		}
	})
	b.Run("golangjwt-hs256", func(b *testing.B) {
		now := time.Now()
		tok, err := golangjwt.NewWithClaims(golangjwt.SigningMethodHS256, golangjwt.RegisteredClaims{
			Subject: userID, Issuer: issuer, Audience: golangjwt.ClaimStrings{audience},
			ExpiresAt: golangjwt.NewNumericDate(now.Add(lifetime)), NotBefore: golangjwt.NewNumericDate(now),
			IssuedAt: golangjwt.NewNumericDate(now), ID: "0123456789abcdefghijkl",
		}).SignedString(tokenKey)
		if err != nil {
			b.Fatal(err)
		}
		r := bearerRequest(tok)
		keyFunc := func(*golangjwt.Token) (any, error) { return tokenKey, nil }
		b.ReportAllocs()
		for b.Loop() {
			raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok {
				b.Fatal("no bearer token")
			}
			var c golangjwt.RegisteredClaims
			_, err := golangjwt.ParseWithClaims(raw, &c, keyFunc,
				golangjwt.WithValidMethods([]string{"HS256"}), golangjwt.WithIssuer(issuer),
				golangjwt.WithAudience(audience), golangjwt.WithLeeway(leeway), golangjwt.WithExpirationRequired())
			check(b, c.Subject, err)
		}
	})
	b.Run("floor-aesgcm", func(b *testing.B) {
		// The ciphertext and tag of a gobware token, opened with an AEAD
		// made once: the cryptographic work every JWE check must do.
		s := newGobwareTokens(b, jwt.Options{})
		tok, _, err := s.AccessToken(userID)
		if err != nil {
			b.Fatal(err)
		}
		parts := strings.Split(tok, ".")
		dec := base64.RawURLEncoding
		iv, _ := dec.DecodeString(parts[2])
		ct, _ := dec.DecodeString(parts[3])
		tag, _ := dec.DecodeString(parts[4])
		sealed := append(ct, tag...)
		aad := []byte(parts[0])
		block, err := aes.NewCipher(tokenKey)
		if err != nil {
			b.Fatal(err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 0, len(sealed))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := aead.Open(buf[:0], iv, sealed, aad); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func newGobwareTokens(b *testing.B, opts jwt.Options) *jwt.Strategy {
	b.Helper()
	opts.Events = discardEvents
	s, err := jwt.New([][]byte{tokenKey}, jwt.NewMemoryStore(), opts)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchGobwareToken(b *testing.B, opts jwt.Options) {
	s := newGobwareTokens(b, opts)
	tok, _, err := s.AccessToken(userID)
	if err != nil {
		b.Fatal(err)
	}
	r := bearerRequest(tok)
	b.ReportAllocs()
	for b.Loop() {
		id, err := s.Authenticate(httpapi.HTTPRequest(r, nil))
		check(b, id.UserID, err)
	}
}
