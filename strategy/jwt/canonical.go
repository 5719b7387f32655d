package jwt

import "github.com/gobware/gobware/core"

// parseCanonical reads claims written exactly as Issue writes them
// (encoding/json of wireClaims: the claims in field order, no spaces,
// integer dates, no unknown claims, attributes sorted by key) with strings
// of printable ASCII without escapes. For such a payload it returns what
// strictjson and encoding/json decode, without their reflection; for
// anything else ok is false and checkClaims takes the strict path, which
// is the one that decides. A fuzz test holds the two to the same answer.
func parseCanonical(b []byte) (w wireClaims, ok bool) {
	p := canonical{b: b}
	if !p.lit(`{"sub":`) || !p.str(&w.Subject) ||
		!p.lit(`,"iss":`) || !p.str(&w.Issuer) ||
		!p.lit(`,"aud":`) || !p.aud(&w.Audience) {
		return wireClaims{}, false
	}
	if p.lit(`,"exp":`) && !p.date(&w.Expiry) ||
		p.lit(`,"nbf":`) && !p.date(&w.NotBefore) ||
		p.lit(`,"iat":`) && !p.date(&w.IssuedAt) {
		return wireClaims{}, false
	}
	if !p.lit(`,"jti":`) || !p.str(&w.ID) {
		return wireClaims{}, false
	}
	// omitempty: an empty value is never written, so one read here
	// would not be canonical.
	if p.lit(`,"sid":`) && (!p.str(&w.Session) || w.Session == "") {
		return wireClaims{}, false
	}
	if p.lit(`,"auth_time":`) && !p.date(&w.AuthTime) {
		return wireClaims{}, false
	}
	if p.lit(`,"method":`) && (!p.str(&w.Method) || w.Method == "") {
		return wireClaims{}, false
	}
	if p.lit(`,"attrs":`) && !p.attrs(&w.Attributes) {
		return wireClaims{}, false
	}
	if !p.lit("}") || p.i != len(p.b) {
		return wireClaims{}, false
	}
	return w, true
}

type canonical struct {
	b     []byte
	i     int
	dates [4]numericDate // the dates read, in one allocation
	n     int
}

func (p *canonical) lit(s string) bool {
	if len(p.b)-p.i < len(s) || string(p.b[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

// str reads a string of printable ASCII other than the quote and the
// backslash, which encoding/json writes without escapes (it escapes <, >
// and &, so those never appear unescaped in its output either).
func (p *canonical) str(dst *string) bool {
	if !p.lit(`"`) {
		return false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		c := p.b[p.i]
		switch {
		case c == '"':
			*dst = string(p.b[start:p.i])
			p.i++
			return true
		case c < 0x20 || c >= 0x7f || c == '\\' || c == '<' || c == '>' || c == '&':
			return false
		}
	}
	return false
}

// date reads a NumericDate written as an integer: digits, no leading zero,
// below maxNumericDate.
func (p *canonical) date(dst **numericDate) bool {
	start := p.i
	var n int64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && p.i-start < 16 {
		n = n*10 + int64(p.b[p.i]-'0')
		p.i++
	}
	if p.i == start || (p.b[start] == '0' && p.i-start > 1) || n >= maxNumericDate {
		return false
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E' || p.b[p.i] >= '0' && p.b[p.i] <= '9') {
		return false
	}
	if p.n == len(p.dates) {
		return false
	}
	p.dates[p.n] = numericDate(n)
	*dst = &p.dates[p.n]
	p.n++
	return true
}

// aud reads one string or an array of at least two (Issue writes a single
// audience as a string).
func (p *canonical) aud(dst *audience) bool {
	if p.i < len(p.b) && p.b[p.i] == '"' {
		var s string
		if !p.str(&s) {
			return false
		}
		*dst = audience{s}
		return true
	}
	list, ok := p.list()
	if !ok || len(list) < 2 {
		return false
	}
	*dst = list
	return true
}

// list reads an array of strings, possibly empty.
func (p *canonical) list() ([]string, bool) {
	if !p.lit("[") {
		return nil, false
	}
	out := []string{}
	if p.lit("]") {
		return out, true
	}
	for {
		var s string
		if !p.str(&s) {
			return nil, false
		}
		out = append(out, s)
		if p.lit("]") {
			return out, true
		}
		if !p.lit(",") {
			return nil, false
		}
	}
}

// attrs reads a non-empty object of arrays of strings whose keys strictly
// increase, as encoding/json writes a map (so no key is named twice).
func (p *canonical) attrs(dst *core.Attributes) bool {
	if !p.lit("{") || p.lit("}") {
		return false
	}
	out := core.Attributes{}
	last := ""
	for first := true; ; first = false {
		var k string
		if !p.str(&k) || (!first && k <= last) || !p.lit(":") {
			return false
		}
		v, ok := p.list()
		if !ok {
			return false
		}
		out[k], last = v, k
		if p.lit("}") {
			*dst = out
			return true
		}
		if !p.lit(",") {
			return false
		}
	}
}
