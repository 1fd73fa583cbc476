package httpin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// Config is the HTTP input: confighttp's server settings plus where the
// records are posted and where the agent's identity is found.
type Config struct {
	ServerConfig confighttp.ServerConfig `mapstructure:",squash"`
	// Path the agent posts to. Requests to Path/<agent id> carry the agent's
	// identity in the URL (an HTTP sink URL templated with ${uuid_agent}).
	Path string `mapstructure:"path"`
	// AgentIDHeader names the request header holding the agent's identity
	// (an HTTP sink header templated with ${uuid_agent}).
	AgentIDHeader string `mapstructure:"agent_id_header"`
}

// Input serves the HTTP endpoint.
type Input struct {
	cfg     Config
	set     ingest.Settings
	handler *Handler

	mu     sync.Mutex
	server *http.Server
	addr   net.Addr
	wg     sync.WaitGroup
}

var _ ingest.Input = (*Input)(nil)

// New builds the input; now dates the deliveries (time.Now when nil).
func New(cfg Config, set ingest.Settings, now func() time.Time) (*Input, error) {
	if set.Sink == nil {
		return nil, errors.New("httpin: sink is nil")
	}
	if now == nil {
		now = time.Now
	}
	return &Input{
		cfg: cfg,
		set: set,
		handler: &Handler{
			Path:          cfg.Path,
			AgentIDHeader: cfg.AgentIDHeader,
			Gate:          ingest.NewGate(set, Transport),
			Now:           now,
		},
	}, nil
}

// Start listens and serves in the background. The host's extensions are
// what confighttp's auth settings name.
func (in *Input) Start(ctx context.Context, host component.Host) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.server != nil {
		return errors.New("httpin: already started")
	}
	health := in.set.Health
	if health == nil {
		health = ingest.NewHealth(host)
	}
	ln, err := in.cfg.ServerConfig.ToListener(ctx)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", in.cfg.ServerConfig.NetAddr.Endpoint, err)
	}
	srv, err := in.cfg.ServerConfig.ToServer(ctx, host.GetExtensions(), in.set.Telemetry, in.handler)
	if err != nil {
		_ = ln.Close()
		return fmt.Errorf("creating HTTP server: %w", err)
	}
	in.server, in.addr = srv, ln.Addr()
	in.handler.logger().Info("Receiving Netify records over HTTP", zap.String("endpoint", ln.Addr().String()), zap.String("path", in.cfg.Path))
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			health.Fatal(fmt.Errorf("HTTP input: %w", err))
		}
	}()
	return nil
}

// Addr is where the input listens (the port chosen for ":0"); nil before
// Start.
func (in *Input) Addr() net.Addr {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.addr
}

// Shutdown stops accepting, lets the requests in progress finish (or ctx
// end) and waits for the server goroutine.
func (in *Input) Shutdown(ctx context.Context) error {
	in.mu.Lock()
	srv := in.server
	in.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Shutdown(ctx)
	in.wg.Wait()
	return err
}
