package httpapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

func TestAuthorize(t *testing.T) {
	now := time.Now()
	admin := core.Identity{UserID: "1", AuthTime: now.Add(-time.Minute), Attributes: core.Attributes{core.RoleAttribute: {"admin"}}}
	stale := core.Identity{UserID: "2", AuthTime: now.Add(-time.Hour), Attributes: core.Attributes{"tenant": {"acme"}}}
	teapot := errors.New("a rule of the application's own failed")
	tests := []struct {
		name       string
		ctx        context.Context
		rules      []httpapi.Rule
		wantStatus int // 0: let through
		wantCode   string
	}{
		{"no rules let any identity through", core.NewContext(context.Background(), stale), nil, 0, ""},
		{"no identity is unauthenticated, even without rules", context.Background(), nil, 401, "unauthenticated"},
		{"no identity is unauthenticated before any rule runs", context.Background(), []httpapi.Rule{func(core.Identity) error { panic("ran") }}, 401, "unauthenticated"},
		{"a held role passes", core.NewContext(context.Background(), admin), []httpapi.Rule{httpapi.Role("admin")}, 0, ""},
		{"a missing role is forbidden", core.NewContext(context.Background(), stale), []httpapi.Rule{httpapi.Role("admin")}, 403, "forbidden"},
		{"a held attribute passes", core.NewContext(context.Background(), stale), []httpapi.Rule{httpapi.Attribute("tenant", "acme")}, 0, ""},
		{"a recent sign-in is fresh", core.NewContext(context.Background(), admin), []httpapi.Rule{httpapi.FreshLogin(10 * time.Minute)}, 0, ""},
		{"an old sign-in needs reauthentication", core.NewContext(context.Background(), stale), []httpapi.Rule{httpapi.FreshLogin(10 * time.Minute)}, 403, "reauthentication_required"},
		{"the first refusing rule answers", core.NewContext(context.Background(), stale),
			[]httpapi.Rule{httpapi.Attribute("tenant", "acme"), httpapi.FreshLogin(time.Minute), httpapi.Role("admin")}, 403, "reauthentication_required"},
		{"a rule's own error is mapped like any other", core.NewContext(context.Background(), admin), []httpapi.Rule{func(core.Identity) error { return teapot }}, 500, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := httpapi.Authorize(tt.ctx, tt.rules...)
			switch {
			case tt.wantStatus == 0 && reply != nil:
				t.Fatalf("Authorize = %d %s; want nil (let through)", reply.Status, reply.Body)
			case tt.wantStatus == 0:
			case reply == nil:
				t.Fatalf("Authorize = nil; want %d %s", tt.wantStatus, tt.wantCode)
			case reply.Status != tt.wantStatus || reply.Problem.Code != tt.wantCode:
				t.Fatalf("Authorize = %d %s; want %d %s", reply.Status, reply.Problem.Code, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestFreshLoginRefusesANonPositiveMaxAge(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FreshLogin(%v) did not panic", d)
				}
			}()
			httpapi.FreshLogin(d)
		}()
	}
}
