package httpapi_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/httpapi"
)

func TestParseTrustedProxies(t *testing.T) {
	t.Run("accepts networks, single addresses and blanks", func(t *testing.T) {
		p, err := httpapi.ParseTrustedProxies(" 10.0.0.0/8, 192.168.1.10 ,, fd00::/8, ::ffff:172.16.0.1 ")
		if err != nil {
			t.Fatal(err)
		}
		for addr, want := range map[string]bool{
			"10.200.3.4": true, "192.168.1.10": true, "192.168.1.11": false,
			"fd00::1": true, "fe80::1": false, "172.16.0.1": true, "::ffff:10.1.1.1": true, "garbage": false,
		} {
			if got := p.Trusts(addr); got != want {
				t.Errorf("Trusts(%q) = %v; want %v", addr, got, want)
			}
		}
	})
	t.Run("an empty list trusts nothing", func(t *testing.T) {
		p, err := httpapi.ParseTrustedProxies("")
		if err != nil || p.Trusts("127.0.0.1") {
			t.Errorf(`ParseTrustedProxies("") = %v, trusts 127.0.0.1: %v; want no error and no trust`, err, p.Trusts("127.0.0.1"))
		}
	})
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0.1:80", "10.0.0.0/8; 1.2.3.4"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			if _, err := httpapi.ParseTrustedProxies(bad); err == nil || !strings.Contains(err.Error(), "trusted proxy") {
				t.Errorf("ParseTrustedProxies(%q) error = %v; want one naming the entry", bad, err)
			}
		})
	}
}

func TestTrustedProxiesClientIP(t *testing.T) {
	lb := httpapi.NewTrustedProxies(netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48"))
	tests := []struct {
		name string
		peer string
		xff  []string
		want string
	}{
		{"an untrusted peer's header is ignored", "198.51.100.1", []string{"203.0.113.5"}, "198.51.100.1"},
		{"the right-most untrusted entry is the client", "10.0.0.1", []string{"1.1.1.1, 203.0.113.5, 10.9.9.9"}, "203.0.113.5"},
		{"entries with ports are read", "10.0.0.1", []string{"203.0.113.5:4711"}, "203.0.113.5"},
		{"bracketed IPv6 with a port is read", "10.0.0.1", []string{"[2001:db8::5]:443"}, "2001:db8::5"},
		{"an IPv6 proxy chain", "2001:db8:ffff::1", []string{"2001:db8::5, 2001:db8:ffff::2"}, "2001:db8::5"},
		{"IPv4-mapped addresses are unmapped", "10.0.0.1", []string{"::ffff:203.0.113.5"}, "203.0.113.5"},
		{"a malformed entry stops at the last good hop", "10.0.0.1", []string{"203.0.113.5, bogus, 10.2.2.2"}, "10.2.2.2"},
		{"an empty header means the peer", "10.0.0.1", []string{""}, "10.0.0.1"},
		{"zones are refused", "10.0.0.1", []string{"fe80::1%eth0"}, "10.0.0.1"},
		{"a huge entry is refused", "10.0.0.1", []string{strings.Repeat("1", 5000)}, "10.0.0.1"},
		{"all hops trusted gives the left-most proxy", "10.0.0.1", []string{"10.3.3.3, 10.2.2.2"}, "10.3.3.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &coretest.Request{IP: tt.peer}
			for _, v := range tt.xff {
				r.AddHeader("X-Forwarded-For", v)
			}
			if got := lb.ClientIP(r); got != tt.want {
				t.Errorf("ClientIP(peer %s, X-Forwarded-For %q) = %q; want %q", tt.peer, tt.xff, got, tt.want)
			}
		})
	}
}
