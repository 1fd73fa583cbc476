package send

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
)

func TestMQTTPublishesToTheAgentTopic(t *testing.T) {
	broker := mosquittotest.Start(t).URL()
	sub := mosquittotest.Subscribe(t, broker, "netify/+/flows")

	m, err := DialMQTT(MQTTConfig{Broker: broker, Topic: "netify/${uuid_agent}/flows", AgentID: "agent-7", QoS: 1, Timeout: 10 * time.Second})
	require.NoError(t, err)
	require.Equal(t, "netify/agent-7/flows", m.Topic())
	want, _ := payloads(t, gen.FormatJSON, 6)
	for _, p := range want {
		require.NoError(t, m.Send(context.Background(), p))
	}
	require.NoError(t, m.Close())

	require.Eventually(t, func() bool { return len(sub.Messages()) == len(want) }, 10*time.Second, 10*time.Millisecond)
	for i, msg := range sub.Messages() {
		require.Equal(t, "netify/agent-7/flows", msg.Topic)
		require.Equal(t, want[i], msg.Payload)
	}
}

func TestMQTTGzipPayloads(t *testing.T) {
	broker := mosquittotest.Start(t).URL()
	sub := mosquittotest.Subscribe(t, broker, "z/#")
	m, err := DialMQTT(MQTTConfig{Broker: broker, Topic: "z/${uuid_agent}", AgentID: "g", QoS: 0, Gzip: true, Timeout: 10 * time.Second})
	require.NoError(t, err)
	defer m.Close()
	require.NoError(t, m.Send(context.Background(), []byte(`{"type":"agent_status"}`)))
	require.Eventually(t, func() bool { return len(sub.Messages()) == 1 }, 10*time.Second, 10*time.Millisecond)
	zr, err := gzip.NewReader(bytes.NewReader(sub.Messages()[0].Payload))
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	require.Equal(t, `{"type":"agent_status"}`, string(raw))
}

func TestMQTTUnreachableBrokerFailsToDial(t *testing.T) {
	_, err := DialMQTT(MQTTConfig{Broker: "tcp://127.0.0.1:1", Topic: "t", AgentID: "a", QoS: 1, Timeout: 2 * time.Second})
	require.ErrorContains(t, err, "connecting to MQTT broker tcp://127.0.0.1:1")
	_, err = DialMQTT(MQTTConfig{Broker: "tcp://127.0.0.1:1", QoS: 3})
	require.ErrorContains(t, err, "QoS")
}
