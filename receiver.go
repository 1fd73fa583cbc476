package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowtable"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

// input is what the socket and MQTT inputs have in common.
type input interface {
	Start(ctx context.Context, host component.Host) error
	Shutdown(ctx context.Context) error
}

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
	recordAttrs sync.Map

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
	httpServer  *http.Server
	// httpAddr is where the HTTP input listens (the port chosen when the
	// endpoint asks for :0).
	httpAddr  net.Addr
	inputs    []input
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
	r.views.OnOverflow = r.countOverflow
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

	if h := r.cfg.HTTP.Get(); h != nil {
		if err := r.startHTTP(ctx, host, h); err != nil {
			return err
		}
	}
	// One status for the receiver: an input's OK must not hide another's error.
	status := newStatusAggregator(host)
	if s := r.cfg.Socket.Get(); s != nil {
		in, err := socketin.New(*s, r, r.set.TelemetrySettings, r.decodeError)
		if err != nil {
			return fmt.Errorf("socket input: %w", err)
		}
		r.inputs = append(r.inputs, in)
		if err := in.Start(ctx, status.hostFor(socketin.Transport)); err != nil {
			return fmt.Errorf("starting socket input: %w", err)
		}
	}
	if m := r.cfg.MQTT.Get(); m != nil {
		in, err := mqttin.New(*m, r, r.set.TelemetrySettings, r.decodeError)
		if err != nil {
			return fmt.Errorf("mqtt input: %w", err)
		}
		r.inputs = append(r.inputs, in)
		if err := in.Start(ctx, status.hostFor(mqttin.Transport)); err != nil {
			return fmt.Errorf("starting mqtt input: %w", err)
		}
	}

	r.wg.Add(1)
	go r.flushLoop(r.stopFlush)
	return nil
}

func (r *netifyReceiver) startHTTP(ctx context.Context, host component.Host, cfg *HTTPConfig) error {
	ln, err := cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.ServerConfig.NetAddr.Endpoint, err)
	}
	handler := &httpin.Handler{
		Path:          cfg.Path,
		AgentIDHeader: cfg.AgentIDHeader,
		Sink:          r,
		Now:           r.now,
		Malformed: func(req *http.Request, agent string, errs []error) {
			r.Malformed(req.Context(), "http", agent, errs)
		},
	}
	srv, err := cfg.ServerConfig.ToServer(ctx, host.GetExtensions(), r.set.TelemetrySettings, handler)
	if err != nil {
		_ = ln.Close()
		return fmt.Errorf("creating HTTP server: %w", err)
	}
	r.httpServer = srv
	r.httpAddr = ln.Addr()
	r.logger.Info("Receiving Netify records over HTTP", zap.String("endpoint", ln.Addr().String()), zap.String("path", cfg.Path))
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			componentstatus.ReportStatus(host, componentstatus.NewFatalErrorEvent(err))
		}
	}()
	return nil
}

// decodeError is how the socket and MQTT inputs report a record they could
// not decode.
func (r *netifyReceiver) decodeError(transport string, err error) {
	r.Malformed(context.Background(), transport, "", []error{err})
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
	if r.httpServer != nil {
		errs = append(errs, r.httpServer.Shutdown(ctx))
	}
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
