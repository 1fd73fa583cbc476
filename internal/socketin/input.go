package socketin

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// Transport is the ingest.Batch transport name of this input.
const Transport = "socket"

// Input connects to every configured agent socket and feeds its records to
// the sink.
type Input struct {
	cfg    Config
	set    ingest.Settings
	gate   *ingest.Gate
	logger *zap.Logger

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// New checks cfg and builds an Input.
func New(cfg Config, set ingest.Settings) (*Input, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if set.Sink == nil {
		return nil, errors.New("socketin: sink is nil")
	}
	gate := ingest.NewGate(set, Transport)
	return &Input{cfg: cfg, set: set, gate: gate, logger: gate.Logger()}, nil
}

var _ ingest.Input = (*Input)(nil)

// Start dials every endpoint in the background; it does not wait for any
// connection, so an agent that is down at start-up is retried, not fatal.
func (in *Input) Start(_ context.Context, host component.Host) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.started {
		return errors.New("socketin: already started")
	}
	eps := make([]*endpoint, 0, len(in.cfg.Endpoints))
	health := in.set.Health
	if health == nil {
		health = ingest.NewHealth(host)
	}
	for i := range in.cfg.Endpoints {
		ep, err := newEndpoint(in, in.cfg.Endpoints[i], health)
		if err != nil { // unreachable after Validate, kept so Start never half-starts
			return fmt.Errorf("socketin: endpoint %q: %w", in.cfg.Endpoints[i].Endpoint, err)
		}
		eps = append(eps, ep)
	}
	for _, ep := range eps {
		health.Expect(ep.part())
	}
	// The run context outlives Start's ctx on purpose: Start's ctx only
	// bounds start-up, the connections live until Shutdown.
	runCtx, cancel := context.WithCancel(context.Background())
	in.cancel = cancel
	in.started = true
	for _, ep := range eps {
		in.wg.Add(1)
		go func() {
			defer in.wg.Done()
			ep.run(runCtx)
		}()
	}
	return nil
}

// Shutdown closes every connection and waits for the endpoint goroutines,
// or for ctx. A record still waiting on a busy sink is abandoned (and
// logged): the socket sink has no redelivery to hand it back to.
func (in *Input) Shutdown(ctx context.Context) error {
	in.mu.Lock()
	cancel := in.cancel
	in.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	done := make(chan struct{})
	go func() {
		in.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("socketin: shutdown: waiting for endpoint goroutines: %w", ctx.Err())
	}
}
