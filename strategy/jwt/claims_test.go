package jwt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
)

// foreignHeader is an acceptable header that no ring mints (its members are
// in another order), so tokens under it are opened by go-jose.
var foreignHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"enc":"A256GCM","typ":"gobware-at+jwt","alg":"dir"}`))

// seal encrypts payload with key under the base64url header h as a compact
// dir/A256GCM JWE. The claim attacks are sealed with the right key, so that
// the strict parse of the claims is the only thing in their way.
func seal(t testing.TB, key []byte, h string, payload []byte) string {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		t.Fatal(err)
	}
	sealed := gcm.Seal(nil, nonce, payload, []byte(h))
	enc := base64.RawURLEncoding.EncodeToString
	return h + ".." + enc(nonce) + "." + enc(sealed[:len(sealed)-gcm.Overhead()]) + "." + enc(sealed[len(sealed)-gcm.Overhead():])
}

// claimsAt returns the JSON members of valid claims at now, in order, for
// building payloads by hand.
func claimsAt(now time.Time) []string {
	return []string{
		`"sub":"alice"`, `"iss":"gobware"`, `"aud":"gobware"`,
		fmt.Sprintf(`"exp":%d`, now.Add(5*time.Minute).Unix()),
		fmt.Sprintf(`"nbf":%d`, now.Unix()), fmt.Sprintf(`"iat":%d`, now.Unix()),
		`"jti":"id-1"`,
	}
}

// object joins members into a JSON object, with extra ones after them.
func object(members []string, extra ...string) []byte {
	return []byte("{" + strings.Join(append(append([]string(nil), members...), extra...), ",") + "}")
}

// replace returns members with the one starting with `"name"` replaced.
func replace(members []string, name, with string) []string {
	out := append([]string(nil), members...)
	for i, m := range out {
		if strings.HasPrefix(m, `"`+name+`"`) {
			out[i] = with
		}
	}
	return out
}

func TestClaimsWithTwoMeaningsAreRefusedOnBothPaths(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	key := bytes.Repeat([]byte{7}, 32)
	s, err := New([][]byte{key}, NewMemoryStore(), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	paths := []struct {
		name, header string
		minted       bool
	}{
		{"direct AES-GCM path", s.ring.kidless, true},
		{"go-jose path", foreignHeader, false},
	}
	for _, p := range paths {
		if _, minted, err := s.ring.checkHeader(p.header); err != nil || minted != p.minted {
			t.Fatalf("checkHeader(%s header) = minted %v, %v; want minted %v", p.name, minted, err, p.minted)
		}
	}
	good := claimsAt(now)
	past := fmt.Sprintf(`"exp":%d`, now.Add(-time.Hour).Unix())
	authTime := fmt.Sprintf(`"auth_time":%d`, now.Add(-time.Minute).Unix())
	tests := []struct {
		name    string
		payload []byte
		want    error // nil: accepted
	}{
		{"the hand-built baseline is accepted", object(good), nil},
		{"unknown claims are ignored", object(good, `"scope":"admin"`, `"ext":{"a":[1,{"b":2}]}`), nil},
		{"unknown claims differing only in case are ignored", object(good, `"foo":1`, `"FOO":2`), nil},

		{"a second sub after the real one is refused", object(good, `"sub":"bob"`), ErrClaims},
		{"a second sub before the real one is refused", object(append([]string{`"sub":"bob"`}, good...)), ErrClaims},
		{"the same sub twice is refused", object(good, `"sub":"alice"`), ErrClaims},
		{"a second exp extending an expired token is refused", object(replace(good, "exp", past), good[3]), ErrClaims},
		{"a second aud is refused", object(good, `"aud":"other"`), ErrClaims},
		{"a second iss is refused", object(good, `"iss":"gobware"`), ErrClaims},
		{"a second jti is refused", object(good, `"jti":"id-2"`), ErrClaims},
		{"a second nbf is refused", object(good, fmt.Sprintf(`"nbf":%d`, now.Unix())), ErrClaims},
		{"a duplicate spelled with an escape is refused", object(good, `"s\u0075b":"bob"`), ErrClaims},
		{"a duplicate inside an unknown claim is refused", object(good, `"ext":{"a":1,"a":2}`), ErrClaims},

		{"SUB in capitals instead of sub is refused", object(replace(good, "sub", `"SUB":"alice"`)), ErrClaims},
		{"Sub beside sub is refused", object(good, `"Sub":"bob"`), ErrClaims},
		{"EXP beside exp is refused", object(good, `"EXP":99999999999`), ErrClaims},
		{"Jti instead of jti is refused", object(replace(good, "jti", `"Jti":"id-1"`)), ErrClaims},
		{"a long s in sub is refused", object(good, "\"\u017fub\":\"bob\""), ErrClaims},
		{"an escaped long s in sub is refused", object(good, `"\u017fub":"bob"`), ErrClaims},

		{"invalid UTF-8 in sub is refused", object(replace(good, "sub", "\"sub\":\"al\xffice\"")), ErrClaims},
		{"a lone surrogate in sub is refused", object(replace(good, "sub", `"sub":"alice\ud800"`)), ErrClaims},
		{"deep nesting in an unknown claim is refused", object(good, `"x":`+strings.Repeat("[", 100)+strings.Repeat("]", 100)), ErrClaims},
		{"a second object after the claims is refused", append(object(good), object(replace(good, "sub", `"sub":"bob"`))...), ErrClaims},

		{"method, auth_time and attrs are read", object(good, `"method":"passkey"`, authTime, `"attrs":{"role":["admin"],"Role":["x"]}`), nil},
		{"a second attrs is refused", object(good, `"attrs":{"role":["user"]}`, `"attrs":{"role":["admin"]}`), ErrClaims},
		{"an attribute named twice inside attrs is refused", object(good, `"attrs":{"role":["user"],"role":["admin"]}`), ErrClaims},
		{"an attribute named twice with an escape is refused", object(good, `"attrs":{"role":["user"],"r\u006fle":["admin"]}`), ErrClaims},
		{"ATTRS beside attrs is refused", object(good, `"attrs":{"role":["user"]}`, `"ATTRS":{"role":["admin"]}`), ErrClaims},
		{"a second method is refused", object(good, `"method":"password"`, `"method":"passkey"`), ErrClaims},
		{"Auth_Time instead of auth_time is refused", object(good, `"Auth_Time":1`), ErrClaims},
		{"a second auth_time is refused", object(good, authTime, authTime), ErrClaims},
		{"attrs holding a string instead of arrays is refused", object(good, `"attrs":{"role":"admin"}`), ErrClaims},
		{"an auth_time that is not a date is refused", object(good, `"auth_time":"yesterday"`), ErrClaims},
	}
	for _, p := range paths {
		t.Run(p.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					tok := seal(t, key, p.header, tt.payload)
					c, err := s.Verify(tok)
					if tt.want == nil {
						if err != nil || c.Subject != "alice" {
							t.Fatalf("Verify(%s) = %+v, %v; want alice", tt.payload, c, err)
						}
						if bytes.Contains(tt.payload, []byte(`"attrs"`)) && (c.Method != "passkey" || !c.AuthTime.Equal(now.Add(-time.Minute)) ||
							c.Attributes.Get("role") != "admin" || c.Attributes.Get("Role") != "x") {
							t.Fatalf("Verify(%s) = %+v; want method, auth time and both attributes", tt.payload, c)
						}
						return
					}
					if !errors.Is(err, tt.want) || !errors.Is(err, core.ErrInvalidCredential) {
						t.Fatalf("Verify(%q) = %+v, %v; want %v", tt.payload, c, err, tt.want)
					}
					if id, err := s.Authenticate(&coretest.Request{Headers: http.Header{"Authorization": {"Bearer " + tok}}}); !errors.Is(err, core.ErrInvalidCredential) || id.UserID != "" {
						t.Fatalf("Authenticate(%q) = %+v, %v; want %v", tt.payload, id, err, core.ErrInvalidCredential)
					}
				})
			}
		})
	}
}

// ambiguousClaims reports, reading payload with json.Decoder.Token (not
// the scanner under test), whether an object in it names a member twice or
// a top-level name is a claim gobware reads spelled in another case.
func ambiguousClaims(payload []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	type frame struct {
		names   map[string]bool
		wantKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return false
		}
		if n := len(stack); n > 0 && stack[n-1].names != nil && stack[n-1].wantKey && tok != json.Delim('}') {
			top, name := stack[n-1], tok.(string)
			if top.names[name] {
				return true
			}
			if n == 1 {
				for _, claim := range []string{"sub", "iss", "aud", "exp", "nbf", "iat", "jti", "sid", "auth_time", "method", "attrs"} {
					if name != claim && strings.EqualFold(name, claim) {
						return true
					}
				}
			}
			top.names[name] = true
			top.wantKey = false
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].names != nil {
			stack[n-1].wantKey = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{names: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}
