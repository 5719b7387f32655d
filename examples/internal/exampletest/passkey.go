package exampletest

import (
	"net/http"
	"testing"

	"github.com/gobware/gobware/passkey/passkeytest"
)

// RegisterPasskey registers a passkey of auth for the signed-in cookie:
// the options from the server options, the answer to the server answer
// (the same one, or another behind the same load balancer). It fails t
// unless both succeed, and returns the registration's response and the
// answer sent.
func RegisterPasskey(t *testing.T, auth *passkeytest.Authenticator, options, answer *Server, cookie string) (Resp, []byte) {
	t.Helper()
	opts := options.Do(Req{Method: "POST", Path: "/api/passkeys/register/options", Cookie: cookie})
	Expect(t, "registration options", opts, 200)
	body, err := auth.Create(opts.Body)
	if err != nil {
		t.Fatal(err)
	}
	reg := answer.Do(Req{Method: "POST", Path: "/api/passkeys/register", Cookie: cookie, Header: http.Header{"Content-Type": {"application/json"}}, Body: body})
	Expect(t, "registration", reg, 201)
	return reg, body
}
