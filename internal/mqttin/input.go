package mqttin

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"go.opentelemetry.io/collector/component"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// Transport is the ingest.Batch transport name of this input.
const Transport = "mqtt"

// queueSize bounds the messages handed from Paho's router to the worker. The
// broker sends at most its in-flight window (mosquitto: 20) of unacknowledged
// QoS 1/2 messages, so with QoS >= 1 the handler never waits on a full queue
// and Paho keeps reading (pings included) while the sink is busy.
const queueSize = 256

// disconnectQuiesce is how long Shutdown lets the DISCONNECT go out.
const disconnectQuiesce = 250 * time.Millisecond

// Input is one MQTT client subscribed to the agents' topics.
type Input struct {
	cfg    Config
	set    ingest.Settings
	gate   *ingest.Gate
	logger *zap.Logger

	mu      sync.Mutex
	started bool
	client  mqtt.Client
	health  *ingest.Health
	runCtx  context.Context
	cancel  context.CancelFunc
	queue   chan mqtt.Message
	wg      sync.WaitGroup
}

// New checks cfg and builds an Input.
func New(cfg Config, set ingest.Settings) (*Input, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if set.Sink == nil {
		return nil, errors.New("mqttin: sink is nil")
	}
	gate := ingest.NewGate(set, Transport)
	return &Input{cfg: cfg, set: set, gate: gate, logger: gate.Logger()}, nil
}

var _ ingest.Input = (*Input)(nil)

// part names the broker connection in the receiver's health.
const part = "mqtt broker"

// Start builds the client and connects in the background: a broker that is
// down at start-up is retried (and reported as a recoverable error), not
// fatal. Only a TLS configuration that cannot be loaded fails Start.
func (in *Input) Start(ctx context.Context, host component.Host) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.started {
		return errors.New("mqttin: already started")
	}
	tlsCfg, err := in.cfg.TLS.LoadTLSConfig(ctx)
	if err != nil {
		return fmt.Errorf("mqttin: mqtt::tls: %w", err)
	}
	in.health = in.set.Health
	if in.health == nil {
		in.health = ingest.NewHealth(host)
	}
	in.health.Expect(part)
	in.queue = make(chan mqtt.Message, queueSize)
	// The run context outlives Start's ctx on purpose: the client lives
	// until Shutdown.
	in.runCtx, in.cancel = context.WithCancel(context.Background())
	in.client = mqtt.NewClient(in.clientOptions(tlsCfg))
	in.started = true

	in.wg.Add(2)
	go func() {
		defer in.wg.Done()
		in.work(in.runCtx)
	}()
	go func() {
		defer in.wg.Done()
		in.connect(in.runCtx)
	}()
	return nil
}

// Shutdown stops taking messages, waits for the worker (a message it has not
// handed to the sink stays unacknowledged, so the broker redelivers it to
// the next session), then disconnects.
func (in *Input) Shutdown(ctx context.Context) error {
	in.mu.Lock()
	cancel, client := in.cancel, in.client
	in.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	done := make(chan struct{})
	go func() {
		in.wg.Wait()
		// After the worker, so that its last acks are on the wire before
		// the DISCONNECT.
		client.Disconnect(uint(disconnectQuiesce / time.Millisecond))
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("mqttin: shutdown: waiting for the MQTT client: %w", ctx.Err())
	}
}
