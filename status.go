package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
)

// statusAggregator folds the status the inputs report into the receiver's
// one component status, so that one input's OK cannot hide another's
// error: recoverable error while any input is in one, naming each; OK once
// none is. The inputs report through the host they are started with, so
// each is given a host that reports here (see hostFor).
type statusAggregator struct {
	host component.Host

	mu sync.Mutex
	// down holds the current error of each input in recoverable error.
	down map[string]error
	// last is what was last reported, so that an event that changes nothing
	// (an input's OK while another is still down) is not repeated.
	last string
}

func newStatusAggregator(host component.Host) *statusAggregator {
	return &statusAggregator{host: host, down: map[string]error{}}
}

// hostFor is the host to start the named input with: the real host, whose
// status reports are folded into the aggregate.
func (a *statusAggregator) hostFor(input string) component.Host {
	return &inputHost{Host: a.host, input: input, agg: a}
}

type inputHost struct {
	component.Host
	input string
	agg   *statusAggregator
}

// Report implements componentstatus.Reporter.
func (h *inputHost) Report(ev *componentstatus.Event) { h.agg.report(h.input, ev) }

func (a *statusAggregator) report(input string, ev *componentstatus.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch ev.Status() {
	case componentstatus.StatusRecoverableError:
		err := ev.Err()
		if err == nil {
			err = errors.New("recoverable error reported without a cause")
		}
		a.down[input] = err
	case componentstatus.StatusOK:
		delete(a.down, input)
	default:
		// Fatal and permanent errors end the receiver's health whatever the
		// other inputs say: reported as they are.
		componentstatus.ReportStatus(a.host, ev)
		return
	}
	agg := a.aggregate()
	key := agg.Status().String()
	if agg.Err() != nil {
		key += ": " + agg.Err().Error()
	}
	if key == a.last {
		return
	}
	a.last = key
	componentstatus.ReportStatus(a.host, agg)
}

// aggregate is the receiver's status given the inputs' states; the error
// names every input that is down, in name order.
func (a *statusAggregator) aggregate() *componentstatus.Event {
	if len(a.down) == 0 {
		return componentstatus.NewEvent(componentstatus.StatusOK)
	}
	names := make([]string, 0, len(a.down))
	for name := range a.down {
		names = append(names, name)
	}
	slices.Sort(names)
	errs := make([]error, 0, len(names))
	for _, name := range names {
		errs = append(errs, fmt.Errorf("%s input: %w", name, a.down[name]))
	}
	return componentstatus.NewRecoverableErrorEvent(errors.Join(errs...))
}
