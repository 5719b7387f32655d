package limiter

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Account returns the key that counts failed logins to the account name.
//
// Spelling variants of one name share one key, so that a guesser cannot
// multiply an account's allowance by writing "Alice", "ALICE", "alice" with
// a combining accent instead of a precomposed letter, or "ａｌｉｃｅ" in
// fullwidth letters. The key holds the name's compatibility caseless form
// (Unicode 16 §3.13, D146): compatibility decomposition (NFKD) and full
// Unicode case folding (ß and SS both become ss, the Kelvin sign K becomes
// k), then composed (NFKC). Names that differ in any other way (spaces,
// look-alike letters of other scripts) stay apart.
//
// The key only decides which attempts are counted together: the user
// directory alone decides which account a name logs in to. A name that is
// not valid UTF-8 is folded with each invalid byte read as U+FFFD.
func Account(name string) string { return "account:" + foldName(name) }

// foldName is NFKC(toCasefold(NFKD(toCasefold(NFD(name))))): the
// compatibility caseless match of D146, composed, so that equal results mean
// a compatibility caseless match and nothing else.
func foldName(name string) string {
	ascii := true
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(name)
	}
	fold := cases.Fold() // a Caser holds state: one per call
	s := norm.NFD.String(name)
	s = fold.String(s)
	s = norm.NFKD.String(s)
	s = fold.String(s)
	return norm.NFKC.String(s)
}

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
