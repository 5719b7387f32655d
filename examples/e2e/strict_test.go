package e2e_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gobware/gobware/examples/internal/exampletest"
)

// TestStrictJSONBodies sends bodies that encoding/json alone would read one
// way and a proxy, a firewall or an audit log another: duplicate names,
// case variants (also by Unicode folding), invalid UTF-8, deep nesting,
// numbers out of range. Every framework refuses each with a 400 bad_request
// problem that names the field, and none of them logs anyone in, issues or
// spends a token, or changes a cart.
func TestStrictJSONBodies(t *testing.T) {
	const (
		dupUser   = `The field "username" appears twice.`
		dupPass   = `The field "password" appears twice.`
		notUTF8   = "The body is not valid UTF-8."
		caseNote  = ", which this endpoint does not accept; fields are case-sensitive."
		tooDeep   = "The body nests arrays and objects more than 64 levels deep."
		wholeQty  = `The field "quantity" must be a whole number within range.`
		dupQty    = `The field "quantity" appears twice.`
		dupSKU    = `The field "sku" appears twice.`
		dupToken  = `The field "refresh_token" appears twice.`
		aliceGood = `"password":"alice-password"`
	)
	type attack struct {
		name, method, path, body, detail string
		auth                             bool // send bob's access token
	}
	attacks := func(refresh string) []attack {
		return []attack{
			{"login: a second username after a decoy", "POST", "/api/session", `{"username":"nobody","username":"alice",` + aliceGood + `}`, dupUser, false},
			{"login: a decoy username after the real one", "POST", "/api/session", `{"username":"alice","username":"nobody",` + aliceGood + `}`, dupUser, false},
			{"login: the same username twice", "POST", "/api/session", `{"username":"alice","username":"alice",` + aliceGood + `}`, dupUser, false},
			{"login: a duplicate spelled with an escape", "POST", "/api/session", `{"username":"alice","user\u006eame":"alice",` + aliceGood + `}`, dupUser, false},
			{"login: names in capitals and mixed case", "POST", "/api/session", `{"USERNAME":"alice","PassWord":"alice-password"}`, `The body has the field "USERNAME"` + caseNote, false},
			{"login: a long s for s", "POST", "/api/session", "{\"u\u017fername\":\"alice\"," + aliceGood + "}", `The body has the field "u\u017fername"` + caseNote, false},
			{"login: a Kelvin sign in a name", "POST", "/api/session", `{"username":"alice","password":"alice-password","\u212a":1}`, `The body has the field "\u212a", which this endpoint does not accept.`, false},
			{"login: invalid UTF-8 in the username", "POST", "/api/session", "{\"username\":\"alice\xff\"," + aliceGood + "}", notUTF8, false},
			{"login: a lone surrogate in the username", "POST", "/api/session", `{"username":"alice\udc00",` + aliceGood + `}`, notUTF8, false},
			{"login: deep nesting", "POST", "/api/session", `{"username":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, tooDeep, false},
			{"token: a second password", "POST", "/api/token", `{"username":"alice","password":"wrong",` + aliceGood + `}`, dupPass, false},
			{"token: a password in capitals", "POST", "/api/token", `{"username":"alice","PASSWORD":"alice-password"}`, `The body has the field "PASSWORD"` + caseNote, false},
			{"token: invalid UTF-8 in a name", "POST", "/api/token", "{\"user\xc0name\":\"alice\"," + aliceGood + "}", notUTF8, false},
			{"refresh: a decoy before the real refresh token", "POST", "/api/token/refresh", `{"refresh_token":"decoy","refresh_token":"` + refresh + `"}`, dupToken, false},
			{"revoke: the real refresh token before a decoy", "POST", "/api/token/revoke", `{"refresh_token":"` + refresh + `","refresh_token":"decoy"}`, dupToken, false},
			{"refresh: a case variant", "POST", "/api/token/refresh", `{"Refresh_Token":"` + refresh + `"}`, `The body has the field "Refresh_Token"` + caseNote, false},
			{"cart add: a second quantity", "POST", "/api/cart/items", `{"sku":"MUG-GOPHER","quantity":1,"quantity":99}`, dupQty, true},
			{"cart add: a second SKU", "POST", "/api/cart/items", `{"sku":"MUG-GOPHER","sku":"TEE-GOPHER","quantity":1}`, dupSKU, true},
			{"cart add: a Kelvin sign in sku", "POST", "/api/cart/items", `{"s\u212aU":"MUG-GOPHER","quantity":1}`, `The body has the field "s\u212aU"` + caseNote, true},
			{"cart add: a quantity beyond any integer", "POST", "/api/cart/items", `{"sku":"MUG-GOPHER","quantity":99999999999999999999}`, wholeQty, true},
			{"cart add: a quantity of 1e400", "POST", "/api/cart/items", `{"sku":"MUG-GOPHER","quantity":1e400}`, wholeQty, true},
			{"cart set: a quantity in capitals", "PUT", "/api/cart/items/MUG-GOPHER", `{"QUANTITY":3}`, `The body has the field "QUANTITY"` + caseNote, true},
			{"cart set: a second quantity", "PUT", "/api/cart/items/MUG-GOPHER", `{"quantity":0,"quantity":3}`, dupQty, true},
			{"cart set: deep nesting", "PUT", "/api/cart/items/MUG-GOPHER", `{"quantity":` + strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70) + `}`, tooDeep, true},
		}
	}
	for _, fw := range exampletest.Frameworks {
		t.Run(fw, func(t *testing.T) {
			s := exampletest.Start(t, fw)
			bob, _ := s.Tokens("bob")
			_, refresh := s.Tokens("alice")
			for _, a := range attacks(refresh) {
				t.Run(a.name, func(t *testing.T) {
					s.T = t
					req := exampletest.Req{Method: a.method, Path: a.path, Body: a.body, Header: http.Header{"Content-Type": {"application/json"}}}
					if a.auth {
						req.Bearer = bob
					}
					got := s.Do(req)
					if got.Status != 400 {
						t.Fatalf("status %d; want 400; body %.300s", got.Status, got.Body)
					}
					checkProblem(t, got, 400, "bad_request")
					var p struct{ Detail string }
					if err := json.Unmarshal(got.Body, &p); err != nil || p.Detail != a.detail {
						t.Errorf("detail %q; want %q", p.Detail, a.detail)
					}
					if c := got.Header.Values("Set-Cookie"); len(c) != 0 {
						t.Errorf("a refused body set cookies %q", c)
					}
				})
			}
			s.T = t
			// Nothing happened: bob's cart is empty, and alice's refresh
			// token (sent beside decoys above) is unspent and unrevoked.
			if got := cartLines(t, s.Do(exampletest.Req{Method: "GET", Path: "/api/cart", Bearer: bob})); len(got) != 0 {
				t.Errorf("bob's cart = %v after refused bodies; want it empty", got)
			}
			exampletest.Expect(t, "alice's refresh token after the refused bodies",
				s.Do(exampletest.Req{Method: "POST", Path: "/api/token/refresh", Body: map[string]string{"refresh_token": refresh}}), 200)
		})
	}
}
