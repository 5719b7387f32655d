package coretest_test

import (
	"fmt"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/core/coretest"
)

// ticketStrategy is a toy strategy under test: "X-Ticket: t-1" is alice's
// ticket for an hour after issued; an expired ticket is reported as an event.
func ticketStrategy(now func() time.Time, events core.EventFunc, issued time.Time) core.Strategy {
	return core.StrategyFunc(func(r core.Request) (core.Identity, error) {
		switch ticket := core.FirstHeader(r, "X-Ticket"); {
		case ticket == "":
			return core.Identity{}, core.ErrNoCredential
		case ticket != "t-1":
			return core.Identity{}, core.ErrInvalidCredential
		case now().Sub(issued) > time.Hour:
			events(r.Context(), core.Event{Type: core.EventInvalidToken, UserID: "alice", Reason: "expired"})
			return core.Identity{}, core.ErrInvalidCredential
		}
		return core.Identity{UserID: "alice", Strategy: "ticket"}, nil
	})
}

// Example tests a strategy's expiry without sleeping: the Clock is moved
// past the ticket's lifetime, and Events shows what the strategy reported.
func Example() {
	clock := &coretest.Clock{} // reads coretest.Epoch until moved
	events := &coretest.Events{}
	auth := ticketStrategy(clock.Now, events.Record, clock.Now())

	r := (&coretest.Request{IP: "192.0.2.1"}).AddHeader("X-Ticket", "t-1")
	id, err := auth.Authenticate(r)
	fmt.Printf("fresh: %q, status %d\n", id.UserID, core.Status(err))

	clock.Advance(time.Hour + time.Second)
	id, err = auth.Authenticate(r)
	fmt.Printf("an hour later: %q, status %d\n", id.UserID, core.Status(err))
	fmt.Println("expiry events:", events.Count(core.EventInvalidToken))

	_, err = auth.Authenticate(&coretest.Request{})
	fmt.Println("no ticket:", core.Status(err))
	// Output:
	// fresh: "alice", status 200
	// an hour later: "", status 401
	// expiry events: 1
	// no ticket: 401
}
