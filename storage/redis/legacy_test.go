package redis_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/gobware/gobware/core/coretest"
	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/jwt"
)

func randomB64(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// seedEarlierLayout writes a family as earlier versions did: one rt: hash
// per token (all spent but the last), a family hash without generation,
// and the user index. It returns the tokens in issue order.
func seedEarlierLayout(t *testing.T, r testRedis, user string, n int, now time.Time) []string {
	t.Helper()
	ctx := t.Context()
	fam := randomB64(t, 16)
	exp := strconv.FormatInt(now.Add(24*time.Hour).UnixMicro(), 10)
	var toks []string
	for i := range n + 1 {
		tok := randomB64(t, 32)
		toks = append(toks, tok)
		h := jwt.HashToken(tok)
		used := ""
		if i < n {
			used = strconv.FormatInt(now.Add(time.Duration(i-n)*time.Minute).UnixMicro(), 10)
		}
		key := r.opts.Prefix + "rt:" + hex.EncodeToString(h[:])
		if err := r.client.HSet(ctx, key, "fam", fam, "user", user, "iat", strconv.FormatInt(now.UnixMicro(), 10), "exp", exp, "used", used).Err(); err != nil {
			t.Fatal(err)
		}
		r.client.Expire(ctx, key, 24*time.Hour)
	}
	if err := r.client.HSet(ctx, r.opts.Prefix+"rf:"+fam, "user", user, "exp", exp, "revoked", "0").Err(); err != nil {
		t.Fatal(err)
	}
	r.client.SAdd(ctx, r.opts.Prefix+"ru:"+user, fam)
	return toks
}

func TestRefreshStoreReadsTheEarlierLayout(t *testing.T) {
	backends(t, func(t *testing.T, r testRedis) {
		st, err := redisstore.NewRefreshStore(r.client, r.opts)
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		now := time.Now().UTC().Truncate(time.Second)
		clock := coretest.NewClock(now)
		s, err := jwt.New([][]byte{make([]byte, 32)}, st, jwt.Options{Now: clock.Now, Events: (&coretest.Events{}).Record})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("the unspent token rotates into the current format and the family continues", func(t *testing.T) {
			toks := seedEarlierLayout(t, r, "alice", 4, now)
			before, _ := r.keys(ctx)
			p, err := s.Refresh(ctx, toks[len(toks)-1])
			if err != nil || len(p.RefreshToken) != 76 {
				t.Fatalf("Refresh(unspent earlier token) = %d chars, %v", len(p.RefreshToken), err)
			}
			for range 20 {
				clock.Advance(time.Second)
				if p, err = s.Refresh(ctx, p.RefreshToken); err != nil {
					t.Fatal(err)
				}
			}
			if after, _ := r.keys(ctx); len(after) != len(before) {
				t.Errorf("%d keys after 21 rotations; want %d, as before", len(after), len(before))
			}
			if _, err := s.Refresh(ctx, toks[len(toks)-1]); !errors.Is(err, jwt.ErrReused) {
				t.Errorf("Refresh(the earlier token again) = %v; want %v", err, jwt.ErrReused)
			}
			if _, err := s.Refresh(ctx, p.RefreshToken); !errors.Is(err, jwt.ErrRevoked) {
				t.Errorf("Refresh(newest) after reuse = %v; want %v", err, jwt.ErrRevoked)
			}
		})
		t.Run("a spent earlier token is reuse and revokes the family", func(t *testing.T) {
			toks := seedEarlierLayout(t, r, "bob", 3, now)
			if _, err := s.Refresh(ctx, toks[0]); !errors.Is(err, jwt.ErrReused) {
				t.Errorf("Refresh(spent earlier token) = %v; want %v", err, jwt.ErrReused)
			}
			if _, err := s.Refresh(ctx, toks[len(toks)-1]); !errors.Is(err, jwt.ErrRevoked) {
				t.Errorf("Refresh(its unspent sibling) = %v; want %v", err, jwt.ErrRevoked)
			}
		})
		t.Run("log out everywhere reaches families of the earlier layout", func(t *testing.T) {
			toks := seedEarlierLayout(t, r, "carol", 1, now)
			if err := s.RevokeUser(ctx, "carol"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Refresh(ctx, toks[1]); !errors.Is(err, jwt.ErrRevoked) {
				t.Errorf("Refresh after RevokeUser = %v; want %v", err, jwt.ErrRevoked)
			}
		})
	})
}
