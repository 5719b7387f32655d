package jwt

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzDirectOpenAgreesWithGoJose is the differential check behind the
// direct AES-256-GCM path (see VerifyContext), in two halves.
//
// Tokens: for every token whose header the ring minted, opening it directly
// and opening it with go-jose must both fail, or both succeed with the same
// plaintext. The seeds are real tokens; the fuzzer mutates their IV,
// ciphertext and tag.
//
// Claims: the fuzzed claims are sealed with the right key twice, under a
// header the ring mints (direct path) and under an acceptable header it
// does not (go-jose path). Both tokens must get the same verdict, and claims
// that name a member twice or spell a claim in another case (judged by
// json.Decoder.Token, not by the scanner under test) must be refused on
// both paths with ErrClaims.
func FuzzDirectOpenAgreesWithGoJose(f *testing.F) {
	keys := [][]byte{bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)}
	now := time.Unix(1_800_000_000, 0)
	s, err := New(keys, NewMemoryStore(), Options{Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	good := claimsAt(now)
	claimSeeds := [][]byte{
		object(good),
		object(good, `"sub":"bob"`),
		object(append([]string{`"sub":"bob"`}, good...)),
		object(replace(good, "sub", `"SUB":"alice"`)),
		object(good, `"Exp":99999999999`),
		object(good, "\"\u017fub\":\"bob\""),
		object(good, `"ext":{"a":1,"a":2}`),
		object(replace(good, "sub", `"sub":"alice\ud800"`)),
		object(good, `"x":[[[[[[[[]]]]]]]]`),
		object(good, `"method":"passkey"`, `"auth_time":1`, `"attrs":{"role":["admin"]}`),
		object(good, `"attrs":{"role":["a"],"role":["b"]}`),
		object(good, `"attrs":{"role":["a"]}`, `"Attrs":{"role":["b"]}`),
	}
	seed := 0
	for _, user := range []string{"1", "alice", strings.Repeat("u", 200)} {
		tok, _, err := s.AccessToken(user)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok, claimSeeds[seed%len(claimSeeds)])
		seed++
	}
	pair, err := s.Issue(context.Background(), "bob")
	if err != nil {
		f.Fatal(err)
	}
	for ; seed < len(claimSeeds); seed++ {
		f.Add(pair.AccessToken, claimSeeds[seed])
	}
	mintedHeader := s.ring.keys[0].header

	f.Fuzz(func(t *testing.T, token string, claims []byte) {
		if len(claims) > 0 {
			direct, errDirect := s.Verify(seal(t, keys[0], mintedHeader, claims))
			viaJOSE, errJOSE := s.Verify(seal(t, keys[0], foreignHeader, claims))
			switch {
			case (errDirect == nil) != (errJOSE == nil) || !reflect.DeepEqual(direct, viaJOSE):
				t.Fatalf("claims %q: direct path = %+v, %v; go-jose path = %+v, %v", claims, direct, errDirect, viaJOSE, errJOSE)
			case errDirect != nil && errDirect.Error() != errJOSE.Error():
				t.Fatalf("claims %q: direct path refuses with %v, go-jose path with %v", claims, errDirect, errJOSE)
			case ambiguousClaims(claims) && !(errors.Is(errDirect, ErrClaims) && errors.Is(errJOSE, ErrClaims)):
				t.Fatalf("claims %q name a member twice or a claim in another case; direct path = %v, go-jose path = %v", claims, errDirect, errJOSE)
			}
		}

		parts := strings.Split(token, ".")
		if len(parts) != 5 || parts[1] != "" || len(parts[2]) != ivLen || len(parts[4]) != tagLen || parts[3] == "" {
			return
		}
		for _, p := range []string{parts[0], parts[2], parts[3], parts[4]} {
			if !canonicalBase64URL(p) {
				return
			}
		}
		k, minted, err := s.ring.checkHeader(parts[0])
		if err != nil || !minted {
			return
		}
		direct, errDirect := s.ring.open(k, parts[0], parts[2], parts[3], parts[4])
		viaJOSE, errJOSE := s.ring.openWithJOSE(k, token)
		if (errDirect == nil) != (errJOSE == nil) || !bytes.Equal(direct, viaJOSE) {
			t.Fatalf("direct open = %q, %v; go-jose = %q, %v", direct, errDirect, viaJOSE, errJOSE)
		}
	})
}

// The sid claim reads the same whether a token is opened directly or by
// go-jose: both paths hand the same plaintext to one claims parser.
func TestSessionClaimIsTheSameOnBothPaths(t *testing.T) {
	s, err := New([][]byte{bytes.Repeat([]byte{1}, 32)}, NewMemoryStore(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pair, err := s.Issue(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(pair.AccessToken, ".")
	k, minted, err := s.ring.checkHeader(parts[0])
	if err != nil || !minted {
		t.Fatalf("checkHeader = %v, %v", minted, err)
	}
	direct, err := s.ring.open(k, parts[0], parts[2], parts[3], parts[4])
	if err != nil {
		t.Fatal(err)
	}
	viaJOSE, err := s.ring.openWithJOSE(k, pair.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	cd, errD := s.checkClaims(direct)
	cj, errJ := s.checkClaims(viaJOSE)
	if errD != nil || errJ != nil || cd.Session == "" || cd.Session != cj.Session {
		t.Errorf("sid direct = %q, %v; via go-jose = %q, %v; want the same, non-empty", cd.Session, errD, cj.Session, errJ)
	}
}
