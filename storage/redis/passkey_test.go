package redis_test

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/passkey/passkeystore"
	"github.com/gobware/gobware/passkey/passkeytest"
	redisstore "github.com/gobware/gobware/storage/redis"
)

var _ passkeystore.ChallengeStore = (*redisstore.ChallengeStore)(nil)

func newChallengeStore(t *testing.T, r testRedis) *redisstore.ChallengeStore {
	t.Helper()
	st, err := redisstore.NewChallengeStore(r.client, r.opts)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func randomChallenge(t *testing.T, c passkeystore.Ceremony, user string, expires time.Time) passkeystore.Challenge {
	t.Helper()
	var h [32]byte
	if _, err := rand.Read(h[:]); err != nil {
		t.Fatal(err)
	}
	return passkeystore.Challenge{Hash: h, Ceremony: c, UserID: user, ExpiresAt: expires}
}

func TestChallengeStoreConformance(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st := newChallengeStore(t, r)
		passkeytest.TestChallengeStore(t, func(*testing.T) passkeystore.ChallengeStore { return st })
	})
}

// A challenge's key carries a Redis TTL at its deadline (rounded up to
// Redis's millisecond), so Redis drops unanswered challenges by itself; a
// challenge already past its deadline is not written at all.
func TestChallengeKeysExpireAtTheirDeadlines(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		now := time.Now().UTC().Truncate(time.Millisecond)
		opts := r.opts
		opts.Now = func() time.Time { return now }
		st, err := redisstore.NewChallengeStore(r.client, opts)
		if err != nil {
			t.Fatal(err)
		}
		key := func(c passkeystore.Challenge) string { return r.opts.Prefix + "pk:" + hex.EncodeToString(c.Hash[:]) }
		for _, tc := range []struct {
			name    string
			expires time.Time
			want    time.Time
		}{
			{"a deadline on the millisecond", now.Add(passkeystore.ChallengeTTL), now.Add(passkeystore.ChallengeTTL)},
			{"a deadline between two milliseconds", now.Add(passkeystore.ChallengeTTL + 1500*time.Microsecond), now.Add(passkeystore.ChallengeTTL + 2*time.Millisecond)},
		} {
			c := randomChallenge(t, passkeystore.Login, "", tc.expires)
			if err := st.Put(ctx, c); err != nil {
				t.Fatal(err)
			}
			d, err := r.client.PExpireTime(ctx, key(c)).Result()
			if err != nil || d <= 0 {
				t.Fatalf("%s: PEXPIRETIME = %v, %v; want a deadline", tc.name, d, err)
			}
			if got := time.UnixMilli(d.Milliseconds()).UTC(); !got.Equal(tc.want) {
				t.Errorf("%s: PEXPIRETIME = %v; want %v", tc.name, got, tc.want)
			}
		}
		for _, expires := range []time.Time{now, now.Add(-time.Second), {}} {
			c := randomChallenge(t, passkeystore.Login, "", expires)
			if err := st.Put(ctx, c); err != nil {
				t.Errorf("Put(expires %v, now %v) = %v; want nil", expires, now, err)
			}
			if n, err := r.client.Exists(ctx, key(c)).Result(); err != nil || n != 0 {
				t.Errorf("a challenge expiring at %v, put at %v, was written: EXISTS = %d, %v", expires, now, n, err)
			}
		}
	})
}

// The value is "<ceremony> <µs> <user ID>": a user ID of any bytes reads
// back as it was, a ceremony with a space is refused, and a value this
// package did not write is ErrCorrupt, never a missing challenge.
func TestChallengeStoreEncoding(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		ctx := t.Context()
		st := newChallengeStore(t, r)
		expires := time.Now().Add(time.Minute).UTC().Truncate(time.Microsecond)

		c := randomChallenge(t, passkeystore.Registration, " alice  the\n\x00second ", expires)
		if err := st.Put(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Take(ctx, c.Hash); err != nil || got.UserID != c.UserID || got.Ceremony != c.Ceremony ||
			!got.ExpiresAt.Equal(c.ExpiresAt) || got.ExpiresAt.Location() != time.UTC {
			t.Errorf("Take = %+v, %v; want %+v, in UTC", got, err, c)
		}
		if err := st.Put(ctx, randomChallenge(t, "log in", "", expires)); err == nil {
			t.Error("Put(ceremony with a space) = nil; want an error")
		}

		for _, value := range []string{"", "garbage", "login 123", "login  alice", "login soon alice"} {
			c := randomChallenge(t, passkeystore.Login, "", expires)
			if err := r.client.Set(ctx, r.opts.Prefix+"pk:"+hex.EncodeToString(c.Hash[:]), value, time.Minute).Err(); err != nil {
				t.Fatal(err)
			}
			_, err := st.Take(ctx, c.Hash)
			if !errors.Is(err, redisstore.ErrCorrupt) || !errors.Is(err, core.ErrBackend) || errors.Is(err, passkeystore.ErrNotFound) {
				t.Errorf("Take(value %q) = %v; want %v only", value, err, redisstore.ErrCorrupt)
			}
		}
	})
}
