package mqttin

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v5"
	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"go.uber.org/zap"
)

func (in *Input) clientOptions(tlsCfg *tls.Config) *mqtt.ClientOptions {
	opts := mqtt.NewClientOptions()
	for _, b := range in.cfg.Brokers {
		opts.AddBroker(b)
	}
	opts.SetClientID(in.cfg.ClientID)
	opts.SetUsername(in.cfg.Username)
	opts.SetPassword(string(in.cfg.Password))
	if tlsCfg != nil {
		opts.SetTLSConfig(tlsCfg)
	}
	// Payloads over max_message_bytes are dropped below Paho, before it
	// reads them into memory (see limitConn). Gzip lets a payload grow by
	// its compression ratio, so the wire bound is the same as after gunzip.
	opts.SetCustomOpenConnectionFn(openConnection(in.cfg.MaxMessageBytes, in.cfg.ConnectTimeout, tlsCfg))
	opts.SetProtocolVersion(4) // MQTT 3.1.1, as the agent's sink speaks
	// A persistent session under a stable id: the broker queues QoS >= 1
	// messages while we are away and redelivers unacknowledged ones.
	opts.SetCleanSession(false)
	// Ack only once the sink took the records (see work).
	opts.SetAutoAckDisabled(true)
	// The handler only enqueues, so it never blocks Paho's router, and one
	// worker keeps the broker's order (and acks in that order).
	opts.SetOrderMatters(true)
	// Messages of the resumed session can arrive before OnConnect has
	// resubscribed; the default handler catches them (a message with no
	// handler would never be acknowledged).
	opts.SetDefaultPublishHandler(in.onMessage)
	opts.SetOnConnectHandler(in.onConnect)
	opts.SetConnectionLostHandler(in.onConnectionLost)
	opts.SetReconnectingHandler(func(_ mqtt.Client, o *mqtt.ClientOptions) {
		in.logger.Debug("Reconnecting to MQTT broker", zap.Strings("brokers", in.cfg.Brokers))
	})
	opts.SetAutoReconnect(true)
	opts.SetMaxReconnectInterval(in.cfg.MaxReconnectInterval)
	opts.SetConnectRetry(false) // the first connection is retried by connect, which reports why it failed
	opts.SetConnectTimeout(in.cfg.ConnectTimeout)
	opts.SetKeepAlive(in.cfg.KeepAlive)
	opts.SetPingTimeout(min(in.cfg.KeepAlive, 10*time.Second))
	opts.SetWriteTimeout(in.cfg.ConnectTimeout)
	return opts
}

// connect makes the first connection, retrying with backoff until it
// succeeds or ctx ends; after that Paho's auto-reconnect takes over.
func (in *Input) connect(ctx context.Context) {
	bo := &backoff.ExponentialBackOff{
		InitialInterval:     time.Second,
		MaxInterval:         in.cfg.MaxReconnectInterval,
		Multiplier:          1.5,
		RandomizationFactor: 0.2,
	}
	bo.Reset()
	for ctx.Err() == nil {
		tok := in.client.Connect()
		select {
		case <-tok.Done():
		case <-ctx.Done():
			return
		}
		if tok.Error() == nil {
			return
		}
		wait := bo.NextBackOff()
		in.logger.Warn("Cannot connect to MQTT broker; will retry",
			zap.Strings("brokers", in.cfg.Brokers), zap.Error(tok.Error()), zap.Duration("retry_in", wait))
		in.health.Down(ctx, part, fmt.Errorf("connect to MQTT broker: %w", tok.Error()))
		if ingest.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// onConnect (re)subscribes after every connection. The broker keeps the
// subscriptions of a persistent session, but not if it lost the session
// (restarted without persistence), so they are always renewed.
func (in *Input) onConnect(c mqtt.Client) {
	filters := make(map[string]byte, len(in.cfg.Topics))
	for _, t := range in.cfg.Topics {
		filters[t] = byte(in.cfg.QoS)
	}
	tok := c.SubscribeMultiple(filters, nil)
	if !tok.WaitTimeout(in.cfg.ConnectTimeout) {
		in.subscribeFailed(fmt.Errorf("subscribe to %v: no SUBACK within %s", in.cfg.Topics, in.cfg.ConnectTimeout))
		return
	}
	if err := tok.Error(); err != nil {
		in.subscribeFailed(fmt.Errorf("subscribe to %v: %w", in.cfg.Topics, err))
		return
	}
	for topic, granted := range tok.(*mqtt.SubscribeToken).Result() {
		if granted == 0x80 {
			in.subscribeFailed(fmt.Errorf("subscribe to %q: refused by the broker", topic))
			return
		}
	}
	in.logger.Info("Connected to MQTT broker and subscribed",
		zap.Strings("brokers", in.cfg.Brokers), zap.String("client_id", in.cfg.ClientID), zap.Strings("topics", in.cfg.Topics))
	in.health.Up(in.runCtx, part)
}

func (in *Input) subscribeFailed(err error) {
	in.logger.Error("MQTT subscription failed; records on these topics will not arrive", zap.Error(err))
	in.health.Down(in.runCtx, part, err)
}

func (in *Input) onConnectionLost(_ mqtt.Client, err error) {
	in.logger.Warn("Lost connection to MQTT broker; reconnecting", zap.Strings("brokers", in.cfg.Brokers), zap.Error(err))
	in.health.Down(in.runCtx, part, fmt.Errorf("connection to MQTT broker lost: %w", err))
}
