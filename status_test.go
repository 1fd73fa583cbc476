package netifyflowstatsreceiver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

// With the socket agent down and the MQTT broker up, the receiver stays in
// recoverable error naming the socket input, though MQTT connected (and
// reported OK) after the socket reported its error; once the agent is
// there, the receiver is OK.
func TestReceiverStatusCombinesInputs(t *testing.T) {
	b := mosquittotest.Start(t)
	agent := listenSocketAgent(t, "unix")
	agent.close() // down at start-up

	ir := startInputReceiver(t, func(c *Config) {
		s := socketin.NewDefaultConfig()
		s.Endpoints = []socketin.EndpointConfig{{Endpoint: agent.endpoint(), AgentID: inputsAgent}}
		s.DialTimeout = 2 * time.Second
		s.Reconnect.InitialInterval = 10 * time.Millisecond
		s.Reconnect.MaxInterval = 100 * time.Millisecond
		c.Socket = configoptional.Some(s)
		m := mqttin.NewDefaultConfig()
		m.Brokers = []string{b.URL()}
		m.ClientID = "inputs-status"
		m.Topics = []string{"netify/+/flows"}
		m.ConnectTimeout = 2 * time.Second
		m.MaxReconnectInterval = 250 * time.Millisecond
		c.MQTT = configoptional.Some(m)
	})

	// The MQTT input is connected and subscribed once a record published
	// over and over reaches the receiver.
	recs := inputsStream(t)[:1]
	pub := newMQTTAgent(t, b.URL())
	require.Eventually(t, func() bool {
		return pub.publish(flowsTopic(inputsAgent), recs[0].JSON()) == nil && ir.taken(t, mqttin.Transport) > 0
	}, inputsWait, 50*time.Millisecond, "the MQTT input did not take a record")

	require.Eventually(t, func() bool { return ir.host.Last() == componentstatus.StatusRecoverableError }, inputsWait, inputsPoll)
	for _, ev := range ir.host.Events() {
		assert.NotEqual(t, componentstatus.StatusOK, ev.Status(), "no OK while the socket agent is down")
	}
	last := ir.host.Events()[len(ir.host.Events())-1]
	assert.ErrorContains(t, last.Err(), "socket endpoint "+agent.endpoint())
	assert.NotContains(t, last.Err().Error(), "mqtt broker")

	agent.listen(agent.addr)
	agent.accept()
	require.Eventually(t, func() bool { return ir.host.Last() == componentstatus.StatusOK }, inputsWait, inputsPoll,
		"OK once every input is")
}
