package jwt_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
)

func TestAuthenticateReadsTheBearerToken(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	tok := mustToken(t, s, "alice")
	tests := []struct {
		name    string
		headers []string
		want    error // nil: authenticated as alice
	}{
		{"a bearer token authenticates", []string{"Bearer " + tok}, nil},
		{"the scheme is case-insensitive", []string{"bEaReR " + tok}, nil},
		{"several spaces after the scheme are allowed", []string{"Bearer   " + tok}, nil},
		{"a tab after the scheme is allowed", []string{"Bearer\t" + tok}, nil},
		{"no Authorization header is no credential", nil, core.ErrNoCredential},
		{"a Basic header is no credential", []string{"Basic YWxpY2U6c2VjcmV0"}, core.ErrNoCredential},
		{"two Basic headers are no credential", []string{"Basic YQ==", "Basic Yg=="}, core.ErrNoCredential},
		{"a scheme merely starting with Bearer is no credential", []string{"Bearertoken " + tok}, core.ErrNoCredential},
		{"an empty header is no credential", []string{""}, core.ErrNoCredential},
		{"Bearer without token is invalid", []string{"Bearer"}, jwt.ErrMalformed},
		{"Bearer with only spaces is invalid", []string{"Bearer   "}, jwt.ErrMalformed},
		{"two bearer headers are invalid", []string{"Bearer " + tok, "Bearer " + tok}, jwt.ErrMalformed},
		{"a bearer header beside a Basic one is invalid", []string{"Basic YQ==", "Bearer " + tok}, jwt.ErrMalformed},
		{"a token with a space inside is invalid", []string{"Bearer " + tok[:10] + " " + tok[10:]}, jwt.ErrMalformed},
		{"a refresh token as bearer is invalid", []string{"Bearer " + strings.Repeat("A", 43)}, jwt.ErrMalformed},
		{"a huge header is invalid", []string{"Bearer " + strings.Repeat("A", 1<<20)}, jwt.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := s.Authenticate(&coretest.Request{Headers: http.Header{"Authorization": tt.headers}})
			if tt.want == nil {
				if err != nil || id.UserID != "alice" || id.Strategy != "jwt" {
					t.Errorf("Authenticate(%.40q) = %+v, %v; want alice via jwt", tt.headers, id, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || id.UserID != "" {
				t.Errorf("Authenticate(%.40q) = %+v, %v; want %v", tt.headers, id, err, tt.want)
			}
			if tt.want != core.ErrNoCredential && !errors.Is(err, core.ErrInvalidCredential) {
				t.Errorf("Authenticate(%.40q) = %v; want it to wrap %v", tt.headers, err, core.ErrInvalidCredential)
			}
		})
	}
}

func TestAuthenticateRefusesARefreshTokenAsBearer(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	pair, err := s.Issue(t.Context(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(bearer(pair.RefreshToken)); !errors.Is(err, core.ErrInvalidCredential) {
		t.Errorf("Authenticate(refresh token) = %v; want %v", err, core.ErrInvalidCredential)
	}
	if id, err := s.Authenticate(bearer(pair.AccessToken)); err != nil || id.UserID != "alice" {
		t.Errorf("Authenticate(access token) = %+v, %v; want alice", id, err)
	}
}

func TestChallengeIsBearer(t *testing.T) {
	s, _, _ := newStrategy(t, [][]byte{key1}, jwt.Options{})
	if got := core.Challenge(s); got != "Bearer" {
		t.Errorf("Challenge() = %q; want %q", got, "Bearer")
	}
}

func TestAuthenticateReportsInvalidTokensWithoutTheToken(t *testing.T) {
	s, _, ev := newStrategy(t, [][]byte{key1}, jwt.Options{})
	tok := flip(mustToken(t, s, "alice"), 3)
	if _, err := s.Authenticate(bearer(tok)); !errors.Is(err, jwt.ErrDecrypt) {
		t.Fatalf("Authenticate(tampered) = %v; want %v", err, jwt.ErrDecrypt)
	}
	if _, err := s.Authenticate(&coretest.Request{}); !errors.Is(err, core.ErrNoCredential) {
		t.Fatalf("Authenticate(no header) = %v; want %v", err, core.ErrNoCredential)
	}
	if n := ev.Count(core.EventInvalidToken); n != 1 {
		t.Fatalf("%d invalid_token events; want 1 (none for a missing header)", n)
	}
	e := ev.All()[0]
	if e.Strategy != "jwt" || e.Reason != "decrypt" {
		t.Errorf("event = %+v; want strategy jwt, reason decrypt", e)
	}
	for _, f := range []string{e.UserID, e.Ref, e.Reason} {
		if strings.Contains(tok, f) && f != "" {
			t.Errorf("event field %q is part of the token", f)
		}
	}
}
