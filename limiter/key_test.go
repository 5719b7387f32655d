package limiter_test

import (
	"testing"

	"github.com/gobware/gobware/limiter"
)

func TestAccountKeysSpellingVariantsAlike(t *testing.T) {
	tests := []struct {
		name string
		a, b string
	}{
		{"capitals", "alice", "ALICE"},
		{"mixed case", "alice", "aLiCe"},
		{"a combining accent and a precomposed letter", "caf\u00e9", "cafe\u0301"},
		{"a combining accent in capitals", "caf\u00e9", "CAFE\u0301"},
		{"sharp s and ss (full case folding)", "stra\u00dfe", "STRASSE"},
		{"capital sharp s", "stra\u1e9ee", "strasse"},
		{"the Kelvin sign and k", "\u212aate", "kate"},
		{"the Angstrom sign and A with ring", "\u212bsa", "\u00e5sa"},
		{"a long s and s", "\u017fam", "sam"},
		{"fullwidth letters", "\uff41\uff4c\uff49\uff43\uff45", "alice"},
		{"a ligature", "\ufb01on", "fion"},
		{"Greek final sigma", "\u03bf\u03c2", "\u039f\u03a3"},
		{"Cyrillic capitals", "\u0438\u0432\u0430\u043d", "\u0418\u0412\u0410\u041d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ka, kb := limiter.Account(tt.a), limiter.Account(tt.b); ka != kb {
				t.Errorf("Account(%q) = %q, Account(%q) = %q; want one key", tt.a, ka, tt.b, kb)
			}
		})
	}
}

func TestAccountKeepsDifferentNamesApart(t *testing.T) {
	tests := []struct {
		name string
		a, b string
	}{
		{"a trailing space", "alice", "alice "},
		{"a digit for a letter", "alice", "a1ice"},
		{"a Cyrillic look-alike", "alice", "\u0430lice"},
		{"a zero-width space", "alice", "al\u200bice"},
		{"an accent", "cafe", "caf\u00e9"},
		{"an address key", "ip:192.0.2.1", "192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ka, kb := limiter.Account(tt.a), limiter.Account(tt.b); ka == kb {
				t.Errorf("Account(%q) = Account(%q) = %q; want different keys", tt.a, tt.b, ka)
			}
		})
	}
	if limiter.Account("192.0.2.1") == limiter.IP("192.0.2.1") {
		t.Error("an account named like an address shares the address's key")
	}
}

func TestAccountKeyIsTheFoldedName(t *testing.T) {
	for in, want := range map[string]string{
		"Alice":           "account:alice",
		"STRASSE":         "account:strasse",
		"Caf\u0065\u0301": "account:caf\u00e9",
		"\uff21\uff22":    "account:ab",
		"":                "account:",
	} {
		if got := limiter.Account(in); got != want {
			t.Errorf("Account(%q) = %q; want %q", in, got, want)
		}
	}
}
