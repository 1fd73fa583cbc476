package send

import (
	"context"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// MQTTConfig configures one agent's MQTT sink.
type MQTTConfig struct {
	// Broker is tcp://host:port.
	Broker string
	// Topic may hold ${uuid_agent}.
	Topic    string
	AgentID  string
	QoS      byte
	Username string
	Password string
	// Gzip compresses each payload on its own (the agent's gz compressor).
	Gzip    bool
	Timeout time.Duration
}

// MQTT publishes every record to the agent's topic.
type MQTT struct {
	cfg     MQTTConfig
	topic   string
	client  mqtt.Client
	timeout time.Duration
}

// DialMQTT connects to the broker.
func DialMQTT(cfg MQTTConfig) (*MQTT, error) {
	if cfg.QoS > 2 {
		return nil, fmt.Errorf("MQTT QoS must be 0, 1 or 2, got %d", cfg.QoS)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	opts := mqtt.NewClientOptions().
		AddBroker(cfg.Broker).
		SetClientID("netifysim-" + cfg.AgentID).
		SetCleanSession(true).
		SetAutoReconnect(true).
		SetConnectTimeout(timeout).
		SetWriteTimeout(timeout)
	if cfg.Username != "" {
		opts.SetUsername(cfg.Username)
		opts.SetPassword(cfg.Password)
	}
	client := mqtt.NewClient(opts)
	tok := client.Connect()
	if !tok.WaitTimeout(timeout) {
		return nil, fmt.Errorf("connecting to MQTT broker %s: no answer within %s", cfg.Broker, timeout)
	}
	if err := tok.Error(); err != nil {
		return nil, fmt.Errorf("connecting to MQTT broker %s: %w", cfg.Broker, err)
	}
	return &MQTT{cfg: cfg, topic: Expand(cfg.Topic, cfg.AgentID), client: client, timeout: timeout}, nil
}

// Topic is the expanded topic.
func (m *MQTT) Topic() string { return m.topic }

// Send publishes one payload and waits for the broker's acknowledgement
// (QoS 1 and 2).
func (m *MQTT) Send(ctx context.Context, payload []byte) error {
	body := payload
	if m.cfg.Gzip {
		var err error
		if body, err = gzipped(payload); err != nil {
			return fmt.Errorf("compressing record for %s: %w", m.topic, err)
		}
	}
	tok := m.client.Publish(m.topic, m.cfg.QoS, false, body)
	wait, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	select {
	case <-tok.Done():
	case <-wait.Done():
		return fmt.Errorf("publishing to %s: %w", m.topic, wait.Err())
	}
	if err := tok.Error(); err != nil {
		return fmt.Errorf("publishing to %s: %w", m.topic, err)
	}
	return nil
}

// Close disconnects after in-flight publishes settle.
func (m *MQTT) Close() error {
	m.client.Disconnect(250)
	return nil
}
