package demo

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/jwt"
)

// Config is the example servers' configuration, read from the environment
// (see "The example servers" in README.md).
type Config struct {
	Addr        string // ADDR, default "localhost:8080"
	DatabaseURL string // DATABASE_URL, default "sqlite:gobware.db"
	RedisURL    string // REDIS_URL (redis://…); set, sessions, refresh tokens, login limits and passkey challenges live in Redis
	// RedisClusterAddrs is REDIS_CLUSTER_ADDRS: comma-separated host:port
	// seed nodes of a Redis Cluster; set, what REDIS_URL would keep lives
	// there, spread over its shards. At most one of REDIS_URL and
	// REDIS_CLUSTER_ADDRS is set.
	RedisClusterAddrs []string
	RedisKeyPrefix    string   // REDIS_KEY_PREFIX, default "gobware:"; servers sharing state share it
	SessionKeys       [][]byte // SESSION_SECRET, comma-separated ring; random when unset
	AccessKeys        [][]byte // ACCESS_TOKEN_SECRET, likewise
	DeviceKeys        [][]byte // DEVICE_SECRET, likewise: signs the login limiter's device tokens
	InsecureCookies   bool     // INSECURE_COOKIES=1
	MetricsAddr       string   // METRICS_ADDR; set, GET /metrics (Prometheus text) is served there and only there
	// MaxSessionsPerUser is MAX_SESSIONS_PER_USER: a login beyond this many
	// live sessions of one user ends the oldest. Default 0 (unset or 0): no cap.
	MaxSessionsPerUser int
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed: TRUSTED_PROXIES, comma-separated CIDRs or addresses;
	// default none (the client is the connection's peer).
	TrustedProxies httpapi.TrustedProxies
	// RefreshReuseGrace is REFRESH_REUSE_GRACE (a Go duration such as
	// "5s"): jwt.Options.ReuseGrace. Unset or "0" = strict reuse detection.
	RefreshReuseGrace time.Duration
	// RevocationCacheTTL is REVOCATION_CACHE_TTL (a Go duration, default
	// 10s, at most 30s): how long a server trusts the revocation
	// watermarks it read (jwt.Options.WatermarkTTL), so how long log out
	// everywhere may take to end access tokens on the other servers.
	RevocationCacheTTL time.Duration
	// ReadTimeout is READ_TIMEOUT (a Go duration, default and at most
	// 30s): how long a request, headers and body, may take to arrive. A
	// client that stalls mid-body is cut off then, instead of holding a
	// connection and a goroutine for as long as it likes.
	ReadTimeout time.Duration
	// FreshLoginMaxAge is FRESH_LOGIN_MAX_AGE (a Go duration, default
	// 15m, at most 24h): how recent a sign-in the admin route that logs a
	// user out everywhere needs (authapi.API.FreshLogin).
	FreshLoginMaxAge time.Duration
	// PasskeyRPID is PASSKEY_RP_ID, the passkeys' relying-party ID (the
	// site's domain): default "localhost".
	PasskeyRPID string
	// PasskeyOrigins is PASSKEY_ORIGINS, comma-separated origins the pages
	// are served from: default http://localhost:<port of ADDR> (with port
	// 0, the port the server got, filled in by Main once it listens).
	PasskeyOrigins []string
	Warnings       []string // what the operator should know, e.g. generated secrets
}

// MaxRevocationCacheTTL bounds REVOCATION_CACHE_TTL in the example servers.
const MaxRevocationCacheTTL = 30 * time.Second

// MaxReadTimeout is READ_TIMEOUT's default and bound.
const MaxReadTimeout = 30 * time.Second

// MaxFreshLoginMaxAge bounds FRESH_LOGIN_MAX_AGE: a "fresh" sign-in a day
// old is no longer a check worth the name.
const MaxFreshLoginMaxAge = 24 * time.Hour

// LoadConfig reads the configuration through getenv (os.Getenv in main).
// A malformed secret is an error naming its variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:            cmp.Or(getenv("ADDR"), "localhost:8080"),
		DatabaseURL:     cmp.Or(getenv("DATABASE_URL"), "sqlite:gobware.db"),
		RedisURL:        getenv("REDIS_URL"),
		RedisKeyPrefix:  cmp.Or(getenv("REDIS_KEY_PREFIX"), "gobware:"),
		InsecureCookies: getenv("INSECURE_COOKIES") == "1",
		MetricsAddr:     getenv("METRICS_ADDR"),
	}
	var err error
	if c.RedisClusterAddrs, err = clusterAddrs(getenv("REDIS_CLUSTER_ADDRS")); err != nil {
		return Config{}, err
	}
	if c.RedisURL != "" && c.RedisClusterAddrs != nil {
		return Config{}, errors.New("REDIS_URL and REDIS_CLUSTER_ADDRS are both set: set REDIS_URL for one Redis, or REDIS_CLUSTER_ADDRS for a Redis Cluster")
	}
	if c.MaxSessionsPerUser, err = count(getenv, "MAX_SESSIONS_PER_USER"); err != nil {
		return Config{}, err
	}
	if c.RefreshReuseGrace, err = duration(getenv, "REFRESH_REUSE_GRACE", 0, jwt.MaxReuseGrace); err != nil {
		return Config{}, err
	}
	if c.RevocationCacheTTL, err = duration(getenv, "REVOCATION_CACHE_TTL", jwt.DefaultWatermarkTTL, MaxRevocationCacheTTL); err != nil {
		return Config{}, err
	}
	if c.ReadTimeout, err = duration(getenv, "READ_TIMEOUT", MaxReadTimeout, MaxReadTimeout); err != nil {
		return Config{}, err
	}
	if c.FreshLoginMaxAge, err = duration(getenv, "FRESH_LOGIN_MAX_AGE", 15*time.Minute, MaxFreshLoginMaxAge); err != nil {
		return Config{}, err
	}
	if c.SessionKeys, err = keyRing(getenv, "SESSION_SECRET", &c.Warnings); err != nil {
		return Config{}, err
	}
	if c.AccessKeys, err = keyRing(getenv, "ACCESS_TOKEN_SECRET", &c.Warnings); err != nil {
		return Config{}, err
	}
	for _, sk := range c.SessionKeys {
		for _, ak := range c.AccessKeys {
			if bytes.Equal(sk, ak) {
				return Config{}, fmt.Errorf("SESSION_SECRET and ACCESS_TOKEN_SECRET share a key: each must have keys of its own (make one with: openssl rand -base64 32)")
			}
		}
	}
	if c.TrustedProxies, err = httpapi.ParseTrustedProxies(getenv("TRUSTED_PROXIES")); err != nil {
		return Config{}, fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	if c.DeviceKeys, err = keyRing(getenv, "DEVICE_SECRET", &c.Warnings); err != nil {
		return Config{}, err
	}
	if err := distinctKeys(c.DeviceKeys, c.SessionKeys, c.AccessKeys); err != nil {
		return Config{}, err
	}
	c.PasskeyRPID = cmp.Or(getenv("PASSKEY_RP_ID"), "localhost")
	for _, o := range strings.Split(getenv("PASSKEY_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.PasskeyOrigins = append(c.PasskeyOrigins, o)
		}
	}
	if len(c.PasskeyOrigins) == 0 {
		if _, port, err := net.SplitHostPort(c.Addr); err == nil && port != "0" {
			c.PasskeyOrigins = []string{"http://localhost:" + port}
		}
	}
	return c, nil
}

// LocalOrigin is the default passkey origin of a server listening on
// addr: http://localhost:<its port>.
func LocalOrigin(addr net.Addr) string {
	_, port, _ := net.SplitHostPort(addr.String())
	return "http://localhost:" + port
}

// duration reads the Go duration in variable name: def when unset, an
// error naming the variable when malformed, negative or over limit.
func duration(getenv func(string) string, name string, def, limit time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || d > limit {
		return 0, fmt.Errorf("%s: want a duration from 0 to %v such as \"5s\", got %q", name, limit, v)
	}
	if d == 0 {
		return def, nil
	}
	return d, nil
}

// distinctKeys refuses a device key that is also a session or access
// token key: one key must serve one purpose.
func distinctKeys(device [][]byte, others ...[][]byte) error {
	for _, ring := range others {
		for _, k := range ring {
			for _, d := range device {
				if bytes.Equal(d, k) {
					return errors.New("DEVICE_SECRET: must differ from SESSION_SECRET and ACCESS_TOKEN_SECRET")
				}
			}
		}
	}
	return nil
}

func keyRing(getenv func(string) string, name string, warnings *[]string) ([][]byte, error) {
	v := getenv(name)
	if v == "" {
		key := make([]byte, core.SecretSize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		*warnings = append(*warnings, name+" is not set: using a random key, so credentials die with this process (make one with: openssl rand -base64 32)")
		return [][]byte{key}, nil
	}
	keys, err := core.ParseKeyRing(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return keys, nil
}

// count reads the variable name as a whole number, 0 or more; unset is 0.
func count(getenv func(string) string, name string) (int, error) {
	v := getenv(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: %q is not a whole number of 0 or more (0 or unset: no limit)", name, v)
	}
	return n, nil
}

// clusterAddrs reads REDIS_CLUSTER_ADDRS: host:port seed nodes, comma
// separated (spaces around them allowed); nil when unset.
func clusterAddrs(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []string
	for _, a := range strings.Split(v, ",") {
		a = strings.TrimSpace(a)
		host, port, err := net.SplitHostPort(a)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("REDIS_CLUSTER_ADDRS: %q is not host:port; want comma-separated seed nodes such as 10.0.0.1:6379,10.0.0.2:6379", a)
		}
		out = append(out, a)
	}
	return out, nil
}

// Getenv is os.Getenv, named for LoadConfig's callers.
var Getenv = os.Getenv
