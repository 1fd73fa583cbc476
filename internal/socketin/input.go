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
	cfg           Config
	sink          ingest.Sink
	logger        *zap.Logger
	onDecodeError func(transport string, err error)

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// New checks cfg and builds an Input. onDecodeError (may be nil) is called
// once per record that failed to decode, with Transport and the error; the
// input also logs it at debug level with the endpoint named.
func New(cfg Config, sink ingest.Sink, set component.TelemetrySettings, onDecodeError func(transport string, err error)) (*Input, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if sink == nil {
		return nil, errors.New("socketin: sink is nil")
	}
	logger := set.Logger
	if logger == nil {
		logger = zap.NewNop()
	}
	if onDecodeError == nil {
		onDecodeError = func(string, error) {}
	}
	return &Input{cfg: cfg, sink: sink, logger: logger, onDecodeError: onDecodeError}, nil
}

// Start dials every endpoint in the background; it does not wait for any
// connection, so an agent that is down at start-up is retried, not fatal.
func (in *Input) Start(_ context.Context, host component.Host) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.started {
		return errors.New("socketin: already started")
	}
	eps := make([]*endpoint, 0, len(in.cfg.Endpoints))
	status := newStatusReporter(host)
	for i := range in.cfg.Endpoints {
		ep, err := newEndpoint(in, in.cfg.Endpoints[i], status)
		if err != nil { // unreachable after Validate, kept so Start never half-starts
			return fmt.Errorf("socketin: endpoint %q: %w", in.cfg.Endpoints[i].Endpoint, err)
		}
		eps = append(eps, ep)
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
