package jwt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt"
)

func TestNewRefusesUnsafeConfiguration(t *testing.T) {
	tests := []struct {
		name  string
		keys  [][]byte
		store jwt.RefreshStore
		opts  jwt.Options
	}{
		{"no key", nil, jwt.NewMemoryStore(), jwt.Options{}},
		{"a 31-byte key", [][]byte{key1[:31]}, jwt.NewMemoryStore(), jwt.Options{}},
		{"a 33-byte key", [][]byte{append(append([]byte{}, key1...), 0)}, jwt.NewMemoryStore(), jwt.Options{}},
		{"a short second key", [][]byte{key1, key2[:16]}, jwt.NewMemoryStore(), jwt.Options{}},
		{"the same key twice", [][]byte{key1, key1}, jwt.NewMemoryStore(), jwt.Options{}},
		{"fewer KeyIDs than keys", [][]byte{key1, key2}, jwt.NewMemoryStore(), jwt.Options{KeyIDs: []string{"a"}}},
		{"an empty kid", [][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{KeyIDs: []string{""}}},
		{"a kid with a space", [][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{KeyIDs: []string{"a b"}}},
		{"a kid too long", [][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{KeyIDs: []string{strings.Repeat("k", 65)}}},
		{"the same kid twice", [][]byte{key1, key2}, jwt.NewMemoryStore(), jwt.Options{KeyIDs: []string{"a", "a"}}},
		{"a leeway over a minute", [][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{Leeway: 61 * time.Second}},
		{"a negative leeway", [][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{Leeway: -time.Second}},
		{"a negative lifetime", [][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{Lifetime: -time.Minute}},
		{"a negative size cap", [][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{MaxTokenSize: -1}},
		{"no refresh store", [][]byte{key1}, nil, jwt.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := jwt.New(tt.keys, tt.store, tt.opts); err == nil {
				t.Errorf("New(%s) = %v, nil; want an error", tt.name, s)
			}
		})
	}
	if _, err := jwt.New([][]byte{key1[:31]}, jwt.NewMemoryStore(), jwt.Options{}); !errors.Is(err, core.ErrBadSecret) {
		t.Errorf("New(short key) = %v; want %v", err, core.ErrBadSecret)
	}
}

func TestDeriveKeyIDIsEightCharactersOfTheKeyHash(t *testing.T) {
	// base64url(SHA-256(32 bytes of 0x01)) starts with "cs1uhCLE" (computed independently with Python).
	if got, want := jwt.DeriveKeyID(key1), "cs1uhCLE"; got != want {
		t.Errorf("DeriveKeyID(key1) = %q; want %q", got, want)
	}
	if jwt.DeriveKeyID(key1) == jwt.DeriveKeyID(key2) {
		t.Errorf("DeriveKeyID(key1) == DeriveKeyID(key2)")
	}
}

func TestKeyRotationWithDerivedKids(t *testing.T) {
	before, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	during, _, _ := newStrategy(t, [][]byte{key2, key1}, jwt.Options{})
	after, _, _ := newStrategy(t, [][]byte{key2}, jwt.Options{})
	oldTok := mustToken(t, before, "alice")
	newTok := mustToken(t, during, "bob")

	if got := header(t, oldTok)["kid"]; got != nil {
		t.Errorf("kid of a one-key token = %v; want none", got)
	}
	if got, want := header(t, newTok)["kid"], jwt.DeriveKeyID(key2); got != want {
		t.Errorf("kid of a ring token = %v; want %q", got, want)
	}
	tests := []struct {
		name string
		s    *jwt.Strategy
		tok  string
		want error
	}{
		{"an old-key token authenticates while its key is in the ring", during, oldTok, nil},
		{"a new-key token authenticates during rotation", during, newTok, nil},
		{"a new-key token authenticates after rotation", after, newTok, nil},
		{"an old-key token stops once its key is removed", after, oldTok, jwt.ErrDecrypt},
		{"a new-key token is refused by the old ring", before, newTok, jwt.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.s.Verify(tt.tok)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v; want %v", err, tt.want)
			}
		})
	}
}

func TestKeyRotationWithExplicitKids(t *testing.T) {
	a, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{KeyIDs: []string{"2030-01"}})
	ab, _, _ := newStrategy(t, [][]byte{key2, key1}, jwt.Options{KeyIDs: []string{"2030-02", "2030-01"}})
	b, _, _ := newStrategy(t, [][]byte{key2}, jwt.Options{KeyIDs: []string{"2030-02"}})
	tokA := mustToken(t, a, "alice")
	tokB := mustToken(t, ab, "bob")
	if got := header(t, tokA)["kid"]; got != "2030-01" {
		t.Errorf("kid = %v; want 2030-01", got)
	}
	if _, err := ab.Verify(tokA); err != nil {
		t.Errorf("ring.Verify(old kid) = %v; want nil", err)
	}
	if _, err := b.Verify(tokB); err != nil {
		t.Errorf("new.Verify(new kid) = %v; want nil", err)
	}
	if _, err := b.Verify(tokA); !errors.Is(err, jwt.ErrUnknownKey) {
		t.Errorf("new.Verify(removed kid) = %v; want %v", err, jwt.ErrUnknownKey)
	}
}

func TestKidRoutesToOneKeyOnly(t *testing.T) {
	// A token encrypted with key2 but naming key1's kid is tried with key1
	// only, and fails, although key2 is in the ring.
	s, _, _ := newStrategy(t, [][]byte{key1, key2}, jwt.Options{KeyIDs: []string{"one", "two"}})
	forged := minted{key: key2, kid: "one"}.token(t)
	if _, err := s.Verify(forged); !errors.Is(err, jwt.ErrDecrypt) {
		t.Errorf("Verify(key2 token naming kid one) = %v; want %v", err, jwt.ErrDecrypt)
	}
	if _, err := s.Verify(minted{key: key2, kid: "two"}.token(t)); err != nil {
		t.Errorf("Verify(key2 token naming kid two) = %v; want nil", err)
	}
	if _, err := s.Verify(minted{key: key3, kid: "three"}.token(t)); !errors.Is(err, jwt.ErrUnknownKey) {
		t.Errorf("Verify(kid three) = %v; want %v", err, jwt.ErrUnknownKey)
	}
}

// header decodes the protected header of tok.
func header(t *testing.T, tok string) map[string]any {
	t.Helper()
	b, err := base64Decode(part(tok, 0))
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := jsonUnmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h
}
