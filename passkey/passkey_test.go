package passkey_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey"
	"github.com/gobware/gobware/passkey/passkeytest"
)

const (
	rpID   = "localhost"
	origin = "http://localhost:8080"
)

// rig is a Service on a memory store with a settable clock and a record of
// its events, and a software authenticator in front of it.
type rig struct {
	svc    *passkey.Service
	store  *passkey.MemoryStore
	auth   *passkeytest.Authenticator
	mu     sync.Mutex
	now    time.Time
	events []core.Event
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{store: passkey.NewMemoryStore(), auth: passkeytest.NewAuthenticator(origin), now: time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)}
	svc, err := passkey.New(rpID, []string{origin}, r.store, passkey.Options{
		Now: func() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.now },
		Events: func(_ context.Context, e core.Event) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.events = append(r.events, e)
		},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	r.svc = svc
	return r
}

func (r *rig) advance(d time.Duration) { r.mu.Lock(); r.now = r.now.Add(d); r.mu.Unlock() }

func (r *rig) lastEvent() core.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return core.Event{}
	}
	return r.events[len(r.events)-1]
}

// register runs a whole registration of a passkey for userID.
func (r *rig) register(t *testing.T, userID string) passkey.Credential {
	t.Helper()
	opts, err := r.svc.BeginRegistration(context.Background(), passkey.User{ID: userID})
	if err != nil {
		t.Fatalf("BeginRegistration: %v", err)
	}
	resp, err := r.auth.Create(opts)
	if err != nil {
		t.Fatalf("authenticator Create: %v", err)
	}
	c, err := r.svc.FinishRegistration(context.Background(), userID, "", resp)
	if err != nil {
		t.Fatalf("FinishRegistration: %v", err)
	}
	return c
}

func (r *rig) loginOptions(t *testing.T) []byte {
	t.Helper()
	opts, err := r.svc.BeginLogin(context.Background())
	if err != nil {
		t.Fatalf("BeginLogin: %v", err)
	}
	return opts
}

func (r *rig) assertion(t *testing.T) []byte {
	t.Helper()
	resp, err := r.auth.Get(r.loginOptions(t))
	if err != nil {
		t.Fatalf("authenticator Get: %v", err)
	}
	return resp
}

func TestRegisterThenSignInWithThePasskeyAlone(t *testing.T) {
	r := newRig(t)
	c := r.register(t, "alice")
	if c.UserID != "alice" || c.Name != passkey.DefaultName || len(c.PublicKey) == 0 || c.AttestationFormat != "none" {
		t.Fatalf("registered %+v", c)
	}
	if e := r.lastEvent(); e.Type != core.EventPasskeyAdded || e.UserID != "alice" || e.Ref == "" {
		t.Errorf("registration event = %+v; want passkey_added for alice with a ref", e)
	}
	r.advance(time.Minute)
	got, err := r.svc.FinishLogin(context.Background(), r.assertion(t))
	if err != nil {
		t.Fatalf("FinishLogin: %v", err)
	}
	if got.UserID != "alice" || string(got.ID) != string(c.ID) || got.SignCount != 1 || !got.LastUsedAt.Equal(r.now) {
		t.Errorf("FinishLogin = %+v; want alice's passkey, counter 1, used now", got)
	}
	list, err := r.svc.List(context.Background(), "alice")
	if err != nil || len(list) != 1 || list[0].SignCount != 1 || !list[0].LastUsedAt.Equal(r.now) {
		t.Errorf("List(alice) = %+v, %v; want the passkey with its use recorded", list, err)
	}
}

func TestRegistrationOptionsAskForADiscoverableUserVerifiedPasskey(t *testing.T) {
	r := newRig(t)
	first := r.register(t, "alice")
	raw, err := r.svc.BeginRegistration(context.Background(), passkey.User{ID: "alice", Name: "alice@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		PublicKey struct {
			RP                     struct{ ID, Name string }
			User                   struct{ ID, Name, DisplayName string }
			Timeout                int
			Attestation            string
			AuthenticatorSelection struct {
				ResidentKey        string
				RequireResidentKey bool
				UserVerification   string
			}
			ExcludeCredentials []struct{ ID string }
		}
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	pk := o.PublicKey
	if pk.RP.ID != rpID || pk.User.Name != "alice@example.com" || pk.User.ID != base64.RawURLEncoding.EncodeToString(passkey.UserHandle("alice")) {
		t.Errorf("rp/user = %+v %+v", pk.RP, pk.User)
	}
	if strings.Contains(string(raw), `"alice"`) {
		t.Errorf("the options carry the user ID itself: %s", raw)
	}
	sel := pk.AuthenticatorSelection
	if sel.ResidentKey != "required" || !sel.RequireResidentKey || sel.UserVerification != "required" {
		t.Errorf("authenticatorSelection = %+v; want a required resident key and user verification", sel)
	}
	if pk.Timeout != 300000 || pk.Attestation != "none" {
		t.Errorf("timeout %d, attestation %q; want 300000 ms and none", pk.Timeout, pk.Attestation)
	}
	if len(pk.ExcludeCredentials) != 1 || pk.ExcludeCredentials[0].ID != passkey.EncodeID(first.ID) {
		t.Errorf("excludeCredentials = %+v; want the existing passkey", pk.ExcludeCredentials)
	}
	if _, err := r.auth.Create(raw); !errors.Is(err, passkeytest.ErrExcluded) {
		t.Errorf("an authenticator holding the excluded passkey created another: %v", err)
	}
}

func TestLoginOptionsAreUsernamelessWithUserVerification(t *testing.T) {
	r := newRig(t)
	r.register(t, "alice")
	var o struct {
		PublicKey struct {
			RPID             string
			Timeout          int
			UserVerification string
			AllowCredentials []any
		}
	}
	if err := json.Unmarshal(r.loginOptions(t), &o); err != nil {
		t.Fatal(err)
	}
	if o.PublicKey.RPID != rpID || o.PublicKey.UserVerification != "required" || len(o.PublicKey.AllowCredentials) != 0 || o.PublicKey.Timeout != 300000 {
		t.Errorf("request options = %+v; want the RP ID, UV required, no allow list, 5 minutes", o.PublicKey)
	}
}

// swapChallenge rewrites the challenge in a response's client data, as a
// client replaying an old response against a fresh challenge would.
func swapChallenge(t *testing.T, resp, options []byte) []byte {
	t.Helper()
	var o struct{ PublicKey struct{ Challenge string } }
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatal(err)
	}
	return editClientData(t, resp, func(cd map[string]any) { cd["challenge"] = o.PublicKey.Challenge })
}

func editClientData(t *testing.T, resp []byte, edit func(map[string]any)) []byte {
	t.Helper()
	return editResponse(t, resp, func(r map[string]any) {
		raw, _ := base64.RawURLEncoding.DecodeString(r["clientDataJSON"].(string))
		var cd map[string]any
		if err := json.Unmarshal(raw, &cd); err != nil {
			t.Fatal(err)
		}
		edit(cd)
		raw, _ = json.Marshal(cd)
		r["clientDataJSON"] = base64.RawURLEncoding.EncodeToString(raw)
	})
}

func editResponse(t *testing.T, resp []byte, edit func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(resp, &m); err != nil {
		t.Fatal(err)
	}
	edit(m["response"].(map[string]any))
	out, _ := json.Marshal(m)
	return out
}

// editClientDataText edits the client data as text, for what a map cannot
// hold (a member named twice, say).
func editClientDataText(t *testing.T, resp []byte, edit func(string) string) []byte {
	t.Helper()
	return editResponse(t, resp, func(r map[string]any) {
		raw, _ := base64.RawURLEncoding.DecodeString(r["clientDataJSON"].(string))
		r["clientDataJSON"] = base64.RawURLEncoding.EncodeToString([]byte(edit(string(raw))))
	})
}

// renameResponse names the body's "response" member name instead.
func renameResponse(t *testing.T, resp []byte, name string) []byte {
	t.Helper()
	out := strings.Replace(string(resp), `"response":`, strconv.Quote(name)+":", 1)
	if out == string(resp) {
		t.Fatal(`no "response" member in the credential response`)
	}
	return []byte(out)
}

// twoWays are responses the WebAuthn library alone would accept, read with
// encoding/json's rules (the last of two members, names matched
// case-insensitively), but that a proxy or log reading the first or exact
// name would read otherwise. create makes a valid response to edit.
func twoWays(create func(*testing.T, *rig) []byte) []struct {
	name     string
	response func(*testing.T, *rig) []byte
} {
	return []struct {
		name     string
		response func(*testing.T, *rig) []byte
	}{
		{"a body whose response member is named in capitals", func(t *testing.T, r *rig) []byte {
			return renameResponse(t, create(t, r), "Response")
		}},
		{"a body with its response member twice", func(t *testing.T, r *rig) []byte {
			resp := create(t, r)
			return []byte(strings.Replace(string(resp), `"response":`, `"response":{},"response":`, 1))
		}},
		{"client data whose origin is named twice", func(t *testing.T, r *rig) []byte {
			return editClientDataText(t, create(t, r), func(cd string) string {
				return strings.Replace(cd, `"origin":`, `"origin":"https://evil.example","origin":`, 1)
			})
		}},
		{"client data whose challenge is named with a capital", func(t *testing.T, r *rig) []byte {
			return editClientDataText(t, create(t, r), func(cd string) string {
				return strings.Replace(cd, `"challenge":`, `"Challenge":`, 1)
			})
		}},
	}
}

func TestRegistrationRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		reason string
		want   error
		// response returns the body to finish with, as user "alice".
		response func(t *testing.T, r *rig) []byte
	}{
		{"a body that is not JSON", "malformed", passkey.ErrMalformed, func(*testing.T, *rig) []byte { return []byte("{not json") }},
		{"JSON that is not a credential", "malformed", passkey.ErrMalformed, func(*testing.T, *rig) []byte { return []byte(`{"id":"AAAA","type":"public-key"}`) }},
		{"an attestation object that is not CBOR", "malformed", passkey.ErrMalformed, func(t *testing.T, r *rig) []byte {
			return editResponse(t, r.create(t, "alice"), func(m map[string]any) { m["attestationObject"] = "bm90IGNib3I" })
		}},
		{"a body over the size limit", "too_large", passkey.ErrMalformed, func(t *testing.T, r *rig) []byte {
			return editResponse(t, r.create(t, "alice"), func(m map[string]any) { m["padding"] = strings.Repeat("x", passkey.DefaultMaxBodyBytes) })
		}},
		{"a challenge never issued", "unknown_challenge", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			return editClientData(t, r.create(t, "alice"), func(cd map[string]any) { cd["challenge"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
		}},
		{"a response replayed after its challenge was used", "unknown_challenge", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			resp := r.create(t, "alice")
			if _, err := r.svc.FinishRegistration(context.Background(), "alice", "", resp); err != nil {
				t.Fatal(err)
			}
			r.store.Delete(context.Background(), "alice", firstID(t, r.store, "alice")) //nolint:errcheck // cleared so only the replay is judged
			return resp
		}},
		{"a challenge past its five minutes", "expired_challenge", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			resp := r.create(t, "alice")
			r.advance(passkey.ChallengeTTL)
			return resp
		}},
		{"a sign-in challenge answered as a registration", "wrong_ceremony", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			return swapChallenge(t, r.create(t, "alice"), r.loginOptions(t))
		}},
		{"a challenge issued to another signed-in user", "wrong_user", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			return r.create(t, "mallory")
		}},
		{"a credential made for another origin", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			r.auth.Origin = "https://evil.example"
			return r.create(t, "alice")
		}},
		{"a credential made for another RP ID", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			r.auth.RPID = "evil.example"
			return r.create(t, "alice")
		}},
		{"a credential made without user verification", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			r.auth.NoUserVerification = true
			return r.create(t, "alice")
		}},
		{"client data of the sign-in ceremony", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			return editClientData(t, r.create(t, "alice"), func(cd map[string]any) { cd["type"] = "webauthn.get" })
		}},
		{"a credential ID already registered", "exists", passkey.ErrExists, func(t *testing.T, r *rig) []byte {
			resp := r.create(t, "alice")
			if _, err := r.svc.FinishRegistration(context.Background(), "alice", "", resp); err != nil {
				t.Fatal(err)
			}
			opts, err := r.svc.BeginRegistration(context.Background(), passkey.User{ID: "alice"})
			if err != nil {
				t.Fatal(err)
			}
			return swapChallenge(t, resp, opts)
		}},
	}
	for _, c := range twoWays(func(t *testing.T, r *rig) []byte { return r.create(t, "alice") }) {
		tt := tests[0]
		tt.name, tt.reason, tt.want, tt.response = c.name, "malformed", passkey.ErrMalformed, c.response
		tests = append(tests, tt)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			body := tt.response(t, r)
			before, _ := r.store.List(ctx, "alice")
			_, err := r.svc.FinishRegistration(ctx, "alice", "", body)
			if !errors.Is(err, tt.want) || !errors.Is(err, core.ErrInvalidCredential) {
				t.Fatalf("FinishRegistration = %v; want %v, an invalid credential", err, tt.want)
			}
			if s := core.Status(err); s < 400 || s > 499 {
				t.Errorf("core.Status(%v) = %d; want 4xx", err, s)
			}
			if after, _ := r.store.List(ctx, "alice"); len(after) != len(before) {
				t.Errorf("a refused registration stored a passkey: %d before, %d after", len(before), len(after))
			}
			if e := r.lastEvent(); e.Type != core.EventPasskeyRefused || e.Reason != tt.reason || e.UserID != "alice" || e.Strategy != "passkey" {
				t.Errorf("event = %+v; want passkey_refused for alice, reason %q", e, tt.reason)
			}
		})
	}
}

func firstID(t *testing.T, s passkey.Store, userID string) []byte {
	t.Helper()
	list, err := s.List(context.Background(), userID)
	if err != nil || len(list) == 0 {
		t.Fatalf("List(%s) = %v, %v; want a passkey", userID, list, err)
	}
	return list[0].ID
}

// create begins a registration for userID and has the authenticator
// answer it, without finishing.
func (r *rig) create(t *testing.T, userID string) []byte {
	t.Helper()
	opts, err := r.svc.BeginRegistration(context.Background(), passkey.User{ID: userID})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := r.auth.Create(opts)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestLoginRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		reason   string
		want     error
		response func(t *testing.T, r *rig) []byte
	}{
		{"a body that is not JSON", "malformed", passkey.ErrMalformed, func(*testing.T, *rig) []byte { return []byte(`[]`) }},
		{"authenticator data that is truncated", "malformed", passkey.ErrMalformed, func(t *testing.T, r *rig) []byte {
			return editResponse(t, r.assertion(t), func(m map[string]any) { m["authenticatorData"] = "AAAA" })
		}},
		{"a body over the size limit", "too_large", passkey.ErrMalformed, func(t *testing.T, r *rig) []byte {
			return []byte(`{"x":"` + strings.Repeat("x", passkey.DefaultMaxBodyBytes) + `"}`)
		}},
		{"an assertion replayed after its challenge was used", "unknown_challenge", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			resp := r.assertion(t)
			if _, err := r.svc.FinishLogin(context.Background(), resp); err != nil {
				t.Fatal(err)
			}
			return resp
		}},
		{"a challenge past its five minutes", "expired_challenge", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			resp := r.assertion(t)
			r.advance(passkey.ChallengeTTL + time.Second)
			return resp
		}},
		{"a registration challenge answered as a sign-in", "wrong_ceremony", passkey.ErrChallenge, func(t *testing.T, r *rig) []byte {
			opts, err := r.svc.BeginRegistration(context.Background(), passkey.User{ID: "alice"})
			if err != nil {
				t.Fatal(err)
			}
			return swapChallenge(t, r.assertion(t), opts)
		}},
		{"a passkey that was deleted", "unknown_credential", passkey.ErrUnknownCredential, func(t *testing.T, r *rig) []byte {
			resp := r.assertion(t)
			if err := r.svc.Delete(context.Background(), "alice", firstID(t, r.store, "alice")); err != nil {
				t.Fatal(err)
			}
			return resp
		}},
		{"a user handle that is not the owner's", "user_handle_mismatch", passkey.ErrUnknownCredential, func(t *testing.T, r *rig) []byte {
			return editResponse(t, r.assertion(t), func(m map[string]any) {
				m["userHandle"] = base64.RawURLEncoding.EncodeToString(passkey.UserHandle("mallory"))
			})
		}},
		{"an assertion made on another origin", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			r.auth.Origin = "http://localhost:9999"
			return r.assertion(t)
		}},
		{"an assertion for another RP ID", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			r.auth.RPID = "evil.example"
			return r.assertion(t)
		}},
		{"an assertion without user verification", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			r.auth.NoUserVerification = true
			return r.assertion(t)
		}},
		{"client data changed after it was signed", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			return editClientData(t, r.assertion(t), func(cd map[string]any) { cd["tokenBinding"] = map[string]any{"status": "supported"} })
		}},
		{"a signature by another key", "verification_failed", passkey.ErrVerification, func(t *testing.T, r *rig) []byte {
			good := r.assertion(t)
			other := passkeytest.NewAuthenticator(origin)
			r.auth = other
			r.register(t, "mallory")
			forged := r.assertion(t)
			var f map[string]any
			json.Unmarshal(forged, &f) //nolint:errcheck // made by the authenticator
			return editResponse(t, good, func(m map[string]any) {
				fr := f["response"].(map[string]any)
				m["signature"] = fr["signature"]
			})
		}},
		{"a counter going backwards", "counter_regressed", passkey.ErrCounter, func(t *testing.T, r *rig) []byte {
			r.auth.SetCounter(41)
			if _, err := r.svc.FinishLogin(context.Background(), r.assertion(t)); err != nil {
				t.Fatal(err)
			}
			r.auth.SetCounter(10)
			return r.assertion(t)
		}},
		{"a counter standing still", "counter_regressed", passkey.ErrCounter, func(t *testing.T, r *rig) []byte {
			r.auth.SetCounter(41)
			if _, err := r.svc.FinishLogin(context.Background(), r.assertion(t)); err != nil {
				t.Fatal(err)
			}
			r.auth.SetCounter(41)
			return r.assertion(t)
		}},
	}
	for _, c := range twoWays(func(t *testing.T, r *rig) []byte { return r.assertion(t) }) {
		tt := tests[0]
		tt.name, tt.reason, tt.want, tt.response = c.name, "malformed", passkey.ErrMalformed, c.response
		tests = append(tests, tt)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.register(t, "alice")
			body := tt.response(t, r)
			before, _ := r.store.List(ctx, "alice")
			_, err := r.svc.FinishLogin(ctx, body)
			if !errors.Is(err, tt.want) || !errors.Is(err, core.ErrInvalidCredential) {
				t.Fatalf("FinishLogin = %v; want %v, an invalid credential", err, tt.want)
			}
			if s := core.Status(err); s < 400 || s > 499 {
				t.Errorf("core.Status(%v) = %d; want 4xx", err, s)
			}
			after, _ := r.store.List(ctx, "alice")
			if len(after) != len(before) || (len(after) == 1 && (after[0].SignCount != before[0].SignCount || !after[0].LastUsedAt.Equal(before[0].LastUsedAt))) {
				t.Errorf("a refused sign-in changed what is stored: %+v, then %+v", before, after)
			}
			if e := r.lastEvent(); e.Type != core.EventLoginFailed || e.Reason != tt.reason || e.Strategy != "passkey" {
				t.Errorf("event = %+v; want login_failed, reason %q", e, tt.reason)
			}
		})
	}
}

func TestACounterThatIncreasesOrIsAlwaysZeroSignsIn(t *testing.T) {
	r := newRig(t)
	r.register(t, "alice")
	for i := range 3 {
		r.auth.SetCounter(^uint32(0)) // the next assertion carries 0: no counter
		if _, err := r.svc.FinishLogin(context.Background(), r.assertion(t)); err != nil {
			t.Fatalf("sign-in %d with a zero counter: %v", i, err)
		}
	}
	r.auth.SetCounter(6)
	if c, err := r.svc.FinishLogin(context.Background(), r.assertion(t)); err != nil || c.SignCount != 7 {
		t.Fatalf("sign-in with counter 7 = %+v, %v", c, err)
	}
}

func TestEveryRegistrationChallengeIsSingleUseEvenWhenRefused(t *testing.T) {
	r := newRig(t)
	resp := r.create(t, "alice")
	if _, err := r.svc.FinishRegistration(context.Background(), "mallory", "", resp); !errors.Is(err, passkey.ErrChallenge) {
		t.Fatalf("mallory finishing alice's ceremony = %v; want ErrChallenge", err)
	}
	if _, err := r.svc.FinishRegistration(context.Background(), "alice", "", resp); !errors.Is(err, passkey.ErrChallenge) {
		t.Errorf("alice finishing after a refused attempt = %v; want ErrChallenge: a challenge is used up by any answer", err)
	}
}

func TestListRenameAndDeleteOnlyTouchTheUsersOwnPasskeys(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	alice := r.register(t, "alice")
	bob := passkeytest.NewAuthenticator(origin)
	r.auth = bob
	bobs := r.register(t, "bob")

	if err := r.svc.Rename(ctx, "alice", bobs.ID, "mine now"); !errors.Is(err, passkey.ErrNotFound) {
		t.Errorf("alice renaming bob's passkey = %v; want ErrNotFound", err)
	}
	if err := r.svc.Delete(ctx, "alice", bobs.ID); !errors.Is(err, passkey.ErrNotFound) {
		t.Errorf("alice deleting bob's passkey = %v; want ErrNotFound", err)
	}
	if err := r.svc.Rename(ctx, "alice", alice.ID, "Laptop"); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	for _, bad := range []string{"", strings.Repeat("x", passkey.MaxNameLen+1), "tab\there", "\xff"} {
		if err := r.svc.Rename(ctx, "alice", alice.ID, bad); !errors.Is(err, passkey.ErrBadName) {
			t.Errorf("Rename(%q) = %v; want ErrBadName", bad, err)
		}
	}
	list, _ := r.svc.List(ctx, "alice")
	if len(list) != 1 || list[0].Name != "Laptop" {
		t.Errorf("List(alice) = %+v; want one passkey named Laptop", list)
	}
	if err := r.svc.Delete(ctx, "alice", alice.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if e := r.lastEvent(); e.Type != core.EventPasskeyRemoved || e.UserID != "alice" {
		t.Errorf("event = %+v; want passkey_removed", e)
	}
	if list, _ := r.svc.List(ctx, "alice"); len(list) != 0 {
		t.Errorf("List after Delete = %+v", list)
	}
	if list, _ := r.svc.List(ctx, "bob"); len(list) != 1 {
		t.Errorf("bob's passkeys = %+v; want his one", list)
	}
	if _, err := passkey.DecodeID("not base64!"); !errors.Is(err, passkey.ErrNotFound) {
		t.Errorf("DecodeID(garbage) = %v; want ErrNotFound", err)
	}
}

func TestNewRequiresAConsistentRelyingParty(t *testing.T) {
	store := passkey.NewMemoryStore()
	tests := []struct {
		name    string
		rpID    string
		origins []string
	}{
		{"no RP ID", "", []string{"https://example.com"}},
		{"no origins", "example.com", nil},
		{"an origin of another site", "example.com", []string{"https://example.org"}},
		{"an origin that merely ends like the RP ID", "example.com", []string{"https://badexample.com"}},
		{"plain http off localhost", "example.com", []string{"http://example.com"}},
		{"an origin with a path", "example.com", []string{"https://example.com/app"}},
		{"an origin with a trailing slash", "example.com", []string{"https://example.com/"}},
		{"an RP ID with a scheme", "https://example.com", []string{"https://example.com"}},
		{"an RP ID with a port", "localhost:8080", []string{"http://localhost:8080"}},
		{"an upper-case RP ID", "Example.com", []string{"https://example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := passkey.New(tt.rpID, tt.origins, store, passkey.Options{}); !errors.Is(err, passkey.ErrBadOption) {
				t.Errorf("New(%q, %q) = %v; want ErrBadOption", tt.rpID, tt.origins, err)
			}
		})
	}
	if _, err := passkey.New("example.com", []string{"https://example.com"}, nil, passkey.Options{}); !errors.Is(err, passkey.ErrBadOption) {
		t.Errorf("New without a store = %v; want ErrBadOption", err)
	}
	for _, ok := range [][]string{{"https://example.com"}, {"https://login.example.com", "https://example.com:8443"}} {
		if _, err := passkey.New("example.com", ok, store, passkey.Options{}); err != nil {
			t.Errorf("New(example.com, %q) = %v", ok, err)
		}
	}
}
