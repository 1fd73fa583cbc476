package mqttin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
)

const waitFor = 20 * time.Second

// flowStats is one flow_stats record whose digest carries n.
func flowStats(n int) []byte { return []byte(ingesttest.FlowStatsJSON(n)) }

// duplicates counts the records seen more than once, by digest.
func duplicates(ds []string) (extra int, which map[string]int) {
	which = map[string]int{}
	for _, d := range ds {
		which[d]++
	}
	for d, n := range which {
		if n == 1 {
			delete(which, d)
			continue
		}
		extra += n - 1
	}
	return extra, which
}

func testConfig(b *mosquittotest.Broker, clientID string) Config {
	cfg := NewDefaultConfig()
	cfg.Brokers = []string{b.URL()}
	cfg.ClientID = clientID
	cfg.ConnectTimeout = 2 * time.Second
	cfg.KeepAlive = 5 * time.Second
	cfg.MaxReconnectInterval = 250 * time.Millisecond
	return cfg
}

// startInput starts an input and waits until it is subscribed (status OK).
func startInput(t *testing.T, cfg Config, sink ingest.Sink, host *ingesttest.StatusHost, counter ingest.Counter) *Input {
	t.Helper()
	in, err := New(cfg, settings(sink, counter))
	require.NoError(t, err)
	oks := host.Count(componentstatus.StatusOK)
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, in.Shutdown(context.Background())) })
	require.Eventually(t, func() bool { return host.Count(componentstatus.StatusOK) > oks }, waitFor, 10*time.Millisecond,
		"the input did not connect and subscribe")
	return in
}

// publisher plays the agent's MQTT sink: a real Paho client publishing at
// QoS 1 and republishing what the broker did not acknowledge.
type publisher struct {
	c mqtt.Client
}

func newPublisher(t *testing.T, b *mosquittotest.Broker) *publisher {
	t.Helper()
	opts := mqtt.NewClientOptions().AddBroker(b.URL()).
		SetClientID("agent-" + strings.ReplaceAll(t.Name(), "/", "-")).
		SetCleanSession(true).
		SetAutoReconnect(true).
		SetConnectRetry(true).
		SetConnectRetryInterval(50 * time.Millisecond).
		SetMaxReconnectInterval(250 * time.Millisecond).
		SetConnectTimeout(2 * time.Second)
	c := mqtt.NewClient(opts)
	tok := c.Connect()
	require.True(t, tok.WaitTimeout(waitFor), "publisher connect timed out")
	require.NoError(t, tok.Error())
	t.Cleanup(func() { c.Disconnect(100) })
	return &publisher{c: c}
}

// publish returns how many attempts the broker needed to acknowledge the
// message: more than one means the broker may hold it twice.
func (p *publisher) publish(topic string, payload []byte) (attempts int, err error) {
	for attempts = 1; attempts <= 100; attempts++ {
		tok := p.c.Publish(topic, 1, false, payload)
		if tok.WaitTimeout(3*time.Second) && tok.Error() == nil {
			return attempts, nil
		}
		time.Sleep(50 * time.Millisecond) // pacing the retries while the broker restarts
	}
	return attempts, fmt.Errorf("publish to %s: no PUBACK after %d attempts", topic, attempts-1)
}

func (p *publisher) publishRange(t *testing.T, topic string, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		_, err := p.publish(topic, flowStats(n))
		require.NoError(t, err)
	}
}

// settings are the input's shared settings for a test: no health of its
// own, so the input reports to the host it is started with.
func settings(sink ingest.Sink, counter ingest.Counter) ingest.Settings {
	return ingest.Settings{Sink: sink, Telemetry: componenttest.NewNopTelemetrySettings(), Counter: counter}
}
