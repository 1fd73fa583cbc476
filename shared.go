package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/receiver"
)

// receivers holds the receiver instance of each configuration while it
// lives. The collector hands every pipeline that names a receiver ID the
// same *Config, so the metrics and the logs receiver of one ID find one
// instance here: one set of inputs, one flow table, one HTTP listener.
var receivers = sharedReceivers{byConfig: map[*Config]*sharedReceiver{}}

type sharedReceivers struct {
	mu       sync.Mutex
	byConfig map[*Config]*sharedReceiver
}

// sharedReceiver is what each pipeline gets: Start and Shutdown run once,
// for whichever pipeline comes first.
type sharedReceiver struct {
	*netifyReceiver
	owner *sharedReceivers
	key   *Config

	startOnce sync.Once
	startErr  error
	stopOnce  sync.Once
	stopErr   error
}

// get returns the instance of cfg, creating it with the first settings
// given, and lets connect give it the pipeline's consumer.
func (s *sharedReceivers) get(set receiver.Settings, cfg *Config, connect func(*netifyReceiver)) (*sharedReceiver, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sr, ok := s.byConfig[cfg]
	if !ok {
		r, err := newReceiver(set, cfg, nil)
		if err != nil {
			return nil, err
		}
		sr = &sharedReceiver{netifyReceiver: r, owner: s, key: cfg}
		s.byConfig[cfg] = sr
	}
	connect(sr.netifyReceiver)
	return sr, nil
}

// Start starts the instance on the first call only.
func (sr *sharedReceiver) Start(ctx context.Context, host component.Host) error {
	sr.startOnce.Do(func() { sr.startErr = sr.netifyReceiver.Start(ctx, host) })
	return sr.startErr
}

// Shutdown stops the instance on the first call only and forgets it, so
// that a configuration created again (a reload) gets a new instance.
func (sr *sharedReceiver) Shutdown(ctx context.Context) error {
	sr.stopOnce.Do(func() {
		sr.stopErr = sr.netifyReceiver.Shutdown(ctx)
		sr.owner.mu.Lock()
		delete(sr.owner.byConfig, sr.key)
		sr.owner.mu.Unlock()
	})
	return sr.stopErr
}
