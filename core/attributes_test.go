package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
)

func TestAttributesAccessors(t *testing.T) {
	a := core.Attributes{"role": {"admin", "editor"}, "tenant": {"acme"}, "empty": {}}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"Get returns the first value", a.Get("role"), "admin"},
		{"Get of a missing key is empty", a.Get("plan"), ""},
		{"Get of a key without values is empty", a.Get("empty"), ""},
		{"Has finds a later value", a.Has("role", "editor"), true},
		{"Has does not find a value of another key", a.Has("tenant", "admin"), false},
		{"Has on nil attributes is false", core.Attributes(nil).Has("role", "admin"), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v; want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestAttributesCloneIsDeep(t *testing.T) {
	a := core.Attributes{"role": {"admin"}}
	c := a.Clone()
	c["role"][0] = "guest"
	c["tenant"] = []string{"x"}
	if a.Get("role") != "admin" || len(a) != 1 {
		t.Errorf("changing a clone changed the original: %v", a)
	}
	if core.Attributes(nil).Clone() != nil {
		t.Error("Clone(nil) is not nil")
	}
	if !a.Equal(core.Attributes{"role": {"admin"}}) || a.Equal(c) || !core.Attributes(nil).Equal(core.Attributes{}) {
		t.Error("Equal does not compare keys and values")
	}
}

func TestAttributesCheck(t *testing.T) {
	big := strings.Repeat("x", core.MaxAttributesSize)
	tests := []struct {
		name string
		a    core.Attributes
		want error
	}{
		{"nil attributes pass", nil, nil},
		{"roles and a tenant pass", core.Attributes{"role": {"admin"}, "tenant": {"acme"}}, nil},
		{"an empty key is refused", core.Attributes{"": {"x"}}, core.ErrBadAttribute},
		{"a key that is not UTF-8 is refused", core.Attributes{"\xff": {"x"}}, core.ErrBadAttribute},
		{"a value that is not UTF-8 is refused", core.Attributes{"role": {"ad\xffmin"}}, core.ErrBadAttribute},
		{"attributes over the bound are refused", core.Attributes{"k": {big}}, core.ErrAttributesTooLarge},
		{"exactly the bound passes", core.Attributes{"k": {big[:core.MaxAttributesSize-len(`{"k":[""]}`)]}}, nil},
		{"one byte over the bound is refused", core.Attributes{"k": {big[:core.MaxAttributesSize-len(`{"k":[""]}`)+1]}}, core.ErrAttributesTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Check()
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("Check() = %v; want %v", err, tt.want)
			}
			if err != nil && !errors.Is(err, core.ErrInvalidArgument) {
				t.Errorf("Check() = %v; want it to wrap ErrInvalidArgument (a 500: the application's bug)", err)
			}
		})
	}
	err := core.Attributes{"k": {big}}.Check()
	if want := fmt.Sprintf("%d bytes of JSON, at most %d", core.MaxAttributesSize+len(`{"k":[""]}`), core.MaxAttributesSize); !strings.Contains(err.Error(), want) {
		t.Errorf("Check() = %q; want it to say %q", err, want)
	}
}

func TestLoginOptionsCheckTheMethod(t *testing.T) {
	for _, tt := range []struct {
		method string
		ok     bool
	}{
		{"", true},
		{"password", true},
		{"password+totp", true},
		{"oidc:google", true},
		{"pass word", false},
		{strings.Repeat("m", core.MaxMethodLength), true},
		{strings.Repeat("m", core.MaxMethodLength+1), false},
	} {
		err := core.LoginOptions{Method: tt.method}.Check()
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, core.ErrBadMethod)) {
			t.Errorf("LoginOptions{Method: %q}.Check() = %v; want ok=%v", tt.method, err, tt.ok)
		}
		if err := (core.SessionUpdate{Method: tt.method}).Check(); tt.ok != (err == nil) {
			t.Errorf("SessionUpdate{Method: %q}.Check() = %v; want ok=%v", tt.method, err, tt.ok)
		}
	}
	if err := (core.LoginOptions{Attributes: core.Attributes{"": nil}}).Check(); !errors.Is(err, core.ErrBadAttribute) {
		t.Errorf("LoginOptions with an empty attribute key: Check() = %v; want ErrBadAttribute", err)
	}
}

func TestRequireAttribute(t *testing.T) {
	admin := core.Identity{UserID: "alice", Attributes: core.Attributes{core.RoleAttribute: {"admin"}}}
	tests := []struct {
		name       string
		id         core.Identity
		key, value string
		want       error
		status     int
	}{
		{"a user with the role passes", admin, "role", "admin", nil, 200},
		{"a user without the role is forbidden", core.Identity{UserID: "bob"}, "role", "admin", core.ErrForbidden, 403},
		{"a role of another key does not count", core.Identity{UserID: "bob", Attributes: core.Attributes{"group": {"admin"}}}, "role", "admin", core.ErrForbidden, 403},
		{"no user is unauthenticated, not forbidden", core.Identity{}, "role", "admin", core.ErrNoCredential, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := core.RequireAttribute(tt.id, tt.key, tt.value)
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) || core.Status(err) != tt.status {
				t.Errorf("RequireAttribute(%v, %q, %q) = %v (status %d); want %v (status %d)", tt.id.UserID, tt.key, tt.value, err, core.Status(err), tt.want, tt.status)
			}
		})
	}
	if !admin.HasRole("admin") || admin.HasRole("editor") {
		t.Error("HasRole does not read the role attribute")
	}
}

func TestRequireFreshLogin(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	at := func(ago time.Duration) core.Identity { return core.Identity{UserID: "alice", AuthTime: now.Add(-ago)} }
	tests := []struct {
		name   string
		id     core.Identity
		maxAge time.Duration
		want   error
	}{
		{"a sign-in within the bound passes", at(5 * time.Minute), 15 * time.Minute, nil},
		{"a sign-in exactly at the bound passes", at(15 * time.Minute), 15 * time.Minute, nil},
		{"a sign-in older than the bound needs reauthentication", at(15*time.Minute + time.Second), 15 * time.Minute, core.ErrReauthenticationRequired},
		{"an unknown sign-in time needs reauthentication", core.Identity{UserID: "alice"}, time.Hour, core.ErrReauthenticationRequired},
		{"a sign-in a little in the future (clock skew) passes", at(-time.Second), time.Minute, nil},
		{"no user is unauthenticated", core.Identity{}, time.Hour, core.ErrNoCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := core.RequireFreshLogin(tt.id, tt.maxAge, now)
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("RequireFreshLogin(auth %v, %v) = %v; want %v", tt.id.AuthTime, tt.maxAge, err, tt.want)
			}
		})
	}
	if got := core.Status(core.RequireFreshLogin(at(time.Hour), time.Minute, now)); got != 403 {
		t.Errorf("Status(stale login) = %d; want 403", got)
	}
}
