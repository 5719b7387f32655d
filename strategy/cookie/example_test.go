package cookie_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/cookie"
)

// browser plays both sides of the examples: a core.Response that keeps the
// cookie the server sets, and a core.Request that sends it back. Real
// applications get both from a gobware adapter (net/http, gin, fiber).
type browser struct{ jar map[string]string }

func (b *browser) SetCookie(c *http.Cookie) {
	if c.MaxAge < 0 {
		delete(b.jar, c.Name)
		return
	}
	b.jar[c.Name] = c.Value
}
func (b *browser) SetHeader(string, string) {}
func (b *browser) Context() context.Context { return context.Background() }
func (b *browser) Method() string           { return http.MethodGet }
func (b *browser) Host() string             { return "shop.example" }
func (b *browser) Header(string) []string   { return nil }
func (b *browser) RemoteIP() string         { return "192.0.2.1" }
func (b *browser) Cookies(name string) []string {
	if v, ok := b.jar[name]; ok {
		return []string{v}
	}
	return nil
}

func Example() {
	// In production: core.ParseKeyRing(os.Getenv("SESSION_SECRET")).
	keys, err := core.ParseKeyRing("ZXhhbXBsZSBrZXk6IDMyIGJ5dGVzLCBub3QgcmVhbCE=")
	if err != nil {
		panic(err)
	}
	auth, err := cookie.New(keys, cookie.NewMemoryStore(), cookie.Options{})
	if err != nil {
		panic(err)
	}

	b := &browser{jar: map[string]string{}}
	if err := auth.Login(b, b, "alice"); err != nil { // after checking her password
		panic(err)
	}
	fmt.Println("cookie:", auth.CookieName(), len(b.jar[auth.CookieName()]), "characters")

	id, err := auth.Authenticate(b)
	fmt.Println("user:", id.UserID, "via", id.Strategy, err)

	stolen := b.jar[auth.CookieName()]
	auth.Logout(b, b)
	_, err = auth.Authenticate(b)
	fmt.Println("after logout:", errors.Is(err, core.ErrNoCredential))

	b.jar[auth.CookieName()] = stolen // replay the old cookie
	_, err = auth.Authenticate(b)
	fmt.Println("replayed:", errors.Is(err, cookie.ErrUnknownSession), core.Status(err))
	// Output:
	// cookie: __Host-gobware_session 87 characters
	// user: alice via cookie <nil>
	// after logout: true
	// replayed: true 401
}

// Keys rotate without logging anyone out: put the new key first and keep
// the old one until every session it signed has expired.
func ExampleNew_keyRotation() {
	store := cookie.NewMemoryStore()
	oldKey, _ := core.ParseSecret("b2xkZXIgZXhhbXBsZSBrZXksIGFsc28gMzIgYnl0ZXM=")
	newKey, _ := core.ParseSecret("ZXhhbXBsZSBrZXk6IDMyIGJ5dGVzLCBub3QgcmVhbCE=")

	before, _ := cookie.New([][]byte{oldKey}, store, cookie.Options{})
	b := &browser{jar: map[string]string{}}
	before.Login(b, b, "alice")

	during, _ := cookie.New([][]byte{newKey, oldKey}, store, cookie.Options{})
	id, err := during.Authenticate(b)
	fmt.Println("during rotation:", id.UserID, err)

	after, _ := cookie.New([][]byte{newKey}, store, cookie.Options{})
	_, err = after.Authenticate(b)
	fmt.Println("after removing the old key:", errors.Is(err, cookie.ErrBadSignature))
	// Output:
	// during rotation: alice <nil>
	// after removing the old key: true
}

// A "your devices" page: list the sessions, mark the current one, end another.
func ExampleStrategy_Sessions() {
	auth, _ := cookie.New([][]byte{[]byte("example key: 32 bytes, not real!")}, cookie.NewMemoryStore(), cookie.Options{})
	phone := &browser{jar: map[string]string{}}
	laptop := &browser{jar: map[string]string{}}
	auth.Login(phone, phone, "alice")
	auth.Login(laptop, laptop, "alice")

	ctx := context.Background()
	sessions, _ := auth.Sessions(ctx, "alice")
	current := auth.CurrentHandle(laptop)
	for _, s := range sessions {
		if s.Hash.Handle() != current {
			auth.End(ctx, "alice", s.Hash.Handle())
		}
	}
	_, errPhone := auth.Authenticate(phone)
	_, errLaptop := auth.Authenticate(laptop)
	fmt.Println(len(sessions), "sessions; phone ended:", errPhone != nil, "; laptop still in:", errLaptop == nil)
	// Output:
	// 2 sessions; phone ended: true ; laptop still in: true
}

func ExampleOptions_maxSessionsPerUser() {
	keys, err := core.ParseKeyRing("ZXhhbXBsZSBrZXk6IDMyIGJ5dGVzLCBub3QgcmVhbCE=")
	if err != nil {
		panic(err)
	}
	auth, err := cookie.New(keys, cookie.NewMemoryStore(), cookie.Options{
		MaxSessionsPerUser: 2, // a third login ends the oldest session
		Events: func(_ context.Context, e core.Event) {
			if e.Type == core.EventSessionEnded {
				fmt.Println("event:", e.Type, e.UserID, e.Reason)
			}
		},
	})
	if err != nil {
		panic(err)
	}
	laptop, phone, tablet := &browser{jar: map[string]string{}}, &browser{jar: map[string]string{}}, &browser{jar: map[string]string{}}
	for _, b := range []*browser{laptop, phone, tablet} {
		if err := auth.Login(b, b, "alice"); err != nil {
			panic(err)
		}
	}
	for name, b := range map[string]*browser{"laptop": laptop} {
		_, err := auth.Authenticate(b)
		fmt.Println(name, "signed out:", errors.Is(err, cookie.ErrUnknownSession))
	}
	_, err = auth.Authenticate(tablet)
	fmt.Println("tablet signed in:", err == nil)
	// Output:
	// event: session_ended alice session_cap
	// laptop signed out: true
	// tablet signed in: true
}

// A login records how the user signed in and the attributes the session
// carries; "remember me" is chosen per login. A step-up (a second factor)
// later updates the live session and changes its ID in one atomic step.
func ExampleStrategy_LoginWith() {
	keys, err := core.ParseKeyRing("ZXhhbXBsZSBrZXk6IDMyIGJ5dGVzLCBub3QgcmVhbCE=")
	if err != nil {
		panic(err)
	}
	auth, err := cookie.New(keys, cookie.NewMemoryStore(), cookie.Options{})
	if err != nil {
		panic(err)
	}
	b := &browser{jar: map[string]string{}}
	remember := true // the "remember me" box of the login form
	err = auth.LoginWith(b, b, "alice", core.LoginOptions{
		Method:     core.MethodPassword,
		Attributes: core.Attributes{core.RoleAttribute: {"admin"}, "tenant": {"acme"}},
		Remember:   &remember,
	})
	if err != nil {
		panic(err)
	}
	id, _ := auth.Authenticate(b)
	fmt.Println(id.UserID, id.Method, id.HasRole("admin"), id.Attributes.Get("tenant"))
	fmt.Println("recent sign-in:", core.RequireFreshLogin(id, 15*time.Minute, time.Now()) == nil)

	// After a second factor: mark the sign-in fresh and record the proof.
	before := b.jar[auth.CookieName()]
	id, err = auth.Update(b, b, core.SessionUpdate{Reauthenticated: true, Method: "password+totp"})
	fmt.Println(id.Method, err, "new cookie:", b.jar[auth.CookieName()] != before)

	// Too much to carry is the application's bug, refused before anything
	// is written.
	err = auth.LoginWith(b, b, "bob", core.LoginOptions{Attributes: core.Attributes{"notes": {strings.Repeat("x", 2000)}}})
	fmt.Println(errors.Is(err, core.ErrAttributesTooLarge))
	// Output:
	// alice password true acme
	// recent sign-in: true
	// password+totp <nil> new cookie: true
	// true
}

// Sharing one session across subdomains needs a __Secure- cookie with a
// Domain; the __Host- prefix forbids it, and New says so.
func ExampleOptions_domain() {
	keys, _ := core.ParseKeyRing("ZXhhbXBsZSBrZXk6IDMyIGJ5dGVzLCBub3QgcmVhbCE=")
	auth, err := cookie.New(keys, cookie.NewMemoryStore(), cookie.Options{Domain: "example.com"})
	fmt.Println(auth.CookieName(), err)
	_, err = cookie.New(keys, cookie.NewMemoryStore(), cookie.Options{CookieName: "__Host-s", Domain: "example.com"})
	fmt.Println(errors.Is(err, cookie.ErrBadOption))
	// Output:
	// __Secure-gobware_session <nil>
	// true
}
