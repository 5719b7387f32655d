package redis

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/passkey/passkeystore"
)

// ChallengeStore is a passkeystore.ChallengeStore in Redis or Redis
// Cluster, shared by every server pointed at it, so that a passkey ceremony
// begun on one server can finish on another. It is safe for concurrent
// use, by any number of processes sharing one Redis.
//
// Keys, after the prefix:
//
//	pk:<hex SHA-256 of the challenge>  string: "<ceremony> <expiry, µs since the epoch> <user ID>"
//
// One key per challenge, named by its hash: the challenge itself is never
// stored. The user ID comes last, so it may hold any byte, spaces included; a
// ceremony may not contain a space (passkey's are "registration" and
// "login"). Every operation touches one key, so the store works on Redis
// Cluster as on one Redis.
//
// A key expires (Redis TTL) at its challenge's ExpiresAt, so Redis removes
// unanswered challenges itself and no cleanup loop is needed. Put stores
// nothing, and returns nil, when ExpiresAt is not after Options.Now: such a
// challenge would be refused as expired anyway. Take is one GETDEL (Redis
// 6.2 or later), so of concurrent Takes of one challenge exactly one gets
// it.
type ChallengeStore struct {
	client goredis.UniversalClient
	prefix string
	now    func() time.Time
}

// NewChallengeStore returns a passkey challenge store on client, using
// opts.Now as its clock. It does not contact Redis.
func NewChallengeStore(client goredis.UniversalClient, opts Options) (*ChallengeStore, error) {
	if err := checkClient(client); err != nil {
		return nil, err
	}
	return &ChallengeStore{client: client, prefix: opts.prefix() + "pk:", now: opts.now}, nil
}

func (s *ChallengeStore) key(hash [32]byte) string { return s.prefix + hex.EncodeToString(hash[:]) }

// Put implements passkeystore.ChallengeStore.
func (s *ChallengeStore) Put(ctx context.Context, c passkeystore.Challenge) error {
	if strings.Contains(string(c.Ceremony), " ") {
		return fmt.Errorf("redis: store passkey challenge: ceremony %q contains a space", c.Ceremony)
	}
	if !s.now().Before(c.ExpiresAt) {
		return nil
	}
	value := string(c.Ceremony) + " " + micros(c.ExpiresAt) + " " + c.UserID
	if err := s.client.Do(ctx, "SET", s.key(c.Hash), value, "PXAT", expireAt(c.ExpiresAt)).Err(); err != nil {
		return fmt.Errorf("redis: store passkey challenge: %w", classify(err))
	}
	return nil
}

// Take implements passkeystore.ChallengeStore.
func (s *ChallengeStore) Take(ctx context.Context, hash [32]byte) (passkeystore.Challenge, error) {
	value, err := s.client.GetDel(ctx, s.key(hash)).Result()
	if errNil(err) {
		return passkeystore.Challenge{}, passkeystore.ErrNotFound
	}
	if err != nil {
		return passkeystore.Challenge{}, fmt.Errorf("redis: use passkey challenge: %w", classify(err))
	}
	fields := strings.SplitN(value, " ", 3)
	if len(fields) != 3 || fields[1] == "" {
		return passkeystore.Challenge{}, fmt.Errorf("redis: use passkey challenge: %w", ErrCorrupt)
	}
	expires, err := parseMicros(fields[1])
	if err != nil {
		return passkeystore.Challenge{}, fmt.Errorf("redis: use passkey challenge: %w", err)
	}
	return passkeystore.Challenge{Hash: hash, Ceremony: passkeystore.Ceremony(fields[0]), UserID: fields[2], ExpiresAt: expires}, nil
}
