package redis

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/gobware/gobware/strategy/cookie"
)

// SessionStore is a cookie.Store in Redis or Redis Cluster. It is safe for
// concurrent use, by any number of processes sharing one Redis.
//
// Keys, after the prefix:
//
//	s:<hex SHA-256 of the ID>  hash: user, created, seen, idle, exp, ua, ip,
//	                           method, auth, attrs (JSON), persist ("1" or "0");
//	                           from, rsv while an update's successor is pending;
//	                           moved, muser only, once an update moved it (a marker)
//	u:<user ID>                sorted set of the user's session hashes
//
// Each session key hashes to a slot of its own; the user's index lives in
// the user's slot. No script touches both: how the writes to the two keys
// are ordered, and why that keeps every guarantee, is in the package
// documentation. A session being created is first written as pending (the
// user under "puser" instead of "user"), which Find and List never show,
// then indexed, then made live.
//
// A session key expires (Redis TTL) at the earlier of its idle and absolute
// deadlines, and Touch moves it; Find and List also compare the deadlines
// with the caller's clock, so expiry is exact whatever Redis's clock says.
// The per-user index makes List and DeleteUser cost one key per session of
// that user, with no key scan; it expires with the user's last session, and
// members whose session key is gone are dropped as List meets them.
type SessionStore struct {
	client goredis.UniversalClient
	prefix string
}

// NewSessionStore returns a session store on client (a *goredis.Client or
// a *goredis.ClusterClient). It does not contact Redis.
func NewSessionStore(client goredis.UniversalClient, opts Options) (*SessionStore, error) {
	if err := checkClient(client); err != nil {
		return nil, err
	}
	return &SessionStore{client: client, prefix: opts.prefix()}, nil
}

func (s *SessionStore) sessionPrefix() string { return s.prefix + "s:" }
func (s *SessionStore) userKey(u string) string {
	return s.prefix + "u:" + u
}

func (s *SessionStore) key(h cookie.Hash) string {
	return s.sessionPrefix() + hex.EncodeToString(h[:])
}

// extendIndex gives the key KEYS[1] an expiry no earlier than the Unix
// millisecond at: GT alone would never set one on a key without expiry.
const extendIndex = `
local function extend(key, at)
  if redis.call('PTTL', key) == -1 then
    redis.call('PEXPIREAT', key, at)
  else
    redis.call('PEXPIREAT', key, at, 'GT')
  end
end
`

// reserveSession writes a pending session: every field, the user under
// puser, so that neither Find nor List nor Touch takes it for a session.
// It answers 0, writing nothing, when the key exists.
var reserveSession = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'puser', ARGV[1], 'created', ARGV[2], 'seen', ARGV[3],
  'idle', ARGV[4], 'exp', ARGV[5], 'ua', ARGV[6], 'ip', ARGV[7],
  'method', ARGV[9], 'auth', ARGV[10], 'attrs', ARGV[11], 'persist', ARGV[12])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
return 1
`)

// indexSession adds member ARGV[2] to the index KEYS[1] with score ARGV[1]
// and keeps the index until ARGV[3] at least.
var indexSession = goredis.NewScript(extendIndex + `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
extend(KEYS[1], ARGV[3])
return 1
`)

// activateSession makes a pending session live. It answers 0 when the key
// is no longer pending: ended (by DeleteUser or a session cap) or expired
// before it was made live.
var activateSession = goredis.NewScript(`
local u = redis.call('HGET', KEYS[1], 'puser')
if not u then return 0 end
redis.call('HSET', KEYS[1], 'user', u)
redis.call('HDEL', KEYS[1], 'puser')
return 1
`)

// endSession deletes KEYS[1] when it is a session of user ARGV[1], live or
// pending, or the moved marker a rotation left of one. It answers 1 for a
// live one, 2 for a pending one, "moved:<hex hash>" for a marker (the
// session it moved to, which the caller ends too), 3 when the key does not
// exist and 0 when it belongs to someone else (left alone).
var endSession = goredis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'user', 'puser', 'moved', 'muser')
if v[1] == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
if v[2] == ARGV[1] then redis.call('DEL', KEYS[1]) return 2 end
if v[4] == ARGV[1] and v[3] then redis.call('DEL', KEYS[1]) return 'moved:' .. v[3] end
if not v[1] and not v[2] and not v[4] then return 3 end
return 0
`)

// Create implements cookie.Store. A duplicate hash is ErrDuplicate. It
// writes the session pending, indexes it in the user's slot, then makes it
// live: three round trips, each atomic on one key.
func (s *SessionStore) Create(ctx context.Context, sess cookie.Session) error {
	if err := s.reserve(ctx, sess); err != nil {
		return fmt.Errorf("redis: create session: %w", err)
	}
	member := hex.EncodeToString(sess.Hash[:])
	if err := indexSession.Run(ctx, s.client, []string{s.userKey(sess.UserID)},
		micros(sess.CreatedAt), member, expireAt(sess.ExpiresAt)).Err(); err != nil {
		return fmt.Errorf("redis: create session: %w", classify(err))
	}
	if err := s.activate(ctx, sess.Hash); err != nil {
		return fmt.Errorf("redis: create session: %w", err)
	}
	return nil
}

func (s *SessionStore) reserve(ctx context.Context, sess cookie.Session) error {
	carried, err := carriedFields(sess)
	if err != nil {
		return err
	}
	n, err := reserveSession.Run(ctx, s.client, []string{s.key(sess.Hash)}, append([]any{
		sess.UserID, micros(sess.CreatedAt), micros(sess.LastSeenAt), micros(sess.IdleUntil), micros(sess.ExpiresAt),
		sess.UserAgent, sess.IP, expireAt(earlier(sess.IdleUntil, sess.ExpiresAt))}, carried...)...,
	).Int()
	switch {
	case err != nil:
		return classify(err)
	case n == 0:
		return ErrDuplicate
	}
	return nil
}

// activate makes the pending session h live. A session that stopped being
// pending in the meantime was ended by a racing DeleteUser or session cap,
// which ordered the login before the logout: that is a success whose
// session is already over, not an error.
func (s *SessionStore) activate(ctx context.Context, h cookie.Hash) error {
	if err := activateSession.Run(ctx, s.client, []string{s.key(h)}).Err(); err != nil {
		return classify(err)
	}
	return nil
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// carriedFields are the values of the fields method, auth, attrs and
// persist for sess: what the session carries for the application.
func carriedFields(sess cookie.Session) ([]any, error) {
	attrs := ""
	if len(sess.Attributes) > 0 {
		if err := sess.Attributes.Check(); err != nil {
			return nil, err
		}
		b, err := json.Marshal(sess.Attributes)
		if err != nil {
			return nil, err
		}
		attrs = string(b)
	}
	persist := "0"
	if sess.Persistent {
		persist = "1"
	}
	return []any{sess.Method, micros(sess.AuthTime), attrs, persist}, nil
}

var (
	// sessionFields are the fields of a session. The last four (what the
	// session carries for the application) are missing from sessions
	// written by earlier versions, which read as carrying nothing.
	sessionFields = []string{"user", "created", "seen", "idle", "exp", "ua", "ip", "method", "auth", "attrs", "persist"}
	// listFields adds puser, the user of a pending session.
	listFields = append(append([]string(nil), sessionFields...), "puser")
)

// Find implements cookie.Store: one HMGET, on the session's own slot.
func (s *SessionStore) Find(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	vals, err := s.client.HMGet(ctx, s.key(h), sessionFields...).Result()
	if err != nil {
		return cookie.Session{}, fmt.Errorf("redis: find session: %w", classify(err))
	}
	sess, ok, err := decodeSession(h, vals)
	switch {
	case err != nil:
		return cookie.Session{}, fmt.Errorf("redis: find session: %w", err)
	case !ok || !sess.Live(now):
		return cookie.Session{}, cookie.ErrNotFound
	}
	return sess, nil
}

// decodeSession reads the HMGET answer for sessionFields; ok is false when
// the key does not exist or holds a pending session (no user field).
func decodeSession(h cookie.Hash, vals []any) (sess cookie.Session, ok bool, err error) {
	if len(vals) != len(sessionFields) || vals[0] == nil {
		return cookie.Session{}, false, nil
	}
	const required = 7 // user to ip
	str := make([]string, len(vals))
	for i, v := range vals {
		x, isStr := v.(string)
		if !isStr && (i < required || v != nil) {
			return cookie.Session{}, false, ErrCorrupt
		}
		str[i] = x
	}
	sess = cookie.Session{Hash: h, UserID: str[0], UserAgent: str[5], IP: str[6], Method: str[7], Persistent: str[10] == "1"}
	for i, dst := range []*time.Time{&sess.CreatedAt, &sess.LastSeenAt, &sess.IdleUntil, &sess.ExpiresAt} {
		if *dst, err = parseMicros(str[1+i]); err != nil || dst.IsZero() {
			return cookie.Session{}, false, ErrCorrupt
		}
	}
	if sess.AuthTime, err = parseMicros(str[8]); err != nil {
		return cookie.Session{}, false, ErrCorrupt
	}
	if str[9] != "" {
		if err := json.Unmarshal([]byte(str[9]), &sess.Attributes); err != nil {
			return cookie.Session{}, false, ErrCorrupt
		}
	}
	return sess, true, nil
}

var touchSession = goredis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'idle', 'exp', 'user')
if not v[1] or not v[2] or not v[3] then return 0 end
local seen = tonumber(ARGV[1])
if tonumber(v[1]) <= seen or tonumber(v[2]) <= seen then return 0 end
redis.call('HSET', KEYS[1], 'seen', ARGV[1], 'idle', ARGV[2])
local dl = math.min(tonumber(ARGV[2]), tonumber(v[2]))
redis.call('PEXPIREAT', KEYS[1], string.format('%.0f', math.ceil(dl / 1000)))
return 1
`)

// Touch implements cookie.Store. A session that is missing, pending or
// already dead at seen is left alone, so a late Touch cannot revive it,
// and a Touch racing a Delete never recreates the key.
func (s *SessionStore) Touch(ctx context.Context, h cookie.Hash, seen, idleUntil time.Time) error {
	if err := touchSession.Run(ctx, s.client, []string{s.key(h)}, micros(seen), micros(idleUntil)).Err(); err != nil {
		return fmt.Errorf("redis: touch session: %w", classify(err))
	}
	return nil
}

// deleteSession deletes KEYS[1] and answers its user (live or pending), or
// false when there was no session.
var deleteSession = goredis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'user', 'puser')
local u = v[1] or v[2]
if not u then return false end
redis.call('DEL', KEYS[1])
return u
`)

// Delete implements cookie.Store: the session key first, then its member
// in the user's index (a member without a session is ignored by every
// read and dropped by List).
func (s *SessionStore) Delete(ctx context.Context, h cookie.Hash) error {
	user, err := deleteSession.Run(ctx, s.client, []string{s.key(h)}).Text()
	switch {
	case errNil(err):
		return nil
	case err != nil:
		return fmt.Errorf("redis: delete session: %w", classify(err))
	}
	if err := s.client.ZRem(ctx, s.userKey(user), hex.EncodeToString(h[:])).Err(); err != nil {
		return fmt.Errorf("redis: delete session: %w", classify(err))
	}
	return nil
}

// DeleteUser implements cookie.Store: it reads the user's index, deletes
// every session it lists (pending ones too, so that a login racing it
// never makes its session live afterwards), then removes those members
// from the index. Members added after the read are left, with their
// sessions: those logins come after the logout. Sessions whose Redis TTL
// has run out are gone already and are not counted.
func (s *SessionStore) DeleteUser(ctx context.Context, userID string) (int, error) {
	index := s.userKey(userID)
	members, err := s.client.ZRange(ctx, index, 0, -1).Result()
	if err != nil {
		return 0, fmt.Errorf("redis: delete user sessions: %w", classify(err))
	}
	n, err := s.end(ctx, index, userID, members)
	if err != nil {
		return 0, fmt.Errorf("redis: delete user sessions: %w", err)
	}
	return n, nil
}

// end deletes the sessions of members (user's, live or pending) and then
// removes from the index the members whose key is now gone. It answers
// how many live sessions it deleted. When some shard fails, the members
// whose session may still exist stay in the index, and the error wraps
// core.ErrUnavailable.
func (s *SessionStore) end(ctx context.Context, index, user string, members []string) (int, error) {
	if len(members) == 0 {
		return 0, nil
	}
	cmds := make([]*goredis.Cmd, len(members))
	pipe := s.client.Pipeline()
	for i, m := range members {
		cmds[i] = endSession.Eval(ctx, pipe, []string{s.sessionPrefix() + m}, user)
	}
	_, execErr := pipe.Exec(ctx)
	n := 0
	var done []any
	var moved []string
	for i, cmd := range cmds {
		switch v := cmd.Val().(type) {
		case int64:
			if cmd.Err() != nil {
				continue
			}
			if v == 1 {
				n++
			}
		case string:
			m, ok := strings.CutPrefix(v, endMoved)
			if !ok || cmd.Err() != nil {
				continue
			}
			moved = append(moved, m)
		default:
			continue
		}
		done = append(done, members[i])
	}
	// A rotation that finished after the index was read left a marker:
	// its session is the user's too, and ends with the others.
	followed, followErr := s.followMoved(ctx, user, moved)
	n += followed
	var remErr error
	if len(done) > 0 {
		remErr = s.client.ZRem(ctx, index, done...).Err()
	}
	if err := errors.Join(execErr, followErr, remErr); err != nil {
		return 0, classify(err)
	}
	return n, nil
}

// List implements cookie.Store: two round trips whatever the number of
// sessions (the index, then every session in one pipeline).
//
// A session a capped login has flagged to end is left out. The sessions
// are read after the index, one key at a time (on a Redis Cluster from
// several nodes at once), so without that a List racing a capped login
// could read the victim before its deletion and the new session after it
// went live, and show one session more than the cap. The flag and the new
// session's member are written in one MULTI: an index read before it lists
// the victim but not the new session, one read after it the new session
// but not the victim.
func (s *SessionStore) List(ctx context.Context, userID string, now time.Time) ([]cookie.Session, error) {
	index := s.userKey(userID)
	zs, err := s.client.ZRangeWithScores(ctx, index, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: list sessions: %w", classify(err))
	}
	members := make([]string, 0, len(zs))
	for _, z := range zs {
		if m, _ := z.Member.(string); z.Score != flagged {
			members = append(members, m)
		}
	}
	if len(members) == 0 {
		return nil, nil
	}
	hashes := make([]cookie.Hash, len(members))
	cmds := make([]*goredis.SliceCmd, len(members))
	pipe := s.client.Pipeline()
	for i, m := range members {
		if !decodeMember(&hashes[i], m) {
			return nil, fmt.Errorf("redis: list sessions: %w", ErrCorrupt)
		}
		cmds[i] = pipe.HMGet(ctx, s.sessionPrefix()+m, listFields...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("redis: list sessions: %w", classify(err))
	}
	var out []cookie.Session
	var gone []any
	for i, cmd := range cmds {
		vals := cmd.Val()
		if len(vals) != len(listFields) {
			return nil, fmt.Errorf("redis: list sessions: %w", ErrCorrupt)
		}
		sess, ok, err := decodeSession(hashes[i], vals[:len(sessionFields)])
		switch {
		case err != nil:
			return nil, fmt.Errorf("redis: list sessions: %w", err)
		case !ok && vals[len(sessionFields)] == nil:
			gone = append(gone, members[i])
		case ok && sess.Live(now) && sess.UserID == userID:
			out = append(out, sess)
		}
	}
	if len(gone) > 0 {
		// Their keys are gone (expired or deleted), and a missing key
		// never becomes a session: only a pending one is made live. A
		// failure only leaves the index a little larger.
		_ = s.client.ZRem(ctx, index, gone...).Err()
	}
	sortSessions(out)
	return out, nil
}

// sortSessions puts sessions in List's order: newest first, then by hash.
func sortSessions(ss []cookie.Session) {
	slices.SortFunc(ss, cookie.NewestFirst)
}

func decodeMember(h *cookie.Hash, m string) bool {
	n, err := hex.Decode(h[:], []byte(m))
	return err == nil && n == len(h) && len(m) == 2*n
}

// errNil reports a goredis.Nil; kept in one place so no store mistakes it
// for an outage.
func errNil(err error) bool { return errors.Is(err, goredis.Nil) }
