package jwt

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/strictjson"
)

// strictClaims is what the strict path decodes from b.
func strictClaims(b []byte) (wireClaims, error) {
	var w wireClaims
	err := strictjson.Unmarshal(b, &w, strictjson.Options{AllowUnknown: true})
	return w, err
}

func canonicalSamples(t testing.TB) [][]byte {
	d := func(n int64) *numericDate { v := numericDate(n); return &v }
	var out [][]byte
	for _, w := range []wireClaims{
		{Subject: "user-42", Issuer: "gobware", Audience: audience{"gobware"}, Expiry: d(1900000000), NotBefore: d(1800000000), IssuedAt: d(1800000000), ID: "0123456789abcdefghijkl"},
		{Subject: "alice", Issuer: "https://issuer.example", Audience: audience{"a", "b"}, Expiry: d(1900000000), ID: "j", Session: "fam-1", AuthTime: d(1799999000), Method: "password",
			Attributes: core.Attributes{"role": {"admin", "editor"}, "tenant": {"t1"}, "Role": {}}},
		{Subject: "bob", Issuer: "", Audience: audience{"x"}, Expiry: d(0), ID: "k", Method: "passkey"},
	} {
		b, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func TestParseCanonicalReadsWhatIssueWritesAsTheStrictDecoderDoes(t *testing.T) {
	for _, b := range canonicalSamples(t) {
		got, ok := parseCanonical(b)
		want, err := strictClaims(b)
		if !ok || err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseCanonical(%s) = %+v, %v; the strict decoder reads %+v, %v", b, got, ok, want, err)
		}
	}
}

func TestParseCanonicalDeclinesWhatIssueNeverWrites(t *testing.T) {
	for _, b := range []string{
		`{"sub":"a","sub":"b","iss":"","aud":"x","jti":"j"}`,
		`{"iss":"","sub":"a","aud":"x","jti":"j"}`,
		`{"sub":"a","iss":"","aud":"x","jti":"j","extra":1}`,
		`{"sub":"a\u0041","iss":"","aud":"x","jti":"j"}`,
		`{"sub":"a","iss":"","aud":"x","exp":1.5,"jti":"j"}`,
		`{"sub":"a","iss":"","aud":"x","exp":01,"jti":"j"}`,
		`{"sub":"a","iss":"","aud":["x"],"jti":"j"}`,
		`{"sub":"a","iss":"","aud":"x","jti":"j","sid":""}`,
		`{"sub":"a","iss":"","aud":"x","jti":"j","attrs":{"b":[],"a":[]}}`,
		`{"sub":"a","iss":"","aud":"x","jti":"j","attrs":{"a":[],"a":[]}}`,
		`{"sub":"a","iss":"","aud":"x","jti":"j"} `,
		`{"sub":"é","iss":"","aud":"x","jti":"j"}`,
	} {
		if w, ok := parseCanonical([]byte(b)); ok {
			t.Errorf("parseCanonical(%s) = %+v; want it declined, for the strict path to decide", b, w)
		}
	}
}

func FuzzParseCanonical(f *testing.F) {
	for _, b := range canonicalSamples(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"sub":"a","iss":"","aud":"x","exp":253402300799,"jti":"j"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := parseCanonical(b)
		if !ok {
			return
		}
		want, err := strictClaims(b)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseCanonical(%q) = %+v; the strict decoder reads %+v, %v", b, got, want, err)
		}
	})
}
