package limiter

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"strings"
	"time"

	"github.com/gobware/gobware/core"
)

// Defaults of DeviceOptions.
const (
	DefaultDeviceCookieName  = "__Host-gobware_device"
	InsecureDeviceCookieName = "gobware_device"
	DefaultDeviceLifetime    = 365 * 24 * time.Hour
)

// MinDeviceKeySize is the shortest key NewDevices accepts, in bytes.
const MinDeviceKeySize = 32

// DeviceOptions configure Devices. The zero value is the secure default.
type DeviceOptions struct {
	// CookieName is the device cookie's name. Default
	// DefaultDeviceCookieName ("__Host-gobware_device"), or
	// InsecureDeviceCookieName ("gobware_device") with InsecureCookies.
	// Unless InsecureCookies is set it must start with "__Host-".
	CookieName string

	// InsecureCookies drops the Secure attribute and the __Host- prefix,
	// for plain HTTP during development only.
	InsecureCookies bool

	// Lifetime is how long a device token is valid after it was issued;
	// every successful login issues a new one. Default (0):
	// DefaultDeviceLifetime, a year.
	Lifetime time.Duration

	// Now is the clock. Default (nil): time.Now.
	Now func() time.Time
}

// Devices implements OWASP's device cookies: after a successful login the
// browser gets a signed device token bound to the account it signed in
// to, and its later attempts on that account count under a key of their
// own (Device), with their own allowance, instead of the account's. An
// attacker who burns the account's allowance from elsewhere therefore does
// not lock its owner out of a browser that has signed in before. Requests
// without a valid token for the account — no token, a forged or expired
// one, one issued for another account — meet the account limit as before.
// See LoginKeys.
//
// A token is 56 bytes in base64url: an expiry time, 16 random bytes and an
// HMAC-SHA256 over both, the cookie name and the account key. It holds no
// user data, and is useless for any other account. Tokens are not stored:
// one stays valid until it expires, also after it was replaced, but it
// only ever buys its holder the device allowance on one account; it never
// logs anyone in.
//
// A nil *Devices recognises no token and issues none, so an application
// can make device tokens optional by leaving it nil. It is safe for
// concurrent use.
type Devices struct {
	keys     [][]byte // the first signs, every one verifies
	name     string
	insecure bool
	lifetime time.Duration
	now      func() time.Time
}

// NewDevices returns Devices signing with keys[0] and accepting tokens
// signed with any of keys (a key ring, for rotation). Each key must be at
// least MinDeviceKeySize bytes of secret randomness, and must not be used
// for anything else: a key this process already gave the session or
// access-token strategy is refused with an error wrapping core.ErrKeyReuse
// (and ErrBadOption), see core.ClaimKeys.
func NewDevices(keys [][]byte, opts DeviceOptions) (*Devices, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no device key", ErrBadOption)
	}
	d := &Devices{name: opts.CookieName, insecure: opts.InsecureCookies, lifetime: opts.Lifetime, now: opts.Now}
	for i, k := range keys {
		if len(k) < MinDeviceKeySize {
			return nil, fmt.Errorf("%w: device key %d has %d bytes; want at least %d", ErrBadOption, i+1, len(k), MinDeviceKeySize)
		}
		d.keys = append(d.keys, append([]byte(nil), k...))
	}
	switch {
	case d.lifetime < 0:
		return nil, fmt.Errorf("%w: negative device lifetime", ErrBadOption)
	case d.lifetime == 0:
		d.lifetime = DefaultDeviceLifetime
	}
	switch {
	case d.name == "" && d.insecure:
		d.name = InsecureDeviceCookieName
	case d.name == "":
		d.name = DefaultDeviceCookieName
	}
	if err := (&http.Cookie{Name: d.name, Value: "v"}).Valid(); err != nil {
		return nil, fmt.Errorf("%w: device cookie name %q: %v", ErrBadOption, d.name, err)
	}
	if !d.insecure && !strings.HasPrefix(d.name, "__Host-") {
		return nil, fmt.Errorf("%w: device cookie name %q must start with __Host- (or set InsecureCookies)", ErrBadOption, d.name)
	}
	if d.insecure && (strings.HasPrefix(d.name, "__Host-") || strings.HasPrefix(d.name, "__Secure-")) {
		return nil, fmt.Errorf("%w: device cookie name %q needs Secure, which InsecureCookies drops", ErrBadOption, d.name)
	}
	if d.now == nil {
		d.now = time.Now
	}
	if err := core.ClaimKeys(devicePurpose, d.keys); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOption, err)
	}
	return d, nil
}

// devicePurpose is what device keys serve, for core.ClaimKeys.
const devicePurpose = "limiter device tokens"

// CookieName returns the device cookie's name.
func (d *Devices) CookieName() string { return d.name }

// Sizes of a device token's parts, before base64url.
const (
	deviceExpirySize = 8
	deviceNonceSize  = 16
	deviceMACSize    = sha256.Size
	deviceTokenSize  = deviceExpirySize + deviceNonceSize + deviceMACSize
)

// devicePrefix starts every key made by Device.
const devicePrefix = "device:"

// Key returns the limiter key for the device token r carries for account
// (a key made by Account), or "" when r carries no token valid for that
// account at this time. With several device cookies (a planted one, say),
// the first valid one counts.
func (d *Devices) Key(r core.Request, account string) string {
	if d == nil {
		return ""
	}
	now := d.now()
	for _, v := range r.Cookies(d.name) {
		if nonce, ok := d.verify(v, account, now); ok {
			return devicePrefix + hex.EncodeToString(nonce)
		}
	}
	return ""
}

// Issue sets a new device token for account (a key made by Account) on w:
// a cookie with Path=/, HttpOnly, Secure (unless InsecureCookies),
// SameSite=Strict and Max-Age of the lifetime. Call it after every
// successful login, so that a browser's token is renewed on each use.
func (d *Devices) Issue(w core.Response, account string) {
	if d == nil {
		return
	}
	var raw [deviceTokenSize]byte
	expires := d.now().Add(d.lifetime)
	binary.BigEndian.PutUint64(raw[:deviceExpirySize], uint64(expires.Unix()))
	rand.Read(raw[deviceExpirySize : deviceExpirySize+deviceNonceSize])
	d.sum(d.keys[0], raw[:deviceExpirySize+deviceNonceSize], account, raw[deviceExpirySize+deviceNonceSize:])
	w.SetCookie(&http.Cookie{
		Name:     d.name,
		Value:    base64.RawURLEncoding.EncodeToString(raw[:]),
		Path:     "/",
		MaxAge:   int(d.lifetime / time.Second),
		Secure:   !d.insecure,
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
}

// verify checks token for account at now and returns its nonce.
func (d *Devices) verify(token, account string, now time.Time) ([]byte, bool) {
	if len(token) != base64.RawURLEncoding.EncodedLen(deviceTokenSize) {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != deviceTokenSize {
		return nil, false
	}
	signed, mac := raw[:deviceExpirySize+deviceNonceSize], raw[deviceExpirySize+deviceNonceSize:]
	var want [deviceMACSize]byte
	valid := false
	for _, k := range d.keys {
		d.sum(k, signed, account, want[:0])
		valid = valid || hmac.Equal(want[:], mac)
	}
	expires := int64(binary.BigEndian.Uint64(raw[:deviceExpirySize]))
	if !valid || expires <= now.Unix() {
		return nil, false
	}
	return raw[deviceExpirySize : deviceExpirySize+deviceNonceSize], true
}

// sum appends to out the MAC of a token's signed part for account: the
// cookie name and the account are inside it, so a token neither moves to
// another cookie nor counts for another account.
func (d *Devices) sum(key, signed []byte, account string, out []byte) []byte {
	var m hash.Hash = hmac.New(sha256.New, key)
	m.Write([]byte("gobware device token v1\x00"))
	m.Write([]byte(d.name))
	m.Write([]byte{0})
	m.Write([]byte(account))
	m.Write([]byte{0})
	m.Write(signed)
	return m.Sum(out[:0])
}

// LoginKeys returns the keys a password login for username from r
// reserves: the device key alone when devices is not nil and r carries a
// valid device token for this account; otherwise the account's key and
// the client address's (core.ClientIP). The device path has no address key:
// a token holder can only ever try the one account its token is for, at the
// device's own pace, and a busy address (an office, a carrier's NAT) must
// not lock out browsers that have signed in there before.
func LoginKeys(r core.Request, username string, devices *Devices) []string {
	account := Account(username)
	if k := devices.Key(r, account); k != "" {
		return []string{k}
	}
	keys := []string{account}
	if ip := core.ClientIP(r); ip != "" {
		keys = append(keys, IP(ip))
	}
	return keys
}
