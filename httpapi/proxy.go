package httpapi

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gobware/gobware/core"
)

// TrustedProxies are the networks of the reverse proxies and load balancers
// in front of an application, whose X-Forwarded-For header it believes.
// The zero value trusts no proxy: the client's address is then always the
// connection's peer and forwarding headers are ignored, which is the only
// safe choice when clients can reach the server directly.
//
// Only X-Forwarded-For is read. The Forwarded header (RFC 7239) is not: the
// proxies people put in front of Go servers all send X-Forwarded-For, and
// reading two headers would let a client play one against the other.
type TrustedProxies struct {
	prefixes []netip.Prefix
}

// ParseTrustedProxies parses a comma-separated list of CIDR networks or
// single addresses, such as "10.0.0.0/8, 192.168.1.10, fd00::/8", the
// format of the example servers' TRUSTED_PROXIES. An empty list trusts no
// proxy. Any other malformed entry is an error naming it.
func ParseTrustedProxies(list string) (TrustedProxies, error) {
	var t TrustedProxies
	for _, field := range strings.Split(list, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		p, err := netip.ParsePrefix(field)
		if err != nil {
			a, aerr := netip.ParseAddr(field)
			if aerr != nil {
				return TrustedProxies{}, fmt.Errorf("httpapi: trusted proxy %q is neither a CIDR network nor an IP address", field)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		t.prefixes = append(t.prefixes, p.Masked())
	}
	return t, nil
}

// NewTrustedProxies returns TrustedProxies for the given networks.
func NewTrustedProxies(networks ...netip.Prefix) TrustedProxies {
	return TrustedProxies{prefixes: append([]netip.Prefix(nil), networks...)}
}

// Trusts reports whether addr (an IP address, as text) is a trusted proxy.
func (t TrustedProxies) Trusts(addr string) bool {
	a, ok := parseIP(addr)
	return ok && t.contains(a)
}

func (t TrustedProxies) contains(a netip.Addr) bool {
	for _, p := range t.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP returns the address of the client behind r. When the
// connection's peer is not a trusted proxy, that is the peer, whatever the
// headers say. When it is, X-Forwarded-For is read from the right (the
// entry the nearest proxy appended) to the left, skipping trusted proxies:
// the first entry that is not trusted is the client. Entries left of it
// were written by the client itself and are never believed. A malformed
// entry ends the walk: the last good address before it is the answer.
func (t TrustedProxies) ClientIP(r core.Request) string {
	peer := r.RemoteIP()
	if len(t.prefixes) == 0 {
		return peer
	}
	a, ok := parseIP(peer)
	if !ok || !t.contains(a) {
		return peer
	}
	client := peer
	values := r.Header("X-Forwarded-For")
	for i := len(values) - 1; i >= 0; i-- {
		entries := strings.Split(values[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			e, ok := parseIP(strings.TrimSpace(entries[j]))
			if !ok {
				return client
			}
			client = e.String()
			if !t.contains(e) {
				return client
			}
		}
	}
	return client
}

// parseIP parses an address as proxies write it: a bare IPv4 or IPv6
// address, or either with a port ("1.2.3.4:80", "[::1]:80"). IPv4-mapped
// IPv6 addresses are unmapped, so one client has one spelling. Zones are
// refused: they never name a remote client.
func parseIP(s string) (netip.Addr, bool) {
	if len(s) == 0 || len(s) > 64 {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	if a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
