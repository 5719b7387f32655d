package gorm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gobware/gobware/internal/testdb"
	gormstore "github.com/gobware/gobware/storage/gorm"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/cookie/cookietest"
)

// The session store passes the session-store conformance suite on SQLite,
// and on PostgreSQL and MySQL/MariaDB when their DSNs are set.
func TestSessionStoreConformance(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d testdb.DB) {
		st := newSessionStore(t, d)
		cookietest.TestStore(t, func(*testing.T) cookietest.Target {
			return cookietest.Target{
				Store:   st,
				Cleanup: st.Cleanup,
				Dump: func(ctx context.Context) ([]string, error) {
					var rows []map[string]any
					if err := d.DB.WithContext(ctx).Table(sessionTable(d)).Find(&rows).Error; err != nil {
						return nil, err
					}
					var out []string
					for _, r := range rows {
						for col, v := range r {
							out = append(out, fmt.Sprintf("%s=%v|%s", col, v, v))
						}
					}
					return out, nil
				},
			}
		})
	})
}

var _ cookie.Capper = (*gormstore.SessionStore)(nil)
