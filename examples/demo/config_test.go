package demo_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gobware/gobware/examples/demo"
	"github.com/gobware/gobware/strategy/jwt"
)

func TestLoadConfigReadsTheSessionCap(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        int
		err         bool
	}{
		{"unset means no cap", "", 0, false},
		{"a positive number is the cap", "2", 2, false},
		{"one is allowed", "1", 1, false},
		{"zero means no cap", "0", 0, false},
		{"a negative number is refused", "-1", 0, true},
		{"a word is refused", "two", 0, true},
		{"a fraction is refused", "1.5", 0, true},
		{"spaces are refused", " 2", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := demo.LoadConfig(func(name string) string {
				if name == "MAX_SESSIONS_PER_USER" {
					return tc.value
				}
				return ""
			})
			switch {
			case tc.err && (err == nil || !strings.Contains(err.Error(), "MAX_SESSIONS_PER_USER")):
				t.Errorf("LoadConfig(MAX_SESSIONS_PER_USER=%q) = %v; want an error naming the variable", tc.value, err)
			case !tc.err && (err != nil || cfg.MaxSessionsPerUser != tc.want):
				t.Errorf("LoadConfig(MAX_SESSIONS_PER_USER=%q) = %d, %v; want %d", tc.value, cfg.MaxSessionsPerUser, err, tc.want)
			}
		})
	}
}

func TestLoadConfigReadsTheTokenLifecycleSettings(t *testing.T) {
	for _, tc := range []struct {
		name       string
		env        map[string]string
		grace, ttl time.Duration
		err        string // the variable the error must name
	}{
		{"unset: strict reuse and the default revocation TTL", nil, 0, jwt.DefaultWatermarkTTL, ""},
		{"a grace window", map[string]string{"REFRESH_REUSE_GRACE": "5s"}, 5 * time.Second, jwt.DefaultWatermarkTTL, ""},
		{"a grace window of zero is strict", map[string]string{"REFRESH_REUSE_GRACE": "0"}, 0, jwt.DefaultWatermarkTTL, ""},
		{"a revocation TTL", map[string]string{"REVOCATION_CACHE_TTL": "2s"}, 0, 2 * time.Second, ""},
		{"a malformed grace window", map[string]string{"REFRESH_REUSE_GRACE": "five"}, 0, 0, "REFRESH_REUSE_GRACE"},
		{"a negative grace window", map[string]string{"REFRESH_REUSE_GRACE": "-1s"}, 0, 0, "REFRESH_REUSE_GRACE"},
		{"a grace window over the limit", map[string]string{"REFRESH_REUSE_GRACE": "2m"}, 0, 0, "REFRESH_REUSE_GRACE"},
		{"a revocation TTL over 30 seconds", map[string]string{"REVOCATION_CACHE_TTL": "31s"}, 0, 0, "REVOCATION_CACHE_TTL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := demo.LoadConfig(func(k string) string { return tc.env[k] })
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("LoadConfig = %v; want an error naming %s", err, tc.err)
				}
				return
			}
			if err != nil || cfg.RefreshReuseGrace != tc.grace || cfg.RevocationCacheTTL != tc.ttl {
				t.Errorf("LoadConfig = grace %v, TTL %v, %v; want %v, %v", cfg.RefreshReuseGrace, cfg.RevocationCacheTTL, err, tc.grace, tc.ttl)
			}
		})
	}
}

func TestLoadConfigRefusesADeviceKeyThatServesAnotherPurpose(t *testing.T) {
	const a, b, c = "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=", "YmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmI=", "Y2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2M="
	for _, tt := range []struct {
		name string
		env  map[string]string
		ok   bool
	}{
		{"three different keys", map[string]string{"SESSION_SECRET": a, "ACCESS_TOKEN_SECRET": b, "DEVICE_SECRET": c}, true},
		{"the session key", map[string]string{"SESSION_SECRET": a, "ACCESS_TOKEN_SECRET": b, "DEVICE_SECRET": a}, false},
		{"the access-token key", map[string]string{"SESSION_SECRET": a, "ACCESS_TOKEN_SECRET": b, "DEVICE_SECRET": b}, false},
		{"an older key of the session ring", map[string]string{"SESSION_SECRET": a + "," + c, "ACCESS_TOKEN_SECRET": b, "DEVICE_SECRET": c}, false},
		{"a device key that is not 32 bytes", map[string]string{"DEVICE_SECRET": "dG9vIHNob3J0"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := demo.LoadConfig(func(name string) string { return tt.env[name] })
			if tt.ok {
				if err != nil || len(cfg.DeviceKeys) != 1 {
					t.Fatalf("LoadConfig = %v, %d device keys; want one key", err, len(cfg.DeviceKeys))
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), "DEVICE_SECRET: ") {
				t.Fatalf("LoadConfig = %v; want an error naming DEVICE_SECRET", err)
			}
		})
	}
}

func TestLoadConfigReadsRedisClusterSeedNodes(t *testing.T) {
	for _, tc := range []struct {
		name, addrs, url string
		want             []string
		err              bool
	}{
		{"unset means no cluster", "", "", nil, false},
		{"one seed node", "10.0.0.1:6379", "", []string{"10.0.0.1:6379"}, false},
		{"several, spaces around them allowed", "a:7000, b:7001 ,c:7002", "", []string{"a:7000", "b:7001", "c:7002"}, false},
		{"IPv6 in brackets", "[::1]:7000", "", []string{"[::1]:7000"}, false},
		{"a node without a port is refused", "a:7000,b", "", nil, true},
		{"an empty entry is refused", "a:7000,,b:7001", "", nil, true},
		{"a port out of range is refused", "a:70000", "", nil, true},
		{"a URL is refused", "redis://a:7000", "", nil, true},
		{"with REDIS_URL too it is refused", "a:7000", "redis://b:6379/0", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := demo.LoadConfig(func(name string) string {
				switch name {
				case "REDIS_CLUSTER_ADDRS":
					return tc.addrs
				case "REDIS_URL":
					return tc.url
				}
				return ""
			})
			switch {
			case tc.err && (err == nil || !strings.Contains(err.Error(), "REDIS_CLUSTER_ADDRS")):
				t.Errorf("LoadConfig(REDIS_CLUSTER_ADDRS=%q) = %v; want an error naming the variable", tc.addrs, err)
			case !tc.err && (err != nil || !slices.Equal(cfg.RedisClusterAddrs, tc.want)):
				t.Errorf("LoadConfig(REDIS_CLUSTER_ADDRS=%q) = %q, %v; want %q", tc.addrs, cfg.RedisClusterAddrs, err, tc.want)
			}
		})
	}
}

func TestReadTimeoutIsAtMost30Seconds(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  time.Duration
		err   bool
	}{
		{"", 30 * time.Second, false},
		{"2s", 2 * time.Second, false},
		{"30s", 30 * time.Second, false},
		{"31s", 0, true},
		{"1h", 0, true},
		{"-1s", 0, true},
		{"soon", 0, true},
	} {
		cfg, err := demo.LoadConfig(func(name string) string {
			if name == "READ_TIMEOUT" {
				return tc.value
			}
			return ""
		})
		switch {
		case tc.err && (err == nil || !strings.Contains(err.Error(), "READ_TIMEOUT")):
			t.Errorf("LoadConfig(READ_TIMEOUT=%q) = %v; want an error naming the variable", tc.value, err)
		case !tc.err && (err != nil || cfg.ReadTimeout != tc.want):
			t.Errorf("LoadConfig(READ_TIMEOUT=%q) = %v, %v; want %v", tc.value, cfg.ReadTimeout, err, tc.want)
		}
	}
}

func TestLoadConfigReadsThePasskeyRelyingParty(t *testing.T) {
	for _, tt := range []struct {
		name    string
		env     map[string]string
		rpID    string
		origins []string
	}{
		{"defaults: localhost and the port of ADDR", nil, "localhost", []string{"http://localhost:8080"}},
		{"the port of another ADDR", map[string]string{"ADDR": "127.0.0.1:9090"}, "localhost", []string{"http://localhost:9090"}},
		{"port 0: filled in once listening", map[string]string{"ADDR": "127.0.0.1:0"}, "localhost", nil},
		{"both set", map[string]string{"PASSKEY_RP_ID": "example.com", "PASSKEY_ORIGINS": "https://example.com, https://shop.example.com"}, "example.com", []string{"https://example.com", "https://shop.example.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := demo.LoadConfig(func(k string) string { return tt.env[k] })
			if err != nil || cfg.PasskeyRPID != tt.rpID || strings.Join(cfg.PasskeyOrigins, " ") != strings.Join(tt.origins, " ") {
				t.Errorf("LoadConfig = %q %q, %v; want %q %q", cfg.PasskeyRPID, cfg.PasskeyOrigins, err, tt.rpID, tt.origins)
			}
		})
	}
}

func TestFreshLoginMaxAge(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  time.Duration
		err   bool
	}{
		{"", 15 * time.Minute, false},
		{"0", 15 * time.Minute, false},
		{"1s", time.Second, false},
		{"5m", 5 * time.Minute, false},
		{"24h", 24 * time.Hour, false},
		{"25h", 0, true},
		{"-1m", 0, true},
		{"15", 0, true},
		{"soon", 0, true},
	} {
		cfg, err := demo.LoadConfig(func(name string) string {
			if name == "FRESH_LOGIN_MAX_AGE" {
				return tc.value
			}
			return ""
		})
		switch {
		case tc.err && (err == nil || !strings.Contains(err.Error(), "FRESH_LOGIN_MAX_AGE")):
			t.Errorf("LoadConfig(FRESH_LOGIN_MAX_AGE=%q) = %v; want an error naming the variable", tc.value, err)
		case !tc.err && (err != nil || cfg.FreshLoginMaxAge != tc.want):
			t.Errorf("LoadConfig(FRESH_LOGIN_MAX_AGE=%q) = %v, %v; want %v", tc.value, cfg.FreshLoginMaxAge, err, tc.want)
		}
	}
}
