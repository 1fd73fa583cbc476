package socketin

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Config is the `socket:` section of the receiver configuration.
type Config struct {
	// Endpoints are the agent sockets to connect to.
	Endpoints []EndpointConfig `mapstructure:"endpoints"`
	// IdleTimeout drops a connection that delivered no byte for this long.
	IdleTimeout time.Duration `mapstructure:"idle_timeout"`
	// DialTimeout bounds one connection attempt.
	DialTimeout time.Duration `mapstructure:"dial_timeout"`
	// MaxRecordBytes is the largest single record accepted; a longer one is
	// a decode error for that record.
	MaxRecordBytes int `mapstructure:"max_record_bytes"`
	// Reconnect is the backoff between connection attempts to one endpoint.
	Reconnect ReconnectConfig `mapstructure:"reconnect"`
}

// EndpointConfig is one agent socket.
type EndpointConfig struct {
	// Endpoint is `unix:///path/to.sock` or `tcp://host:port`.
	Endpoint string `mapstructure:"endpoint"`
	// AgentID is the agent identity stamped on the records; when empty the
	// endpoint string itself is used.
	AgentID string `mapstructure:"agent_id"`
	// Format is auto, json or msgpack.
	Format string `mapstructure:"format"`
}

// ReconnectConfig is an exponential backoff: each wait is the previous one
// times Multiplier, capped at MaxInterval, randomised by +/- Jitter (a
// fraction of the interval).
type ReconnectConfig struct {
	InitialInterval time.Duration `mapstructure:"initial_interval"`
	MaxInterval     time.Duration `mapstructure:"max_interval"`
	Multiplier      float64       `mapstructure:"multiplier"`
	Jitter          float64       `mapstructure:"jitter"`
}

// Format names accepted in EndpointConfig.Format.
const (
	FormatAuto    = "auto"
	FormatJSON    = "json"
	FormatMsgpack = "msgpack"
)

// NewDefaultConfig returns the defaults: no endpoints, idle_timeout 60s
// (four agent update intervals of 15 s), dial_timeout 10s,
// max_record_bytes 1 MiB, reconnect 1s..30s, multiplier 1.5, jitter 0.2.
func NewDefaultConfig() Config {
	return Config{
		IdleTimeout:    60 * time.Second,
		DialTimeout:    10 * time.Second,
		MaxRecordBytes: 1 << 20,
		Reconnect: ReconnectConfig{
			InitialInterval: time.Second,
			MaxInterval:     30 * time.Second,
			Multiplier:      1.5,
			Jitter:          0.2,
		},
	}
}

// Check reports every problem of the section, joined.
func (c *Config) Check() error { return errors.Join(c.Problems()...) }

// Problems lists every problem of the section, each naming its key within
// it. The receiver's Validate prefixes them with "socket::". (The section has
// no Validate of its own: confmap would prefix only the first of the
// joined errors, and then the section's name a second time.)
func (c *Config) Problems() []error {
	var errs []error
	if len(c.Endpoints) == 0 {
		errs = append(errs, errors.New("endpoints: at least one endpoint is required"))
	}
	seen := make(map[string]bool, len(c.Endpoints))
	for i, ep := range c.Endpoints {
		if _, _, err := ep.dialTarget(); err != nil {
			errs = append(errs, fmt.Errorf("endpoints[%d]::endpoint: %w", i, err))
		}
		if seen[ep.Endpoint] {
			errs = append(errs, fmt.Errorf("endpoints[%d]::endpoint: %q is listed twice", i, ep.Endpoint))
		}
		seen[ep.Endpoint] = true
		if err := ingest.CheckAgentID(ep.agentID(), "the configuration"); err != nil {
			errs = append(errs, fmt.Errorf("endpoints[%d]::agent_id: %w", i, err))
		}
		if _, err := ep.streamFormat(); err != nil {
			errs = append(errs, fmt.Errorf("endpoints[%d]::format: %w", i, err))
		}
	}
	if c.IdleTimeout <= 0 {
		errs = append(errs, fmt.Errorf("idle_timeout: must be positive, got %s", c.IdleTimeout))
	}
	if c.DialTimeout <= 0 {
		errs = append(errs, fmt.Errorf("dial_timeout: must be positive, got %s", c.DialTimeout))
	}
	if c.MaxRecordBytes <= 0 {
		errs = append(errs, fmt.Errorf("max_record_bytes: must be positive, got %d", c.MaxRecordBytes))
	}
	errs = append(errs, c.Reconnect.validate()...)
	return errs
}

func (r *ReconnectConfig) validate() []error {
	var errs []error
	if r.InitialInterval <= 0 {
		errs = append(errs, fmt.Errorf("reconnect::initial_interval: must be positive, got %s", r.InitialInterval))
	}
	if r.MaxInterval < r.InitialInterval {
		errs = append(errs, fmt.Errorf("reconnect::max_interval: must be at least initial_interval (%s), got %s",
			r.InitialInterval, r.MaxInterval))
	}
	if r.Multiplier < 1 {
		errs = append(errs, fmt.Errorf("reconnect::multiplier: must be at least 1, got %g", r.Multiplier))
	}
	if r.Jitter < 0 || r.Jitter >= 1 {
		errs = append(errs, fmt.Errorf("reconnect::jitter: must be in [0, 1), got %g", r.Jitter))
	}
	return errs
}

// dialTarget turns the endpoint URL into net.Dial's network and address.
func (e *EndpointConfig) dialTarget() (network, address string, err error) {
	u, err := url.Parse(e.Endpoint)
	if err != nil {
		return "", "", fmt.Errorf("%q is not a URL: %w", e.Endpoint, err)
	}
	switch u.Scheme {
	case "unix":
		if u.Host != "" || u.Path == "" {
			return "", "", fmt.Errorf("%q: want unix:///absolute/path.sock", e.Endpoint)
		}
		return "unix", u.Path, nil
	case "tcp":
		host, port, err := net.SplitHostPort(u.Host)
		if err != nil || host == "" || port == "" || (u.Path != "" && u.Path != "/") {
			return "", "", fmt.Errorf("%q: want tcp://host:port", e.Endpoint)
		}
		return "tcp", u.Host, nil
	default:
		return "", "", fmt.Errorf("%q: scheme must be unix or tcp", e.Endpoint)
	}
}

func (e *EndpointConfig) streamFormat() (record.Format, error) {
	switch e.Format {
	case "", FormatAuto:
		return record.FormatAuto, nil
	case FormatJSON:
		return record.FormatJSON, nil
	case FormatMsgpack:
		return record.FormatMsgpack, nil
	}
	return record.FormatAuto, fmt.Errorf("%q is not one of auto, json, msgpack", e.Format)
}

// agentID is the configured identity, else the endpoint string itself (so
// that two sockets on one host stay apart).
func (e *EndpointConfig) agentID() string {
	if e.AgentID != "" {
		return e.AgentID
	}
	return e.Endpoint
}
