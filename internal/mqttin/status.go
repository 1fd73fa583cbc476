package mqttin

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
)

// statusReporter reports the broker connection as component status, and
// stays quiet once the input is shutting down (Paho's callbacks can still
// fire then).
type statusReporter struct {
	host component.Host
}

func newStatusReporter(host component.Host) *statusReporter { return &statusReporter{host: host} }

func (s *statusReporter) down(ctx context.Context, err error) {
	s.report(ctx, componentstatus.NewRecoverableErrorEvent(err))
}

func (s *statusReporter) up(ctx context.Context) {
	s.report(ctx, componentstatus.NewEvent(componentstatus.StatusOK))
}

func (s *statusReporter) report(ctx context.Context, ev *componentstatus.Event) {
	if s.host != nil && ctx.Err() == nil {
		componentstatus.ReportStatus(s.host, ev)
	}
}
