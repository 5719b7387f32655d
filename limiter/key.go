package limiter

import "net/netip"

// Account returns the key that counts failed logins to the account name.
func Account(name string) string { return "account:" + name }

// IP returns the key that counts failed logins from the client address addr.
// IPv4 addresses (also IPv4-mapped IPv6 ones) count one by one; IPv6
// addresses count by /64, because one subscriber usually holds a whole /64
// and could otherwise take a fresh address for every guess. An addr that is
// not an IP address is used as it is.
func IP(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return ipPrefix + addr
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return ipPrefix + p.String()
	}
	return ipPrefix + ip.String()
}

const ipPrefix = "ip:"
