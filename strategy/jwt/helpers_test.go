package jwt_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/gobware/gobware/core/coretest"
	"github.com/gobware/gobware/strategy/jwt"
)

var (
	key1 = bytes.Repeat([]byte{1}, 32)
	key2 = bytes.Repeat([]byte{2}, 32)
	key3 = bytes.Repeat([]byte{3}, 32)
)

// epoch is the fake clock's start: tests never depend on the real time.
var epoch = coretest.Epoch

// bearer returns a request carrying token in its Authorization header.
func bearer(token string) *coretest.Request {
	return (&coretest.Request{}).AddHeader("Authorization", "Bearer "+token)
}

// newStrategy returns a Strategy over a memory store with a fake clock and
// recorded events. opts.Now and opts.Events are set when nil.
func newStrategy(t testing.TB, keys [][]byte, opts jwt.Options) (*jwt.Strategy, *coretest.Clock, *coretest.Events) {
	t.Helper()
	c, ev := coretest.NewClock(epoch), &coretest.Events{}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.Events == nil {
		opts.Events = ev.Record
	}
	s, err := jwt.New(keys, jwt.NewMemoryStore(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, c, ev
}

func mustToken(t testing.TB, s *jwt.Strategy, userID string) string {
	t.Helper()
	tok, _, err := s.AccessToken(userID)
	if err != nil {
		t.Fatalf("AccessToken(%q): %v", userID, err)
	}
	return tok
}

var (
	base64Decode  = base64.RawURLEncoding.DecodeString
	jsonUnmarshal = json.Unmarshal
)
