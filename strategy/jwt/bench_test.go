package jwt_test

import (
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"

	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
)

// BenchmarkVerify compares Verify with the minimal hand-written go-jose use
// it wraps (parse, decrypt, validate), on the same token. bench/ holds the
// project's published comparisons; this one guards the overhead locally.
func BenchmarkVerify(b *testing.B) {
	s, err := jwt.New([][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	tok := mustToken(b, s, "user-42")
	b.Run("gobware", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Verify(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gojose", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t, err := josejwt.ParseEncrypted(tok, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
			if err != nil {
				b.Fatal(err)
			}
			var c josejwt.Claims
			if err := t.Claims(key1, &c); err != nil {
				b.Fatal(err)
			}
			if err := c.ValidateWithLeeway(josejwt.Expected{Issuer: "gobware", AnyAudience: josejwt.Audience{"gobware"}, Time: time.Now()}, 30*time.Second); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkIssue measures minting a token pair on the memory store.
func BenchmarkIssue(b *testing.B) {
	s, err := jwt.New([][]byte{key1}, jwt.NewMemoryStore(), jwt.Options{Events: (&coretest.Events{}).Record})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.AccessToken("user-42"); err != nil {
			b.Fatal(err)
		}
	}
}
