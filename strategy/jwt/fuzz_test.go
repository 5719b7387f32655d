package jwt_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
)

// FuzzVerify feeds arbitrary strings to Verify: it must never panic, and
// must either accept a token whose claims are complete or refuse it as an
// invalid credential.
func FuzzVerify(f *testing.F) {
	s, _, _ := newStrategy(f, [][]byte{key1, key2}, jwt.Options{})
	single, _, _ := newStrategy(f, [][]byte{key1}, jwt.Options{})
	good := mustToken(f, s, "alice")
	for _, seed := range []string{
		good,
		mustToken(f, single, "bob"),
		minted{}.token(f),
		minted{zip: jose.DEFLATE}.token(f),
		minted{claims: without("exp")}.token(f),
		withHeader(good, `{"alg":"dir","enc":"A256GCM","typ":"gobware-at+jwt","kid":"x"}`),
		withHeader(good, `{"alg":"none"}`),
		"", ".", "....", "a.b.c.d.e", strings.Repeat(".", 100), "{}", good + ".",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		for _, st := range []*jwt.Strategy{s, single} {
			c, err := st.Verify(tok)
			if err == nil {
				if c.Subject == "" || c.ID == "" || c.Expiry.IsZero() {
					t.Errorf("Verify(%q) accepted incomplete claims %+v", tok, c)
				}
				continue
			}
			if !errors.Is(err, core.ErrInvalidCredential) {
				t.Errorf("Verify(%q) = %v; want it to wrap %v", tok, err, core.ErrInvalidCredential)
			}
		}
	})
}

// FuzzAuthenticate feeds arbitrary Authorization headers to Authenticate.
func FuzzAuthenticate(f *testing.F) {
	s, _, _ := newStrategy(f, [][]byte{key1}, jwt.Options{})
	good := mustToken(f, s, "alice")
	for _, seed := range []string{"Bearer " + good, "bearer " + good, "Basic YQ==", "Bearer", "Bearer \x00", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, h string) {
		id, err := s.Authenticate(&coretest.Request{Headers: http.Header{"Authorization": {h}}})
		switch {
		case err == nil && id.UserID == "":
			t.Errorf("Authenticate(%q) = empty identity, nil", h)
		case err != nil && !errors.Is(err, core.ErrInvalidCredential) && !errors.Is(err, core.ErrNoCredential):
			t.Errorf("Authenticate(%q) = %v; want no or invalid credential", h, err)
		}
	})
}
