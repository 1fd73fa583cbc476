package ingesttest

import (
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
)

// StatusHost is a component.Host that keeps every componentstatus event
// reported to it; it is safe for the inputs' goroutines and the test to use
// at once.
type StatusHost struct {
	component.Host

	mu     sync.Mutex
	events []*componentstatus.Event
}

var _ componentstatus.Reporter = (*StatusHost)(nil)

// NewStatusHost returns a StatusHost with no events.
func NewStatusHost() *StatusHost { return &StatusHost{Host: componenttest.NewNopHost()} }

// Report keeps ev.
func (h *StatusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

// Events is a copy of the events reported so far, oldest first.
func (h *StatusHost) Events() []*componentstatus.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*componentstatus.Event(nil), h.events...)
}

// Count is how many reported events had status st.
func (h *StatusHost) Count(st componentstatus.Status) int {
	n := 0
	for _, ev := range h.Events() {
		if ev.Status() == st {
			n++
		}
	}
	return n
}

// Last is the status of the latest event, StatusNone before any.
func (h *StatusHost) Last() componentstatus.Status {
	evs := h.Events()
	if len(evs) == 0 {
		return componentstatus.StatusNone
	}
	return evs[len(evs)-1].Status()
}
