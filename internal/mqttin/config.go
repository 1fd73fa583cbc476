package mqttin

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configtls"
)

// Config is the `mqtt:` section of the receiver configuration.
type Config struct {
	// Brokers are tried in order: tcp://, mqtt://, ssl://, tls://, mqtts://,
	// ws:// or wss:// URLs with a host and port.
	Brokers []string `mapstructure:"brokers"`
	// ClientID names the persistent session on the broker. It must be stable
	// across restarts (the broker keeps the queued messages under it) and
	// unique per collector (a second client with the same id takes the
	// session over).
	ClientID string              `mapstructure:"client_id"`
	Username string              `mapstructure:"username"`
	Password configopaque.String `mapstructure:"password"`
	// TLS applies to the ssl://, tls://, mqtts:// and wss:// brokers.
	TLS configtls.ClientConfig `mapstructure:"tls"`
	// Topics are the subscription filters.
	Topics []string `mapstructure:"topics"`
	// AgentIDTopicLevel is the 0-based topic level that holds the agent id;
	// a topic with no such (non-empty) level is itself the agent id.
	AgentIDTopicLevel int `mapstructure:"agent_id_topic_level"`
	// QoS of the subscriptions: 0, 1 or 2. Below 1 the broker does not wait
	// for acknowledgements, so records can be lost.
	QoS int `mapstructure:"qos"`
	// ConnectTimeout bounds one connection attempt (TCP, TLS and CONNACK).
	ConnectTimeout time.Duration `mapstructure:"connect_timeout"`
	// KeepAlive is the MQTT keep-alive (ping) interval.
	KeepAlive time.Duration `mapstructure:"keep_alive"`
	// MaxReconnectInterval caps the backoff between connection attempts.
	MaxReconnectInterval time.Duration `mapstructure:"max_reconnect_interval"`
	// MaxMessageBytes caps a payload, after gunzip; a larger one is a decode
	// error.
	MaxMessageBytes int `mapstructure:"max_message_bytes"`
}

// DefaultClientID is 23 characters, the longest client id every MQTT 3.1.1
// broker must accept.
const DefaultClientID = "otelcol-netifyflowstats"

// NewDefaultConfig returns the defaults: no brokers, client_id
// otelcol-netifyflowstats, topics [netify/+/#] (the agent's
// netify/${uuid_agent}/${channel}), agent_id_topic_level 1, qos 1,
// connect_timeout 10s, keep_alive 30s, max_reconnect_interval 30s,
// max_message_bytes 1 MiB, TLS defaults of configtls.
func NewDefaultConfig() Config {
	return Config{
		ClientID:             DefaultClientID,
		TLS:                  configtls.NewDefaultClientConfig(),
		Topics:               []string{"netify/+/#"},
		AgentIDTopicLevel:    1,
		QoS:                  1,
		ConnectTimeout:       10 * time.Second,
		KeepAlive:            30 * time.Second,
		MaxReconnectInterval: 30 * time.Second,
		MaxMessageBytes:      1 << 20,
	}
}

var brokerSchemes = map[string]bool{"tcp": true, "mqtt": true, "ssl": true, "tls": true, "mqtts": true, "ws": true, "wss": true}

// Check reports every problem of the section, joined.
func (c *Config) Check() error { return errors.Join(c.Problems()...) }

// Problems lists every problem of the section, each naming its key within
// it. The receiver's Validate prefixes them with "mqtt::". (The section has
// no Validate of its own: confmap would prefix only the first of the
// joined errors, and then the section's name a second time.)
func (c *Config) Problems() []error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("brokers: at least one broker URL is required"))
	}
	for i, b := range c.Brokers {
		if err := validateBroker(b); err != nil {
			errs = append(errs, fmt.Errorf("brokers[%d]: %w", i, err))
		}
	}
	if c.ClientID == "" {
		errs = append(errs, errors.New("client_id: must not be empty (the persistent session is kept under it)"))
	}
	if len(c.Topics) == 0 {
		errs = append(errs, errors.New("topics: at least one topic filter is required"))
	}
	for i, t := range c.Topics {
		if err := validateFilter(t); err != nil {
			errs = append(errs, fmt.Errorf("topics[%d]: %w", i, err))
		}
	}
	if c.AgentIDTopicLevel < 0 {
		errs = append(errs, fmt.Errorf("agent_id_topic_level: must be 0 or more, got %d", c.AgentIDTopicLevel))
	}
	if c.QoS < 0 || c.QoS > 2 {
		errs = append(errs, fmt.Errorf("qos: must be 0, 1 or 2, got %d", c.QoS))
	}
	if c.ConnectTimeout <= 0 {
		errs = append(errs, fmt.Errorf("connect_timeout: must be positive, got %s", c.ConnectTimeout))
	}
	if c.KeepAlive < time.Second {
		errs = append(errs, fmt.Errorf("keep_alive: must be at least 1s, got %s", c.KeepAlive))
	}
	if c.MaxReconnectInterval <= 0 {
		errs = append(errs, fmt.Errorf("max_reconnect_interval: must be positive, got %s", c.MaxReconnectInterval))
	}
	if c.MaxMessageBytes <= 0 {
		errs = append(errs, fmt.Errorf("max_message_bytes: must be positive, got %d", c.MaxMessageBytes))
	}
	if err := c.TLS.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("tls: %w", err))
	}
	return errs
}

func validateBroker(b string) error {
	u, err := url.Parse(b)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", b, err)
	}
	if u.User != nil {
		// Credentials in a URL would end up in logs; they have their own keys.
		return errors.New("broker URL must not carry credentials: use username and password")
	}
	if !brokerSchemes[u.Scheme] {
		return fmt.Errorf("%q: scheme must be one of tcp, mqtt, ssl, tls, mqtts, ws, wss", b)
	}
	if u.Hostname() == "" || u.Port() == "" {
		return fmt.Errorf("%q: want scheme://host:port", b)
	}
	return nil
}

// validateFilter checks MQTT 3.1.1 filter syntax: '#' only as the whole last
// level, '+' only as a whole level.
func validateFilter(f string) error {
	if f == "" {
		return errors.New("topic filter must not be empty")
	}
	levels := strings.Split(f, "/")
	for i, l := range levels {
		if strings.Contains(l, "#") && (l != "#" || i != len(levels)-1) {
			return fmt.Errorf("%q: '#' must be the whole last level", f)
		}
		if strings.Contains(l, "+") && l != "+" {
			return fmt.Errorf("%q: '+' must be a whole level", f)
		}
	}
	return nil
}
