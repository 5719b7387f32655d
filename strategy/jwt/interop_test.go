package jwt_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt"
)

// The interop tests use only what the package documentation states: the
// secret as base64, alg dir, enc A256GCM, typ gobware-at+jwt, the kid rule
// and the claims.

const secret1 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=" // 32 bytes of 0x01

func TestInteropGoJoseTokenIsAccepted(t *testing.T) {
	key, err := core.ParseSecret(secret1)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tests := []struct {
		name string
		keys [][]byte
		kid  string
		aud  any
	}{
		{"one key, no kid, aud as a string", [][]byte{key}, "", "gobware"},
		{"one key, no kid, aud as an array", [][]byte{key}, "", []string{"other", "gobware"}},
		{"a ring of two keys with the derived kid", [][]byte{key2, key}, jwt.DeriveKeyID(key), "gobware"},
		{"a ring of two keys without kid", [][]byte{key2, key}, "", "gobware"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: key, KeyID: tt.kid},
				(&jose.EncrypterOptions{}).WithType("gobware-at+jwt"))
			if err != nil {
				t.Fatal(err)
			}
			tok, err := josejwt.Encrypted(enc).Claims(map[string]any{
				"sub": "user-42",
				"iss": "gobware",
				"aud": tt.aud,
				"exp": now.Add(time.Minute).Unix(),
				"jti": "0123456789",
			}).Serialize()
			if err != nil {
				t.Fatal(err)
			}
			s, err := jwt.New(tt.keys, jwt.NewMemoryStore(), jwt.Options{Events: func(_ context.Context, _ core.Event) {}})
			if err != nil {
				t.Fatal(err)
			}
			id, err := s.Authenticate(bearer(tok))
			if err != nil || id.UserID != "user-42" || id.Strategy != "jwt" {
				t.Errorf("Authenticate(go-jose token) = %+v, %v; want user-42 via jwt", id, err)
			}
		})
	}
}

// TestInteropHandMadeTokenIsAccepted builds a token with nothing but AES-GCM,
// as a library in another language might: members of the header in another
// order and with spaces, and fractional NumericDates.
func TestInteropHandMadeTokenIsAccepted(t *testing.T) {
	header := `{ "typ": "gobware-at+jwt", "enc": "A256GCM", "alg": "dir" }`
	now := time.Now()
	claims := `{"jti":"x1","exp":` + jsonNumber(float64(now.Add(time.Minute).Unix())+0.25) +
		`,"iat":` + jsonNumber(float64(now.Unix())-0.5) + `,"aud":["gobware"],"iss":"gobware","sub":"user-7"}`

	h := base64.RawURLEncoding.EncodeToString([]byte(header))
	block, err := aes.NewCipher(key1)
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	iv := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(iv); err != nil {
		t.Fatal(err)
	}
	sealed := gcm.Seal(nil, iv, []byte(claims), []byte(h)) // AAD: the ASCII of the header part
	ct, tag := sealed[:len(sealed)-16], sealed[len(sealed)-16:]
	enc := base64.RawURLEncoding.EncodeToString
	tok := h + ".." + enc(iv) + "." + enc(ct) + "." + enc(tag)

	s, err := jwt.New([][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Verify(tok)
	if err != nil || c.Subject != "user-7" || c.ID != "x1" {
		t.Fatalf("Verify(hand-made token) = %+v, %v; want user-7, x1", c, err)
	}
	if got, want := c.Expiry, time.Unix(now.Add(time.Minute).Unix(), 0); !got.Equal(want) {
		t.Errorf("Verify(hand-made token).Expiry = %v; want %v", got, want)
	}
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestInteropGobwareTokenIsReadByGoJose(t *testing.T) {
	for _, keys := range [][][]byte{{key1}, {key1, key2}} {
		s, err := jwt.New(keys, jwt.NewMemoryStore(), jwt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		tok, exp, err := s.AccessToken("user-9")
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := josejwt.ParseEncrypted(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
		if err != nil {
			t.Fatalf("ParseEncrypted(gobware token) = %v", err)
		}
		h := parsed.Headers[0]
		if h.Algorithm != "dir" || h.ExtraHeaders["typ"] != "gobware-at+jwt" {
			t.Errorf("header = %+v; want alg dir, typ gobware-at+jwt", h)
		}
		wantKid := ""
		if len(keys) > 1 {
			wantKid = jwt.DeriveKeyID(keys[0])
		}
		if h.KeyID != wantKid {
			t.Errorf("kid with %d keys = %q; want %q", len(keys), h.KeyID, wantKid)
		}
		var c josejwt.Claims
		if err := parsed.Claims(keys[0], &c); err != nil {
			t.Fatalf("Claims = %v", err)
		}
		if err := c.ValidateWithLeeway(josejwt.Expected{Issuer: "gobware", AnyAudience: josejwt.Audience{"gobware"}}, 0); err != nil {
			t.Errorf("Validate = %v", err)
		}
		if c.Subject != "user-9" || c.ID == "" || c.Expiry == nil || !c.Expiry.Time().Equal(exp) || c.IssuedAt == nil || c.NotBefore == nil {
			t.Errorf("claims = %+v; want sub user-9, jti, exp %v, iat, nbf", c, exp)
		}
	}
}
