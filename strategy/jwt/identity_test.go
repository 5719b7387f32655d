package jwt_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
)

// An access token is never issued over MaxTokenSize: IssueWith with
// attributes that would push it over fails with ErrAttributesTooLarge (the
// application's bug, a 500), and the family it stored is revoked, so its
// refresh token, never handed out, could not be used anyway.
func TestIssueWithNeverExceedsTheSizeCap(t *testing.T) {
	store := &recordingStore{RefreshStore: jwt.NewMemoryStore()}
	key := make([]byte, 32)
	key[0] = 42
	s, err := jwt.New([][]byte{key}, store, jwt.Options{MaxTokenSize: 900, Events: func(context.Context, core.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	attrs := core.Attributes{"notes": {strings.Repeat("x", 800)}} // within MaxAttributesSize, not within 900 bytes of token
	p, err := s.IssueWith(t.Context(), "alice", jwt.IssueOptions{Attributes: attrs})
	if !errors.Is(err, core.ErrAttributesTooLarge) || !errors.Is(err, core.ErrInvalidArgument) || core.Status(err) != 500 || p != (jwt.Pair{}) {
		t.Fatalf("IssueWith(attributes too large for the token) = %+v, %v; want no pair and %v", p, err, core.ErrAttributesTooLarge)
	}
	if !strings.Contains(err.Error(), "MaxTokenSize (900)") {
		t.Errorf("error %q does not name the cap", err)
	}
	if len(store.created) != 1 {
		t.Fatalf("%d families created; want 1", len(store.created))
	}
	if f, err := store.Find(t.Context(), store.created[0]); err != nil || !f.Revoked {
		t.Errorf("family of the refused login = %+v, %v; want it revoked", f, err)
	}
	if _, err := s.IssueWith(t.Context(), "alice", jwt.IssueOptions{Attributes: core.Attributes{"ok": {"1"}}}); err != nil {
		t.Errorf("IssueWith(small attributes) = %v", err)
	}
}

// recordingStore records the IDs of the families created.
type recordingStore struct {
	jwt.RefreshStore
	created []string
}

func (r *recordingStore) Create(ctx context.Context, f jwt.Family) error {
	r.created = append(r.created, f.ID)
	return r.RefreshStore.Create(ctx, f)
}

// Identity reports the expiry of the access token.
func TestIdentityExpiresWithTheAccessToken(t *testing.T) {
	now := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := jwt.New([][]byte{make([]byte, 32)}, jwt.NewMemoryStore(), jwt.Options{Now: func() time.Time { return now }, Events: func(context.Context, core.Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.IssueWith(t.Context(), "alice", jwt.IssueOptions{Method: core.MethodPassword})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Authenticate(&coretest.Request{Headers: http.Header{"Authorization": {"Bearer " + p.AccessToken}}})
	if err != nil || !id.Expires.Equal(now.Add(jwt.DefaultLifetime)) || !id.AuthTime.Equal(now) || id.Method != core.MethodPassword {
		t.Errorf("Authenticate = %+v, %v; want expiry %v, auth time %v, method password", id, err, now.Add(jwt.DefaultLifetime), now)
	}
	if _, err := s.IssueWith(t.Context(), "alice", jwt.IssueOptions{Method: "pass word"}); !errors.Is(err, core.ErrBadMethod) {
		t.Errorf("IssueWith(bad method) = %v; want %v", err, core.ErrBadMethod)
	}
}
