package netifyflowstatsreceiver // import "github.com/netify-otel/netifyflowstatsreceiver"

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowmetrics"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

const (
	temporalityCumulative = "cumulative"
	temporalityDelta      = "delta"
)

// Config is the receiver's configuration.
type Config struct {
	// HTTP receives the agent's HTTP sink; on by default.
	HTTP configoptional.Optional[HTTPConfig] `mapstructure:"http"`
	// Socket dials the agent's socket sink; off unless configured.
	Socket configoptional.Optional[socketin.Config] `mapstructure:"socket"`
	// MQTT subscribes to what the agent's MQTT sink publishes; off unless
	// configured.
	MQTT configoptional.Optional[mqttin.Config] `mapstructure:"mqtt"`

	// Temporality of the sums built from the agent's per-interval deltas:
	// "cumulative" (what Prometheus needs) or "delta".
	Temporality string `mapstructure:"temporality"`
	// FlushInterval is how often the flows changed since the last flush are
	// emitted.
	FlushInterval time.Duration `mapstructure:"flush_interval"`
	Flows         FlowsConfig   `mapstructure:"flows"`

	// Views are metrics aggregated over flows, grouped by flow attributes
	// (netify.view.<name>.*). Three are on by default; an empty list turns
	// them off.
	Views []flowmetrics.ViewConfig `mapstructure:"views"`
	// PerFlowAttributes adds flow attributes (names as in views' group_by)
	// to every per-flow metric (netify.flow.*, off by default).
	PerFlowAttributes []string `mapstructure:"per_flow_attributes"`
	// ZeroHold: a new cumulative series (a view key, or a flow) reports 0
	// for this long before its values, so that Prometheus's rate() and
	// increase(), which never count a series' first sample, count its first
	// bytes. Set it to at least the scrape interval; 0 turns it off.
	ZeroHold time.Duration `mapstructure:"zero_hold"`
	// Logs shapes the flow log records (one per finished flow) a logs
	// pipeline using the receiver gets.
	Logs flowlogs.Config `mapstructure:"logs"`

	metadata.MetricsBuilderConfig `mapstructure:",squash"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// HTTPConfig is the HTTP input: confighttp's server settings plus where the
// records are posted and where the agent's identity is found.
type HTTPConfig = httpin.Config

// FlowsConfig bounds the flow table.
type FlowsConfig struct {
	// Max is the number of flows tracked at once; past it the least recently
	// updated flow with nothing left to send is evicted.
	Max int `mapstructure:"max"`
	// IdleTimeout frees a flow that has seen no record for this long (the
	// agent sends none for idle flows, and a flow_purge can be lost).
	IdleTimeout time.Duration `mapstructure:"idle_timeout"`
}

// Validate checks the configuration; every message names the key at fault.
func (cfg *Config) Validate() error {
	var errs []error
	if !cfg.HTTP.HasValue() && !cfg.Socket.HasValue() && !cfg.MQTT.HasValue() {
		errs = append(errs, errors.New("no input enabled: enable at least one of http, socket, mqtt"))
	}
	if h := cfg.HTTP.Get(); h != nil {
		if !strings.HasPrefix(h.Path, "/") {
			errs = append(errs, fmt.Errorf("http.path must start with \"/\", got %q", h.Path))
		}
		if h.AgentIDHeader != "" && strings.ContainsAny(h.AgentIDHeader, " :\t\r\n") {
			errs = append(errs, fmt.Errorf("http.agent_id_header %q is not a valid header name", h.AgentIDHeader))
		}
	}
	if s := cfg.Socket.Get(); s != nil {
		for _, err := range s.Problems() {
			errs = append(errs, fmt.Errorf("socket::%w", err))
		}
	}
	if m := cfg.MQTT.Get(); m != nil {
		for _, err := range m.Problems() {
			errs = append(errs, fmt.Errorf("mqtt::%w", err))
		}
	}
	switch cfg.Temporality {
	case temporalityCumulative, temporalityDelta:
	default:
		errs = append(errs, fmt.Errorf("temporality must be %q or %q, got %q", temporalityCumulative, temporalityDelta, cfg.Temporality))
	}
	if cfg.FlushInterval <= 0 {
		errs = append(errs, fmt.Errorf("flush_interval must be positive, got %s", cfg.FlushInterval))
	}
	if cfg.Flows.Max <= 0 {
		errs = append(errs, fmt.Errorf("flows.max must be positive, got %d", cfg.Flows.Max))
	}
	if cfg.Flows.IdleTimeout <= 0 {
		errs = append(errs, fmt.Errorf("flows.idle_timeout must be positive, got %s", cfg.Flows.IdleTimeout))
	} else if cfg.FlushInterval > 0 && cfg.Flows.IdleTimeout < cfg.FlushInterval {
		errs = append(errs, fmt.Errorf("flows.idle_timeout (%s) must not be shorter than flush_interval (%s)", cfg.Flows.IdleTimeout, cfg.FlushInterval))
	}
	if cfg.ZeroHold < 0 {
		errs = append(errs, fmt.Errorf("zero_hold must not be negative, got %s", cfg.ZeroHold))
	}
	if err := flowmetrics.ValidateViews(cfg.Views, cfg.Flows.IdleTimeout); err != nil {
		errs = append(errs, err)
	}
	for _, a := range cfg.PerFlowAttributes {
		if _, ok := flowmetrics.LookupAttribute(a); !ok {
			errs = append(errs, fmt.Errorf("per_flow_attributes: unknown attribute %q, known: %s", a, strings.Join(flowmetrics.AttributeNames(), ", ")))
		}
	}
	if !cfg.ResourceAttributes.NetifyAgentID.Enabled {
		errs = append(errs, errors.New("resource_attributes::netify.agent.id must stay enabled: without it the flows of different agents collide in one series"))
	}
	errs = append(errs, validateAttributes(cfg.Metrics)...)
	return errors.Join(errs...)
}
