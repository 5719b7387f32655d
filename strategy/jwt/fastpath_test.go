package jwt

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzDirectOpenAgreesWithGoJose is the differential check behind the
// direct AES-256-GCM path (see VerifyContext): for every token whose header
// the ring minted, opening it directly and opening it with go-jose must
// both fail, or both succeed with the same plaintext. The seeds are real
// tokens; the fuzzer mutates their IV, ciphertext and tag.
func FuzzDirectOpenAgreesWithGoJose(f *testing.F) {
	keys := [][]byte{bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)}
	s, err := New(keys, NewMemoryStore(), Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, user := range []string{"1", "alice", strings.Repeat("u", 200)} {
		tok, _, err := s.AccessToken(user)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	pair, err := s.Issue(context.Background(), "bob")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pair.AccessToken)

	f.Fuzz(func(t *testing.T, token string) {
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
