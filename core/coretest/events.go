package coretest

import (
	"context"
	"sync"

	"github.com/gobware/gobware/core"
)

// Events records security events. Inject its Record method where code takes
// a core.EventFunc. The zero Events is ready to use and safe for concurrent
// use.
type Events struct {
	mu     sync.Mutex
	events []core.Event
}

// Record appends e. Its signature is core.EventFunc's.
func (l *Events) Record(_ context.Context, e core.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

// All returns a copy of the events recorded so far, in order.
func (l *Events) All() []core.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]core.Event(nil), l.events...)
}

// Count returns how many events of type typ were recorded.
func (l *Events) Count(typ core.EventType) int {
	n := 0
	for _, e := range l.All() {
		if e.Type == typ {
			n++
		}
	}
	return n
}
