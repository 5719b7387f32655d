package refresh_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/strategy/jwt/refresh"
)

// A store spends a family's current token once; presenting it again is
// reuse, which the token strategy answers by revoking the family.
func ExampleMemoryStore() {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	store := refresh.NewMemoryStore()
	first, second := refresh.HashToken("token of generation 0"), refresh.HashToken("token of generation 1")
	_ = store.Create(ctx, refresh.Family{ID: "family", UserID: "alice", Current: first, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})

	f, err := store.Rotate(ctx, "family", 0, first, second, now)
	fmt.Println(f.Generation, err)
	_, err = store.Rotate(ctx, "family", 0, first, second, now)
	fmt.Println(err, errors.Is(err, core.ErrInvalidCredential))
	// Output:
	// 1 <nil>
	// refresh: token reused true
}
