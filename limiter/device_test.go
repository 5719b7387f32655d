package limiter_test

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/limiter"
)

var (
	deviceKey      = []byte("limiter test device key, 32 byte")
	otherDeviceKey = []byte("another device key, also 32 byte")
)

func newDevices(t *testing.T, keys [][]byte, opts limiter.DeviceOptions) *limiter.Devices {
	t.Helper()
	d, err := limiter.NewDevices(keys, opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// issue returns the value of a device token d issues for username.
func issue(t *testing.T, d *limiter.Devices, username string) string {
	t.Helper()
	w := &coretest.Response{}
	d.Issue(w, limiter.Account(username))
	if len(w.Cookies) != 1 {
		t.Fatalf("Issue set %d cookies; want 1", len(w.Cookies))
	}
	return w.Cookies[0].Value
}

// from is a request from addr carrying the device cookies values.
func from(addr string, values ...string) *coretest.Request {
	r := &coretest.Request{IP: addr}
	for _, v := range values {
		r.AddCookie(limiter.DefaultDeviceCookieName, v)
	}
	return r
}

func TestNewDevicesRefusesWeakSettings(t *testing.T) {
	for _, tt := range []struct {
		name string
		keys [][]byte
		opts limiter.DeviceOptions
	}{
		{"no key", nil, limiter.DeviceOptions{}},
		{"a key under 32 bytes", [][]byte{deviceKey[:31]}, limiter.DeviceOptions{}},
		{"a short key in the ring", [][]byte{deviceKey, []byte("short")}, limiter.DeviceOptions{}},
		{"a cookie name without __Host-", [][]byte{deviceKey}, limiter.DeviceOptions{CookieName: "device"}},
		{"a __Host- name without Secure", [][]byte{deviceKey}, limiter.DeviceOptions{CookieName: "__Host-d", InsecureCookies: true}},
		{"a name that is no cookie name", [][]byte{deviceKey}, limiter.DeviceOptions{CookieName: "__Host-a b"}},
		{"a negative lifetime", [][]byte{deviceKey}, limiter.DeviceOptions{Lifetime: -time.Hour}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := limiter.NewDevices(tt.keys, tt.opts); !errors.Is(err, limiter.ErrBadOption) {
				t.Errorf("NewDevices = %v; want ErrBadOption", err)
			}
		})
	}
}

func TestADeviceCookieIsHostOnlyHTTPOnlyStrictAndLongLived(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts limiter.DeviceOptions
		want string
	}{
		{"by default", limiter.DeviceOptions{}, `^__Host-gobware_device=[A-Za-z0-9_-]{75}; Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Strict$`},
		{"with insecure cookies", limiter.DeviceOptions{InsecureCookies: true, Lifetime: time.Hour}, `^gobware_device=[A-Za-z0-9_-]{75}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict$`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := &coretest.Response{}
			newDevices(t, [][]byte{deviceKey}, tt.opts).Issue(w, limiter.Account("alice"))
			if len(w.Cookies) != 1 || !regexp.MustCompile(tt.want).MatchString(w.Cookies[0].String()) {
				t.Fatalf("Set-Cookie %v; want one matching %s", w.Cookies, tt.want)
			}
		})
	}
}

func TestADeviceTokenHoldsNoUserData(t *testing.T) {
	d := newDevices(t, [][]byte{deviceKey}, limiter.DeviceOptions{})
	raw, err := base64.RawURLEncoding.DecodeString(issue(t, d, "alice-the-username"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "alice") {
		t.Errorf("the token contains the username: %q", raw)
	}
}

func TestEveryLoginRenewsTheDeviceToken(t *testing.T) {
	d := newDevices(t, [][]byte{deviceKey}, limiter.DeviceOptions{})
	account := limiter.Account("alice")
	first, second := issue(t, d, "alice"), issue(t, d, "alice")
	k1, k2 := d.Key(from("", first), account), d.Key(from("", second), account)
	if first == second || k1 == "" || k2 == "" || k1 == k2 {
		t.Fatalf("two tokens %q, %q with keys %q, %q; want two valid tokens with keys of their own", first, second, k1, k2)
	}
}

// TestForgedDeviceTokensGiveNoAllowance: whatever is wrong with a token,
// Key returns "" and the attempt meets the account limit.
func TestForgedDeviceTokensGiveNoAllowance(t *testing.T) {
	c := coretest.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	d := newDevices(t, [][]byte{deviceKey}, limiter.DeviceOptions{Now: c.Now, Lifetime: time.Hour})
	good := issue(t, d, "alice")
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 1
		return base64.RawURLEncoding.EncodeToString(b)
	}
	otherKey := issue(t, newDevices(t, [][]byte{otherDeviceKey}, limiter.DeviceOptions{Now: c.Now}), "alice")
	otherName := issue(t, newDevices(t, [][]byte{deviceKey}, limiter.DeviceOptions{CookieName: "__Host-other", Now: c.Now}), "alice")
	for _, tt := range []struct{ name, account, value string }{
		{"another user's token", "bob", good},
		{"the expiry pushed back", "alice", flip(7)},
		{"a changed nonce", "alice", flip(10)},
		{"a changed signature", "alice", flip(len(raw) - 1)},
		{"a truncated token", "alice", good[:len(good)-1]},
		{"an extended token", "alice", good + "A"},
		{"padding added", "alice", base64.URLEncoding.EncodeToString(raw)},
		{"a token signed with another key", "alice", otherKey},
		{"a token for another cookie name", "alice", otherName},
		{"an empty value", "alice", ""},
		{"garbage", "alice", strings.Repeat("A", 75)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if k := d.Key(from("192.0.2.1", tt.value), limiter.Account(tt.account)); k != "" {
				t.Errorf("Key = %q; want \"\" (no device allowance)", k)
			}
			keys := limiter.LoginKeys(from("192.0.2.1", tt.value), tt.account, d)
			if len(keys) != 2 || keys[0] != limiter.Account(tt.account) || keys[1] != limiter.IP("192.0.2.1") {
				t.Errorf("LoginKeys = %q; want the account and the address", keys)
			}
		})
	}
	t.Run("an expired token", func(t *testing.T) {
		c.Advance(time.Hour)
		if k := d.Key(from("", good), limiter.Account("alice")); k != "" {
			t.Errorf("Key of a token an hour old, with a lifetime of an hour = %q; want \"\"", k)
		}
	})
}

func TestDeviceTokensFromAnOlderKeyOfTheRingStillCount(t *testing.T) {
	old := newDevices(t, [][]byte{otherDeviceKey}, limiter.DeviceOptions{})
	token := issue(t, old, "alice")
	ring := newDevices(t, [][]byte{deviceKey, otherDeviceKey}, limiter.DeviceOptions{})
	if k := ring.Key(from("", token), limiter.Account("alice")); k == "" {
		t.Fatal("a token from the ring's second key gives no device key; want one")
	}
}

func TestAPlantedDeviceCookieDoesNotHideTheRealOne(t *testing.T) {
	d := newDevices(t, [][]byte{deviceKey}, limiter.DeviceOptions{})
	good := issue(t, d, "alice")
	if k := d.Key(from("", issue(t, d, "mallory"), good), limiter.Account("alice")); k == "" {
		t.Fatal("Key with mallory's token before alice's = \"\"; want alice's device key")
	}
}

// TestTheOwnersBrowserIsNotLockedOutByGuessesFromElsewhere is the point
// of device tokens: an attacker burns the account's allowance, the owner's
// browser still gets its own, and nobody else's token helps the attacker.
func TestTheOwnersBrowserIsNotLockedOutByGuessesFromElsewhere(t *testing.T) {
	ctx := context.Background()
	l, _, _ := newLimiter(t, limiter.Options{Free: 2})
	d := newDevices(t, [][]byte{deviceKey}, limiter.DeviceOptions{})
	owner := from("198.51.100.1", issue(t, d, "alice"))
	bobs := issue(t, d, "bob")
	for range 3 { // the attacker's free failures and the one that starts the wait
		fail(t, l, limiter.LoginKeys(from("192.0.2.66"), "alice", d)...)
	}
	for _, tt := range []struct {
		name string
		r    *coretest.Request
	}{
		{"the attacker without a token", from("192.0.2.66")},
		{"the attacker from another address", from("203.0.113.5")},
		{"the attacker with bob's token", from("192.0.2.66", bobs)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := l.Reserve(ctx, limiter.LoginKeys(tt.r, "alice", d)...); !errors.Is(err, limiter.ErrLimited) {
				t.Errorf("Reserve = %v; want ErrLimited", err)
			}
		})
	}
	t.Run("the owner's browser", func(t *testing.T) {
		res, err := l.Reserve(ctx, limiter.LoginKeys(owner, "alice", d)...)
		if err != nil {
			t.Fatalf("Reserve = %v; want the device's own allowance", err)
		}
		if err := res.Succeeded(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the attacker after the owner's login", func(t *testing.T) {
		if _, err := l.Reserve(ctx, limiter.LoginKeys(from("192.0.2.66"), "alice", d)...); !errors.Is(err, limiter.ErrLimited) {
			t.Errorf("Reserve = %v; want ErrLimited (a device's success does not clear the account)", err)
		}
	})
}

func TestADeviceHasItsOwnAllowance(t *testing.T) {
	ctx := context.Background()
	l, _, _ := newLimiter(t, limiter.Options{Free: 5, DeviceFree: 1})
	d := newDevices(t, [][]byte{deviceKey}, limiter.DeviceOptions{})
	keys := limiter.LoginKeys(from("192.0.2.1", issue(t, d, "alice")), "alice", d)
	if len(keys) != 1 || !strings.HasPrefix(keys[0], "device:") {
		t.Fatalf("LoginKeys with a valid token = %q; want the device key alone", keys)
	}
	fail(t, l, keys...)
	fail(t, l, keys...)
	if _, err := l.Reserve(ctx, keys...); wait(err) != time.Second {
		t.Fatalf("a third attempt from a device with one free failure = %v; want 1s to wait", err)
	}
	if _, err := l.Reserve(ctx, limiter.LoginKeys(from("192.0.2.1"), "alice", d)...); err != nil {
		t.Fatalf("the account without the device = %v; want it untouched", err)
	}
}

func TestNilDevicesRecogniseAndIssueNothing(t *testing.T) {
	var d *limiter.Devices
	w := &coretest.Response{}
	d.Issue(w, limiter.Account("alice"))
	if k := d.Key(from("192.0.2.1", "x"), limiter.Account("alice")); k != "" || len(w.Cookies) != 0 {
		t.Errorf("nil Devices: Key = %q, %d cookies issued; want none", k, len(w.Cookies))
	}
}

func TestNewDevicesRefusesAKeyThatServesAnotherPurpose(t *testing.T) {
	shared := []byte("a session key, not a device key!")
	if err := core.ClaimKeys("cookie", [][]byte{shared}); err != nil {
		t.Fatal(err)
	}
	if _, err := limiter.NewDevices([][]byte{deviceKey, shared}, limiter.DeviceOptions{}); !errors.Is(err, core.ErrKeyReuse) || !errors.Is(err, limiter.ErrBadOption) {
		t.Errorf("NewDevices with the session key in its ring = %v; want ErrBadOption wrapping core.ErrKeyReuse", err)
	}
}
