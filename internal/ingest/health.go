package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
)

// Health folds what the inputs report into the receiver's one component
// status, so that one part's OK cannot hide another's error: recoverable
// error while any part (an input, a socket endpoint, a broker connection)
// is down, naming each; OK once none is. Inputs report through it, never
// through the host directly.
type Health struct {
	host component.Host

	mu sync.Mutex
	// down holds the current error of each part in recoverable error.
	down map[string]error
	// pending holds the parts expected to report (see Expect) that have
	// not yet.
	pending map[string]bool
	// last is what was last reported, so that an event that changes
	// nothing (a part's OK while another is still down) is not repeated.
	last string
}

// NewHealth reports to host; a host that is not a componentstatus.Reporter
// (or nil) makes every report a no-op.
func NewHealth(host component.Host) *Health {
	return &Health{host: host, down: map[string]error{}, pending: map[string]bool{}}
}

// Expect names a part that will report, before it starts trying: until
// every expected part has reported once, Up or Down, no OK is reported.
// Without it, a part that connects quickly (an MQTT broker) could report
// the receiver OK before another (a socket agent that is down) has made
// its first attempt.
func (h *Health) Expect(part string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pending[part] = true
}

// Down marks part as in recoverable error because of err. Reports made
// after ctx is done (an input shutting down) are ignored.
func (h *Health) Down(ctx context.Context, part string, err error) {
	if ctx.Err() != nil {
		return
	}
	if err == nil {
		err = errors.New("recoverable error reported without a cause")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.down[part] = err
	delete(h.pending, part)
	h.publish()
}

// Up marks part as working.
func (h *Health) Up(ctx context.Context, part string) {
	if ctx.Err() != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.down, part)
	delete(h.pending, part)
	h.publish()
}

// Fatal ends the receiver's health whatever the other parts say (an
// HTTP server that stopped serving).
func (h *Health) Fatal(err error) {
	if h.host != nil {
		componentstatus.ReportStatus(h.host, componentstatus.NewFatalErrorEvent(err))
	}
}

func (h *Health) publish() {
	if len(h.down) == 0 && len(h.pending) > 0 {
		return // OK only once every expected part has reported
	}
	ev := h.aggregate()
	key := ev.Status().String()
	if ev.Err() != nil {
		key += ": " + ev.Err().Error()
	}
	if key == h.last {
		return
	}
	h.last = key
	if h.host != nil {
		componentstatus.ReportStatus(h.host, ev)
	}
}

// aggregate is the receiver's status given the parts' states; the error
// names every part that is down, in name order.
func (h *Health) aggregate() *componentstatus.Event {
	if len(h.down) == 0 {
		return componentstatus.NewEvent(componentstatus.StatusOK)
	}
	names := make([]string, 0, len(h.down))
	for name := range h.down {
		names = append(names, name)
	}
	slices.Sort(names)
	errs := make([]error, 0, len(names))
	for _, name := range names {
		errs = append(errs, fmt.Errorf("%s: %w", name, h.down[name]))
	}
	return componentstatus.NewRecoverableErrorEvent(errors.Join(errs...))
}
