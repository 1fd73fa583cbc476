package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

type netifyReceiver struct {
	set    receiver.Settings
	cfg    *Config
	next   consumer.Metrics
	logger *zap.Logger
	now    func() time.Time

	// nextLogs is the logs pipeline's consumer, nil when no logs pipeline
	// uses the receiver; logs then is nil too.
	nextLogs consumer.Logs
	logs     *flowlogs.Logs

	table     *flowtable.Table
	telemetry *metadata.TelemetryBuilder
	// obs counts the data points each flush hands downstream, and those the
	// next consumer refuses; records per transport and outcome are in the
	// receiver's own records counter.
	obs *receiverhelper.ObsReport
	// recordAttrs caches the attribute sets of the records counter.
	recordAttrs recordAttrCache

	// views aggregate flows as the table applies records; emitter writes
	// per-flow points and view series as metrics.
	views   *flowmetrics.Views
	emitter flowmetrics.Emitter

	// flushMu serialises flushes (the ticker's and the final one).
	flushMu sync.Mutex
	// agents is the agents' health (agent_status, interface_stats).
	agents agentHealth

	closing atomic.Bool
	// flushCtx is cancelled by Shutdown once its own context is done, so a
	// flush blocked in the next consumer cannot hold Shutdown forever.
	flushCtx    context.Context
	cancelFlush context.CancelFunc
	// httpAddr is where the HTTP input listens (the port chosen when the
	// endpoint asks for :0).
	httpAddr  net.Addr
	inputs    []ingest.Input
	stopFlush chan struct{}
	wg        sync.WaitGroup
}

func newReceiver(set receiver.Settings, cfg *Config, next consumer.Metrics) (*netifyReceiver, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, fmt.Errorf("creating telemetry: %w", err)
	}
	r := &netifyReceiver{
		set:       set,
		cfg:       cfg,
		next:      next,
		logger:    set.Logger,
		now:       time.Now,
		telemetry: tb,
		views:     flowmetrics.NewViews(cfg.Views),
		emitter:   newEmitter(cfg, set),
		agents:    newAgentHealth(cfg, set),
	}
	r.views.OnOverflow = r.overflowCounter()
	r.obs, err = receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, fmt.Errorf("creating obsreport: %w", err)
	}
	r.flushCtx, r.cancelFlush = context.WithCancel(context.Background())
	return r, nil
}

// Start opens the inputs; on any failure it closes what it had opened.
func (r *netifyReceiver) Start(ctx context.Context, host component.Host) (err error) {
	r.table = flowtable.New(flowtable.Config{
		MaxFlows:    r.cfg.Flows.Max,
		IdleTimeout: r.cfg.Flows.IdleTimeout,
		PerFlow:     r.emitter.PerFlow.Enabled(),
		ZeroHold:    r.emitter.ZeroHold,
		Observer:    r.observer(),
	})
	if err := r.registerGauges(); err != nil {
		return err
	}
	if err := r.initOperatorTelemetry(ctx); err != nil {
		return fmt.Errorf("registering flows limit gauge: %w", err)
	}
	r.stopFlush = make(chan struct{})
	defer func() {
		if err != nil {
			err = errors.Join(err, r.Shutdown(ctx))
		}
	}()

	if err := r.startInputs(ctx, host); err != nil {
		return err
	}

	r.wg.Add(1)
	go r.flushLoop(r.stopFlush)
	return nil
}

// startInputs builds the configured inputs, each from its configuration
// and the same shared settings, and starts them in turn.
func (r *netifyReceiver) startInputs(ctx context.Context, host component.Host) error {
	set := ingest.Settings{
		Sink:      r,
		Telemetry: r.set.TelemetrySettings,
		Counter:   r,
		// One status for the receiver: an input's OK must not hide
		// another's error.
		Health: ingest.NewHealth(host),
	}
	var httpIn *httpin.Input
	if h := r.cfg.HTTP.Get(); h != nil {
		in, err := httpin.New(*h, set, r.now)
		if err != nil {
			return fmt.Errorf("http input: %w", err)
		}
		httpIn = in
		r.inputs = append(r.inputs, in)
	}
	if s := r.cfg.Socket.Get(); s != nil {
		in, err := socketin.New(*s, set)
		if err != nil {
			return fmt.Errorf("socket input: %w", err)
		}
		r.inputs = append(r.inputs, in)
	}
	if m := r.cfg.MQTT.Get(); m != nil {
		in, err := mqttin.New(*m, set)
		if err != nil {
			return fmt.Errorf("mqtt input: %w", err)
		}
		r.inputs = append(r.inputs, in)
	}
	for i, in := range r.inputs {
		if err := in.Start(ctx, host); err != nil {
			// Only the started ones are shut down.
			r.inputs = r.inputs[:i]
			return fmt.Errorf("starting input: %w", err)
		}
	}
	if httpIn != nil {
		r.httpAddr = httpIn.Addr()
	}
	return nil
}

func (r *netifyReceiver) flushLoop(stop <-chan struct{}) {
	defer r.wg.Done()
	t := time.NewTicker(r.cfg.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.flush(r.flushCtx)
		}
	}
}

// Shutdown stops the inputs, flushes what is pending and waits for every
// goroutine the receiver started, or until ctx is done: then the flush in
// progress is cancelled and Shutdown returns ctx's error.
func (r *netifyReceiver) Shutdown(ctx context.Context) error {
	r.closing.Store(true)
	var errs []error
	for _, in := range r.inputs {
		errs = append(errs, in.Shutdown(ctx))
	}
	if r.stopFlush != nil {
		close(r.stopFlush)
		r.stopFlush = nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.wg.Wait()
		if r.table != nil {
			r.flush(r.flushCtx)
		}
	}()
	select {
	case <-done:
	case <-ctx.Done():
		r.cancelFlush()
		<-done
		errs = append(errs, fmt.Errorf("shutting down the netifyflowstats receiver: %w", ctx.Err()))
	}
	r.cancelFlush()
	r.telemetry.Shutdown()
	return errors.Join(errs...)
}
