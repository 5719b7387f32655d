package gorm

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/tableprefix"
	"github.com/gobware/gobware/strategy/cookie"
)

// SessionTable is the name of the session table, after the TablePrefix of
// the *gorm.DB's schema.NamingStrategy, if any.
const SessionTable = "gobware_sessions"

// sessionRow is one row of SessionTable. The column types are chosen to
// work unchanged on SQLite, PostgreSQL and MySQL/MariaDB: the hash is a
// 64-character lower-case hex string (a varchar primary key everywhere),
// times have microsecond precision and are always written in UTC.
type sessionRow struct {
	Hash       string    `gorm:"column:hash;primaryKey;size:64"`
	UserID     string    `gorm:"column:user_id;size:255;not null;index"`
	CreatedAt  time.Time `gorm:"column:created_at;not null;precision:6;autoCreateTime:false"`
	LastSeenAt time.Time `gorm:"column:last_seen_at;not null;precision:6"`
	IdleUntil  time.Time `gorm:"column:idle_until;not null;precision:6"` // indexed with expires_at: see deadAt
	ExpiresAt  time.Time `gorm:"column:expires_at;not null;precision:6"`
	UserAgent  string    `gorm:"column:user_agent;size:256;not null"`
	IP         string    `gorm:"column:ip;size:64;not null"`

	// Added with login methods and attributes. Each has a default (or is
	// nullable), so that the migration adds it to a table of an earlier
	// version, whose sessions read back with no method, an unknown auth
	// time, no attributes and a browser-session cookie.
	Method     string       `gorm:"column:method;size:32;not null;default:''"`
	AuthTime   sql.NullTime `gorm:"column:auth_time;precision:6"`
	Attributes string       `gorm:"column:attributes;size:1024;not null;default:''"` // canonical JSON; '' when none
	Persistent bool         `gorm:"column:persistent;not null;default:false"`
}

// TableName puts SessionTable after the naming strategy's TablePrefix.
func (sessionRow) TableName(namer schema.Namer) string { return tableprefix.Of(namer) + SessionTable }

// SessionStore is a cookie.Store on any GORM dialect. It is safe for
// concurrent use. It stores the SHA-256 of each session ID (cookie.Hash),
// never the ID. Find and List filter expired sessions in SQL, so an expired
// row is never returned even before Cleanup removes it.
//
// Find, which runs on every authenticated request, bypasses GORM's query
// builder: it is one prepared statement on the *sql.DB under db (see
// findStatement), so a lookup costs little more than the database's own
// primary-key read.
type SessionStore struct {
	db     *gorm.DB
	sqlDB  *sql.DB // nil when db has no *sql.DB underneath: Find and Lookup then go through GORM
	find   query
	lookup query
	insert query // Create's INSERT of every column (insertColumns)
	// textTimes makes Create send times as the text SQLite stores (see
	// appendSQLiteTime), not as time.Time for the driver to format.
	textTimes bool
}

// query is a SELECT by hash, prepared once on the pool when possible.
type query struct {
	text string
	stmt *sql.Stmt // nil when preparing failed: text is then sent unprepared
}

func (q query) row(ctx context.Context, db *sql.DB, args ...any) *sql.Row {
	if q.stmt != nil {
		return q.stmt.QueryRowContext(ctx, args...)
	}
	return db.QueryRowContext(ctx, q.text, args...)
}

// NewSessionStore brings db's tables up to date (see Migrate) and returns
// a store over SessionTable. On MySQL/MariaDB the table is created with utf8mb4 and a binary collation, so that user IDs that differ
// only in case are never confused.
func NewSessionStore(db *gorm.DB) (*SessionStore, error) {
	if db == nil {
		return nil, errNilDB
	}
	if err := Migrate(context.Background(), db); err != nil {
		return nil, err
	}
	s := &SessionStore{db: db}
	s.prepare()
	return s, nil
}

// prepare sets up the lean lookup paths: the SELECTs that Find and Lookup
// run, written for db's dialect and table name, each prepared once on the
// pool (database/sql re-prepares them on each connection as needed).
// Anything unusual (no *sql.DB under db, a failing prepare) leaves slower
// paths in place that behave the same.
func (s *SessionStore) prepare() {
	sqlDB, err := s.db.DB()
	if err != nil {
		return
	}
	stmt := &gorm.Statement{DB: s.db}
	if err := stmt.Parse(&sessionRow{}); err != nil {
		return
	}
	bind := "?"
	if s.db.Dialector.Name() == "postgres" {
		bind = "$1"
	}
	selectBy := func(columns ...string) query {
		text := "SELECT "
		for i, c := range columns {
			if i > 0 {
				text += ", "
			}
			text += stmt.Quote(c)
		}
		text += " FROM " + stmt.Quote(stmt.Schema.Table) + " WHERE " + stmt.Quote("hash") + " = " + bind
		q := query{text: text}
		if p, err := sqlDB.Prepare(text); err == nil {
			q.stmt = p
		}
		return q
	}
	s.find = selectBy("user_id", "created_at", "last_seen_at", "idle_until", "expires_at", "user_agent", "ip", "method", "auth_time", "attributes", "persistent")
	s.lookup = selectBy("user_id", "last_seen_at", "idle_until", "expires_at", "method", "auth_time", "attributes")
	text := "INSERT INTO " + stmt.Quote(stmt.Schema.Table) + " ("
	values := ""
	for i, c := range insertColumns {
		if i > 0 {
			text += ", "
			values += ", "
		}
		text += stmt.Quote(c)
		if bind == "?" {
			values += "?"
		} else {
			values += fmt.Sprintf("$%d", i+1)
		}
	}
	s.insert = query{text: text + ") VALUES (" + values + ")"}
	if p, err := sqlDB.Prepare(s.insert.text); err == nil {
		s.insert.stmt = p
	}
	s.sqlDB = sqlDB
	s.textTimes = s.db.Dialector.Name() == "sqlite"
}

// insertColumns are the columns Create writes, in the order of
// sessionRow.insertArgs: every column of the table (a test checks that
// none of sessionRow's is left out).
var insertColumns = []string{"hash", "user_id", "created_at", "last_seen_at", "idle_until", "expires_at", "user_agent", "ip", "method", "auth_time", "attributes", "persistent"}

// insertArgs returns the values of insertColumns for Create. With
// textTimes, the times are the text SQLite stores (appendSQLiteTime),
// formatted into one buffer, rather than time.Time values for the driver
// to format one by one.
func (r *sessionRow) insertArgs(textTimes bool) []any {
	args := []any{r.Hash, r.UserID, r.CreatedAt, r.LastSeenAt, r.IdleUntil, r.ExpiresAt, r.UserAgent, r.IP, r.Method, r.AuthTime, r.Attributes, r.Persistent}
	if !textTimes {
		return args
	}
	timeArgs := [...]int{2, 3, 4, 5, 9} // where the times are in args
	var buf [len(timeArgs) * 40]byte
	b := buf[:0]
	var ends [len(timeArgs)]int
	for i, j := range timeArgs {
		switch t := args[j].(type) {
		case time.Time:
			b = appendSQLiteTime(b, t)
		case sql.NullTime:
			if t.Valid {
				b = appendSQLiteTime(b, t.Time)
			}
		}
		ends[i] = len(b)
	}
	text := string(b) // one allocation; the values are slices of it
	start := 0
	for i, j := range timeArgs {
		if ends[i] > start {
			args[j] = text[start:ends[i]]
		}
		start = ends[i]
	}
	return args
}

// sqliteTimeLayout is how the SQLite driver (mattn/go-sqlite3) writes a
// time.Time: its SQLiteTimestampFormats[0]. SQLite compares the stored
// text, so every writer must keep to it byte for byte.
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// appendSQLiteTime appends t, a UTC time, as the SQLite driver writes it
// (t.AppendFormat(b, sqliteTimeLayout)), a few times faster.
func appendSQLiteTime(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	if y < 0 || y > 9999 || t.Location() != time.UTC {
		return t.AppendFormat(b, sqliteTimeLayout)
	}
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10), ' ',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	if ns := t.Nanosecond(); ns != 0 {
		var f [10]byte
		f[0] = '.'
		for i := 9; i >= 1; i-- {
			f[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := len(f)
		for f[n-1] == '0' {
			n--
		}
		b = append(b, f[:n]...)
	}
	return append(b, "+00:00"...)
}

// utcMicro normalises a time the way every dialect can store it exactly.
func utcMicro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func toRow(s cookie.Session) (sessionRow, error) {
	row := sessionRow{
		Hash:       hex.EncodeToString(s.Hash[:]),
		UserID:     s.UserID,
		CreatedAt:  utcMicro(s.CreatedAt),
		LastSeenAt: utcMicro(s.LastSeenAt),
		IdleUntil:  utcMicro(s.IdleUntil),
		ExpiresAt:  utcMicro(s.ExpiresAt),
		UserAgent:  s.UserAgent,
		IP:         s.IP,
		Method:     s.Method,
		Persistent: s.Persistent,
	}
	if !s.AuthTime.IsZero() {
		row.AuthTime = sql.NullTime{Time: utcMicro(s.AuthTime), Valid: true}
	}
	if len(s.Attributes) > 0 {
		if err := s.Attributes.Check(); err != nil {
			return sessionRow{}, fmt.Errorf("gorm: session attributes: %w", err)
		}
		b, err := json.Marshal(s.Attributes)
		if err != nil {
			return sessionRow{}, fmt.Errorf("gorm: session attributes: %w", err)
		}
		row.Attributes = string(b)
	}
	return row, nil
}

func (r sessionRow) session() (cookie.Session, error) {
	s := cookie.Session{
		UserID:     r.UserID,
		CreatedAt:  r.CreatedAt.UTC(),
		LastSeenAt: r.LastSeenAt.UTC(),
		IdleUntil:  r.IdleUntil.UTC(),
		ExpiresAt:  r.ExpiresAt.UTC(),
		UserAgent:  r.UserAgent,
		IP:         r.IP,
		Method:     r.Method,
		Persistent: r.Persistent,
	}
	if r.AuthTime.Valid {
		s.AuthTime = r.AuthTime.Time.UTC()
	}
	if n, err := hex.Decode(s.Hash[:], []byte(r.Hash)); err != nil || n != len(s.Hash) || len(r.Hash) != 2*len(s.Hash) {
		return cookie.Session{}, fmt.Errorf("gorm: corrupt session hash in %s: %w", SessionTable, core.ErrBackend)
	}
	if r.Attributes != "" {
		if err := json.Unmarshal([]byte(r.Attributes), &s.Attributes); err != nil {
			return cookie.Session{}, fmt.Errorf("gorm: corrupt session attributes in %s: %w", SessionTable, core.ErrBackend)
		}
	}
	return s, nil
}

func sessionKey(h cookie.Hash) string { return hex.EncodeToString(h[:]) }

// Create implements cookie.Store.
func (s *SessionStore) Create(ctx context.Context, sess cookie.Session) error {
	row, err := toRow(sess)
	if err != nil {
		return err
	}
	if s.sqlDB != nil {
		// One prepared INSERT, as Find is one prepared SELECT: GORM's
		// Create would cost more than the write itself on SQLite.
		if s.insert.stmt != nil {
			_, err = s.insert.stmt.ExecContext(ctx, row.insertArgs(s.textTimes)...)
		} else {
			_, err = s.sqlDB.ExecContext(ctx, s.insert.text, row.insertArgs(s.textTimes)...)
		}
		err = translate(s.db, err)
	} else {
		err = s.db.WithContext(ctx).Create(&row).Error
	}
	if err != nil {
		return fmt.Errorf("gorm: create session: %w", classifyCtx(ctx, err))
	}
	return nil
}

// Find implements cookie.Store. The row is read by its primary key and
// its deadlines checked against now here, which is the same test the SQL of
// Cleanup and List makes, without sending now to the database.
func (s *SessionStore) Find(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	if s.sqlDB == nil {
		return s.findGORM(ctx, h, now)
	}
	key := sessionKey(h)
	row := sessionRow{Hash: key}
	err := s.find.row(ctx, s.sqlDB, key).Scan(&row.UserID, &row.CreatedAt, &row.LastSeenAt, &row.IdleUntil, &row.ExpiresAt, &row.UserAgent, &row.IP,
		&row.Method, &row.AuthTime, &row.Attributes, &row.Persistent)
	return found(row, translate(s.db, err), now)
}

// Lookup implements cookie.Looker: Find without the columns authentication
// does not need (created_at, user_agent, ip, persistent). The method, auth
// time and attributes come in the same row read.
func (s *SessionStore) Lookup(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	if s.sqlDB == nil {
		return s.findGORM(ctx, h, now)
	}
	key := sessionKey(h)
	row := sessionRow{Hash: key}
	err := s.lookup.row(ctx, s.sqlDB, key).Scan(&row.UserID, &row.LastSeenAt, &row.IdleUntil, &row.ExpiresAt,
		&row.Method, &row.AuthTime, &row.Attributes)
	return found(row, translate(s.db, err), now)
}

// found turns the outcome of a lookup by hash into Find's answer.
func found(row sessionRow, err error, now time.Time) (cookie.Session, error) {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cookie.Session{}, cookie.ErrNotFound
	case err != nil:
		return cookie.Session{}, fmt.Errorf("gorm: find session: %w", classify(err))
	}
	sess, err := row.session()
	if err != nil {
		return cookie.Session{}, err
	}
	// The database stores microseconds: compare at that precision, as
	// the SQL of the other methods does.
	if !sess.Live(utcMicro(now)) {
		return cookie.Session{}, cookie.ErrNotFound
	}
	return sess, nil
}

// findGORM is Find through GORM's query builder.
func (s *SessionStore) findGORM(ctx context.Context, h cookie.Hash, now time.Time) (cookie.Session, error) {
	now = utcMicro(now)
	var row sessionRow
	err := s.db.WithContext(ctx).
		Where("hash = ? AND idle_until > ? AND expires_at > ?", sessionKey(h), now, now).
		Take(&row).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return cookie.Session{}, cookie.ErrNotFound
	case err != nil:
		return cookie.Session{}, fmt.Errorf("gorm: find session: %w", classify(err))
	}
	return row.session()
}

// Touch implements cookie.Store. A session that is missing or already dead
// at seen is left alone, so a late Touch cannot revive it.
func (s *SessionStore) Touch(ctx context.Context, h cookie.Hash, seen, idleUntil time.Time) error {
	seen = utcMicro(seen)
	err := s.db.WithContext(ctx).Model(&sessionRow{}).
		Where("hash = ? AND idle_until > ? AND expires_at > ?", sessionKey(h), seen, seen).
		Updates(map[string]any{"last_seen_at": seen, "idle_until": utcMicro(idleUntil)}).Error
	if err != nil {
		return fmt.Errorf("gorm: touch session: %w", classify(err))
	}
	return nil
}

// Rotate implements cookie.Rotator: one transaction deletes the row of old
// if it is a live session of next's user, and inserts next only if it did.
// Other readers see the old row or the new one, never both or neither (the
// transaction commits both at once); of concurrent rotations of one
// session, the DELETE of only one finds the row (the others wait for its
// row lock and then find nothing), so exactly one succeeds. The
// transaction holds the user's session-cap lock (see CreateCapped), so a
// capped login never decides on a session that is being replaced.
func (s *SessionStore) Rotate(ctx context.Context, old cookie.Hash, next cookie.Session, now time.Time) error {
	row, err := toRow(next)
	if err != nil {
		return err
	}
	now = utcMicro(now)
	err = s.userTx(ctx, next.UserID, false, func(tx *gorm.DB) error {
		res := tx.Where("hash = ? AND "+userIs+" AND idle_until > ? AND expires_at > ?", sessionKey(old), next.UserID, next.UserID, now, now).
			Delete(&sessionRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return cookie.ErrNotFound
		}
		return tx.Create(&row).Error
	})
	switch {
	case errors.Is(err, cookie.ErrNotFound):
		return err
	case err != nil:
		return fmt.Errorf("gorm: rotate session: %w", classifyCtx(ctx, err))
	}
	return nil
}

// Delete implements cookie.Store.
func (s *SessionStore) Delete(ctx context.Context, h cookie.Hash) error {
	if err := s.db.WithContext(ctx).Where("hash = ?", sessionKey(h)).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("gorm: delete session: %w", classify(err))
	}
	return nil
}

// userIs matches user_id exactly on every dialect: MySQL's PAD SPACE
// collations find "alice" equal to "alice ", which the length test refuses.
const userIs = "user_id = ? AND LENGTH(user_id) = LENGTH(?)"

// DeleteUser implements cookie.Store. Expired rows not yet cleaned up count.
//
// It holds the user's session-cap lock (see CreateCapped), as Rotate
// does: without it, on PostgreSQL a session rotated while the DELETE runs
// could survive under its new hash, which the DELETE's snapshot does not
// hold, and "log out everywhere" would miss a session that was live
// before it began.
func (s *SessionStore) DeleteUser(ctx context.Context, userID string) (int, error) {
	var n int64
	err := s.userTx(ctx, userID, false, func(tx *gorm.DB) error {
		res := tx.Where(userIs, userID, userID).Delete(&sessionRow{})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("gorm: delete user sessions: %w", classifyCtx(ctx, err))
	}
	return int(n), nil
}

// List implements cookie.Store.
func (s *SessionStore) List(ctx context.Context, userID string, now time.Time) ([]cookie.Session, error) {
	now = utcMicro(now)
	var rows []sessionRow
	err := s.db.WithContext(ctx).
		Where(userIs+" AND idle_until > ? AND expires_at > ?", userID, userID, now, now).
		Order("created_at DESC").Order("hash").
		Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("gorm: list sessions: %w", classify(err))
	}
	out := make([]cookie.Session, 0, len(rows))
	for _, r := range rows {
		sess, err := r.session()
		if err != nil {
			return nil, err
		}
		out = append(out, sess)
	}
	return out, nil
}

// Cleanup deletes the sessions that are dead at now and returns how many.
// It implements Cleaner, for StartCleanup.
func (s *SessionStore) Cleanup(ctx context.Context, now time.Time) (int64, error) {
	now = utcMicro(now)
	dead, n := deadAt(s.db.Dialector.Name())
	if s.db.Dialector.Name() == "sqlite" {
		deleted, err := s.cleanupWindows(ctx, dead, now)
		if err != nil {
			return deleted, fmt.Errorf("gorm: clean up sessions: %w", classifyCtx(ctx, err))
		}
		return deleted, nil
	}
	args := []any{now}
	if n == 2 {
		args = append(args, now)
	}
	res := s.db.WithContext(ctx).Where(dead, args...).Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("gorm: clean up sessions: %w", classify(res.Error))
	}
	return res.RowsAffected, nil
}

// cleanupWindow is how many rows one DELETE of Cleanup reads on SQLite.
var cleanupWindow = 10000

// cleanupWindows is Cleanup on SQLite, where the session table has no
// index on the deadlines (migration 5: each index is one more page every
// login writes): it reads the table in windows of cleanupWindow rows, in
// rowid order, one DELETE each, so that the write lock is never held for
// longer than one window takes (about a millisecond).
func (s *SessionStore) cleanupWindows(ctx context.Context, dead string, now time.Time) (int64, error) {
	stmt := &gorm.Statement{DB: s.db}
	table := stmt.Quote(tableprefix.Of(s.db.NamingStrategy) + SessionTable)
	db := s.db.WithContext(ctx)
	var deleted int64
	for lo := int64(0); ; {
		var hi sql.NullInt64
		err := db.Raw("SELECT max(rowid) FROM (SELECT rowid FROM "+table+" WHERE rowid > ? ORDER BY rowid LIMIT ?)", lo, cleanupWindow).Scan(&hi).Error
		if err != nil {
			return deleted, err
		}
		if !hi.Valid {
			return deleted, nil
		}
		res := db.Exec("DELETE FROM "+table+" WHERE rowid > ? AND rowid <= ? AND "+dead, lo, hi.Int64, now)
		if res.Error != nil {
			return deleted, res.Error
		}
		deleted += res.RowsAffected
		lo = hi.Int64
	}
}

// deadAt returns the condition, for dialect, that a session is dead at the
// time it is given once (n = 1) or twice (n = 2): dead at its idle
// deadline or at its absolute one, whichever comes first. Migration 4
// indexes that instant, one index where there were two (one per deadline),
// so that each INSERT writes one index fewer: an expression index on
// PostgreSQL (LEAST), a virtual column, dead_at, on MySQL/MariaDB; the
// condition is written as the index is, so that the database searches the
// index rather than the table. SQLite had one on min(...) until migration
// 5 dropped it (see cleanupWindows).
func deadAt(dialect string) (cond string, n int) {
	switch dialect {
	case "sqlite":
		return "min(idle_until, expires_at) <= ?", 1
	case "postgres":
		return "LEAST(idle_until, expires_at) <= ?", 1
	case "mysql":
		return "dead_at <= ?", 1
	}
	return "idle_until <= ? OR expires_at <= ?", 2
}
