package limiter_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/limiter"
)

// login is an application's login around its own password check.
func login(ctx context.Context, l *limiter.Limiter, username, password, clientIP string) error {
	// Count the attempt before the check: concurrent guesses cannot all
	// slip in before the first one is counted.
	res, err := l.Reserve(ctx, limiter.Account(username), limiter.IP(clientIP))
	if err != nil {
		return err // *limiter.LimitedError: 429 with Retry-After; else a store failure: 503
	}
	// Settle even when the client hangs up during the check.
	settle := context.WithoutCancel(ctx)
	if password != "correct horse" { // the application's bcrypt comparison
		res.Failed(settle)
		return core.ErrInvalidCredential
	}
	return res.Succeeded(settle)
}

func Example() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	l, _ := limiter.New(limiter.Options{
		Free:   3,
		Now:    func() time.Time { return now },
		Events: func(context.Context, core.Event) {}, // quiet for the example
	})
	ctx := context.Background()
	for range 4 {
		fmt.Println(login(ctx, l, "alice", "guess", "192.0.2.1"))
	}
	err := login(ctx, l, "alice", "correct horse", "192.0.2.1")
	var limited *limiter.LimitedError
	if errors.As(err, &limited) {
		fmt.Println("locked; retry after", limited.RetryAfter())
	}
	now = now.Add(time.Second)
	fmt.Println(login(ctx, l, "alice", "correct horse", "192.0.2.1"))
	// Output:
	// core: invalid credential
	// core: invalid credential
	// core: invalid credential
	// core: invalid credential
	// locked; retry after 1s
	// <nil>
}
