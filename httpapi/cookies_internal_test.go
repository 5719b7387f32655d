package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// netHTTPValues is what net/http reads: the reference ReadCookies must match.
func netHTTPValues(h http.Header, name string) []string {
	var vs []string
	for _, c := range (&http.Request{Header: h}).CookiesNamed(name) {
		vs = append(vs, c.Value)
	}
	return vs
}

func TestReadCookiesReadsWhatNetHTTPReads(t *testing.T) {
	const name = "__Host-gobware_session"
	tests := []struct {
		what  string
		lines []string
	}{
		{"no Cookie header", nil},
		{"one cookie", []string{name + "=abc.def"}},
		{"among others", []string{"a=1; " + name + "=v; b=2"}},
		{"twice in one header", []string{name + "=v1; " + name + "=v2"}},
		{"once in each of two headers", []string{name + "=v1", "x=y; " + name + "=v2"}},
		{"spaces around the pair and the name", []string{"  " + name + " =v ;\t"}},
		{"a space after the equals sign belongs to the value", []string{name + "= v"}},
		{"quoted", []string{name + `="v"`}},
		{"a lone quote", []string{name + `="`}},
		{"an invalid byte drops the cookie", []string{name + "=a\\b; " + name + "=ok"}},
		{"a control byte drops the cookie", []string{name + "=a\x01b"}},
		{"empty value", []string{name + "="}},
		{"no equals sign", []string{name}},
		{"a prefix of the name", []string{"__Host-gobware=v"}},
		{"the name with a suffix", []string{name + "x=v"}},
		{"empty parts", []string{";;" + name + "=v;;"}},
		{"over net/http's bound on cookies", []string{strings.Repeat("a=b; ", maxCookies) + name + "=v"}},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tt.lines {
				h.Add("Cookie", l)
			}
			got, want := ReadCookies(h["Cookie"], name), netHTTPValues(h, name)
			if !slices.Equal(got, want) {
				t.Errorf("ReadCookies(%q) = %q; net/http reads %q", tt.lines, got, want)
			}
			first, n := ReadCookie(h["Cookie"], name)
			if n != len(want) || n > 0 && first != want[0] {
				t.Errorf("ReadCookie(%q) = %q, %d; net/http reads %q", tt.lines, first, n, want)
			}
		})
	}
}

func TestReadCookiesAllocatesOnlyItsResult(t *testing.T) {
	h := http.Header{"Cookie": {"a=1; s=" + strings.Repeat("v", 87) + "; b=2"}}
	if n := testing.AllocsPerRun(100, func() { ReadCookies(h["Cookie"], "s") }); n > 1 {
		t.Errorf("ReadCookies allocates %v times; want at most 1 (the result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { ReadCookie(h["Cookie"], "s") }); n > 0 {
		t.Errorf("ReadCookie allocates %v times; want none", n)
	}
}

func FuzzReadCookies(f *testing.F) {
	for _, s := range []string{"s=v", "s = v ; t=1", `s="v"`, "s=a\\b", " s=v;s=w", "s", "=v", "s=\x7f"} {
		f.Add(s, "s")
	}
	f.Fuzz(func(t *testing.T, line, name string) {
		h := http.Header{"Cookie": {line}}
		got, want := ReadCookies(h["Cookie"], name), netHTTPValues(h, name)
		if !slices.Equal(got, want) {
			t.Errorf("ReadCookies(%q, %q) = %q; net/http reads %q", line, name, got, want)
		}
		first, n := ReadCookie(h["Cookie"], name)
		if n != len(want) || n > 0 && first != want[0] {
			t.Errorf("ReadCookie(%q, %q) = %q, %d; net/http reads %q", line, name, first, n, want)
		}
	})
}
