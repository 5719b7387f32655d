package adapters_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/internal/sentinels"
)

// sqlState is a driver error carrying a SQLSTATE, as pgx's and lib/pq's do.
type sqlState string

func (s sqlState) Error() string    { return "driver: SQLSTATE " + string(s) }
func (s sqlState) SQLState() string { return string(s) }

// statusCase is one error a strategy may return, and the status that must
// answer it everywhere.
type statusCase struct {
	name string
	err  error
	want int
	code string // the problem code, checked when not ""
}

// codes are the problem codes that must answer the 403 sentinels, which
// share a status and differ by code only.
var codes = map[error]string{
	core.ErrForbiddenOrigin:          httpapi.CodeForbiddenOrigin,
	core.ErrForbidden:                httpapi.CodeForbidden,
	core.ErrReauthenticationRequired: httpapi.CodeReauthenticationRequired,
}

// statusCases are every exported sentinel of every package (wrapped, as a
// return site would), plus the outages drivers report without any
// gobware sentinel.
func statusCases() []statusCase {
	var cases []statusCase
	for _, s := range sentinels.All {
		cases = append(cases, statusCase{s.Package + "." + s.Name, fmt.Errorf("strategy: %w", s.Err), s.Status, codes[s.Err]})
	}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	return append(cases,
		statusCase{"a refused connection (*net.OpError ECONNREFUSED)", fmt.Errorf("gorm: find: %w", refused), 503, ""},
		statusCase{"a bare wrapped ECONNREFUSED", fmt.Errorf("redis: %w", syscall.ECONNREFUSED), 503, ""},
		statusCase{"a reset connection", fmt.Errorf("store: %w", syscall.ECONNRESET), 503, ""},
		statusCase{"driver.ErrBadConn", fmt.Errorf("store: %w", driver.ErrBadConn), 503, ""},
		statusCase{"sql.ErrConnDone", fmt.Errorf("store: %w", sql.ErrConnDone), 503, ""},
		statusCase{"a timed-out query", fmt.Errorf("store: %w", context.DeadlineExceeded), 503, ""},
		statusCase{"PostgreSQL shutting down (SQLSTATE 57P01)", fmt.Errorf("store: %w", sqlState("57P01")), 503, ""},
		statusCase{"PostgreSQL connection failure (SQLSTATE 08006)", fmt.Errorf("store: %w", sqlState("08006")), 503, ""},
		statusCase{"MySQL gone away (text only)", errors.New("store: Error 2006: MySQL server has gone away"), 503, ""},
		statusCase{"a client that went away", fmt.Errorf("store: %w", context.Canceled), core.StatusClientClosedRequest, ""},
		statusCase{"a bug", errors.New("strategy: nil map"), 500, ""},
	)
}

// TestOneStatusTable checks that core.Status, which an adopter's own
// handler uses, httpapi.ProblemFor and every adapter's middleware answer
// each error with one and the same status.
func TestOneStatusTable(t *testing.T) {
	cases := statusCases()
	for _, c := range cases {
		if got := core.Status(c.err); got != c.want {
			t.Errorf("core.Status(%s: %v) = %d; want %d", c.name, c.err, got, c.want)
		}
		if got := httpapi.ProblemFor(c.err).Status; got != c.want {
			t.Errorf("httpapi.ProblemFor(%s: %v).Status = %d; want %d", c.name, c.err, got, c.want)
		}
		if got := httpapi.ProblemFor(c.err).Code; c.code != "" && got != c.code {
			t.Errorf("httpapi.ProblemFor(%s: %v).Code = %q; want %q", c.name, c.err, got, c.code)
		}
	}
	// One app per framework; the strategy returns the case the request names.
	auth := core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		v := r.Header("X-Case")
		if len(v) != 1 {
			return core.Identity{}, core.ErrNoCredential
		}
		i, err := strconv.Atoi(v[0])
		if err != nil {
			return core.Identity{}, core.ErrNoCredential
		}
		return core.Identity{}, cases[i].err
	})
	for name, build := range apps {
		t.Run(name, func(t *testing.T) {
			app := build(t, appConfig{auth: auth})
			for i, c := range cases {
				req := httptest.NewRequest("GET", "/private", nil)
				req.Header.Set("X-Case", strconv.Itoa(i))
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				res := app(req.WithContext(ctx))
				cancel()
				if res.StatusCode != c.want {
					t.Errorf("%s: GET /private with %s (%v) = %d; want %d", name, c.name, c.err, res.StatusCode, c.want)
				}
				if c.code != "" {
					b, _ := io.ReadAll(res.Body)
					if !strings.Contains(string(b), `"code":"`+c.code+`"`) {
						t.Errorf("%s: GET /private with %s answered %s; want the problem code %q", name, c.name, b, c.code)
					}
				}
				res.Body.Close()
			}
		})
	}
}
