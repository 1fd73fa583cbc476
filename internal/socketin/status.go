package socketin

import (
	"context"
	"fmt"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
)

// statusReporter folds the state of all endpoints into the one component
// status: recoverable error while any endpoint is down, OK again once the
// last one is back.
type statusReporter struct {
	host component.Host

	mu   sync.Mutex
	down map[string]bool
}

func newStatusReporter(host component.Host) *statusReporter {
	return &statusReporter{host: host, down: map[string]bool{}}
}

func (s *statusReporter) endpointDown(ctx context.Context, endpoint string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down[endpoint] = true
	s.report(ctx, componentstatus.NewRecoverableErrorEvent(fmt.Errorf("socket endpoint %s: %w", endpoint, err)))
}

func (s *statusReporter) endpointUp(ctx context.Context, endpoint string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.down[endpoint] {
		return
	}
	delete(s.down, endpoint)
	if len(s.down) == 0 {
		s.report(ctx, componentstatus.NewEvent(componentstatus.StatusOK))
	}
}

// report stays quiet once the input is shutting down.
func (s *statusReporter) report(ctx context.Context, ev *componentstatus.Event) {
	if s.host != nil && ctx.Err() == nil {
		componentstatus.ReportStatus(s.host, ev)
	}
}
