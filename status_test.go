package netifyflowstatsreceiver

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/config/configoptional"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

func TestStatusAggregatorFoldsInputs(t *testing.T) {
	host := ingesttest.NewStatusHost()
	agg := newStatusAggregator(host)
	socket, mqtt := agg.hostFor("socket"), agg.hostFor("mqtt")
	ok := componentstatus.NewEvent(componentstatus.StatusOK)
	down := func(msg string) *componentstatus.Event {
		return componentstatus.NewRecoverableErrorEvent(errors.New(msg))
	}
	type want struct {
		status componentstatus.Status
		err    string
	}
	steps := []struct {
		name   string
		report func()
		want   []want // every event the host received so far
	}{
		{"socket down", func() { componentstatus.ReportStatus(socket, down("dial: refused")) },
			[]want{{componentstatus.StatusRecoverableError, "socket input: dial: refused"}}},
		{"mqtt OK does not hide it", func() { componentstatus.ReportStatus(mqtt, ok) },
			[]want{{componentstatus.StatusRecoverableError, "socket input: dial: refused"}}},
		{"mqtt down too: both named", func() { componentstatus.ReportStatus(mqtt, down("connection lost")) },
			[]want{
				{componentstatus.StatusRecoverableError, "socket input: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt input: connection lost\nsocket input: dial: refused"},
			}},
		{"socket back: only mqtt named", func() { componentstatus.ReportStatus(socket, ok) },
			[]want{
				{componentstatus.StatusRecoverableError, "socket input: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt input: connection lost\nsocket input: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt input: connection lost"},
			}},
		{"mqtt back: OK", func() { componentstatus.ReportStatus(mqtt, ok) },
			[]want{
				{componentstatus.StatusRecoverableError, "socket input: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt input: connection lost\nsocket input: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt input: connection lost"},
				{componentstatus.StatusOK, ""},
			}},
		{"a repeated OK is not reported again", func() { componentstatus.ReportStatus(socket, ok) },
			[]want{
				{componentstatus.StatusRecoverableError, "socket input: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt input: connection lost\nsocket input: dial: refused"},
				{componentstatus.StatusRecoverableError, "mqtt input: connection lost"},
				{componentstatus.StatusOK, ""},
			}},
	}
	for _, s := range steps {
		s.report()
		var got []want
		for _, ev := range host.Events() {
			w := want{status: ev.Status()}
			if ev.Err() != nil {
				w.err = ev.Err().Error()
			}
			got = append(got, w)
		}
		require.Equal(t, s.want, got, s.name)
	}

	// A fatal error is passed on as it is.
	componentstatus.ReportStatus(mqtt, componentstatus.NewFatalErrorEvent(errors.New("boom")))
	last := host.Events()[len(host.Events())-1]
	assert.Equal(t, componentstatus.StatusFatalError, last.Status())
	assert.EqualError(t, last.Err(), "boom")
}

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
	assert.ErrorContains(t, last.Err(), "socket input: socket endpoint "+agent.endpoint())
	assert.NotContains(t, last.Err().Error(), "mqtt input")

	agent.listen(agent.addr)
	agent.accept()
	require.Eventually(t, func() bool { return ir.host.Last() == componentstatus.StatusOK }, inputsWait, inputsPoll,
		"OK once every input is")
}
