package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/gobware/gobware/core"
	"golang.org/x/crypto/bcrypt"
)

// User is a demo account.
type User struct {
	ID       string
	Name     string
	Password string   // plain text, only to seed; Users keeps the bcrypt hash
	Roles    []string // carried by every credential of the user (core.RoleAttribute)
}

// DemoUsers are seeded on every start: alice is an admin, bob is not.
var DemoUsers = []User{
	{ID: "1", Name: "alice", Password: "alice-password", Roles: []string{"admin"}},
	{ID: "2", Name: "bob", Password: "bob-password"},
}

// Users is an in-memory user directory with bcrypt password hashes. It
// implements authapi.Users.
type Users struct {
	byName  map[string]account
	byID    map[string]string
	roles   map[string][]string               // by user ID
	dummy   []byte                            // hash compared for unknown usernames, so they cost the same
	compare func(hash, password []byte) error // bcrypt.CompareHashAndPassword
}

type account struct {
	id   string
	hash []byte
}

// NewUsers hashes the users' passwords with bcrypt at cost.
func NewUsers(users []User, cost int) (*Users, error) {
	u := &Users{byName: map[string]account{}, byID: map[string]string{}, roles: map[string][]string{}, compare: bcrypt.CompareHashAndPassword}
	var err error
	if u.dummy, err = bcrypt.GenerateFromPassword([]byte("gobware dummy password"), cost); err != nil {
		return nil, err
	}
	for _, usr := range users {
		h, err := bcrypt.GenerateFromPassword([]byte(usr.Password), cost)
		if err != nil {
			return nil, fmt.Errorf("demo: hashing %s's password: %w", usr.Name, err)
		}
		u.byName[usr.Name] = account{id: usr.ID, hash: h}
		u.byID[usr.ID] = usr.Name
		u.roles[usr.ID] = slices.Clone(usr.Roles)
	}
	return u, nil
}

// Verify checks a password. An unknown username runs one bcrypt comparison
// against a dummy hash, so its answer takes as long as a wrong password's and
// timing does not reveal which accounts exist.
func (u *Users) Verify(ctx context.Context, username, password string) (string, error) {
	acct, ok := u.byName[username]
	hash := acct.hash
	if !ok {
		hash = u.dummy
	}
	err := u.compare(hash, []byte(password))
	if !ok || err != nil {
		return "", fmt.Errorf("demo: wrong username or password: %w", core.ErrInvalidCredential)
	}
	return acct.id, nil
}

// Name returns the username of id.
func (u *Users) Name(ctx context.Context, id string) (string, error) {
	name, ok := u.byID[id]
	if !ok {
		return "", fmt.Errorf("demo: no user %q: %w", id, core.ErrInvalidCredential)
	}
	return name, nil
}

// Attributes are what a login of id carries: the user's roles
// (authapi.API.Attributes, jwt.Options.RefreshAttributes). A user without
// roles carries none.
func (u *Users) Attributes(ctx context.Context, id string) (core.Attributes, error) {
	if _, ok := u.byID[id]; !ok {
		return nil, fmt.Errorf("demo: no user %q: %w", id, core.ErrInvalidCredential)
	}
	if len(u.roles[id]) == 0 {
		return nil, nil
	}
	return core.Attributes{core.RoleAttribute: slices.Clone(u.roles[id])}, nil
}
