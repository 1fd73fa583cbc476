package netifyflowstatsreceiver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/pmetrictest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadatatest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mqttin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/socketin"
)

// The tests of this file run the receiver with one real input each and
// compare what comes out with the generator's ground truth.

const (
	inputsAgent = "7d1f0c3a-5e2b-4c6d-9a8e-inputs000001"
	// inputsWait is generous: a loaded 2-core machine under -race.
	inputsWait = 30 * time.Second
	inputsPoll = 10 * time.Millisecond
)

// inputsStream is the record stream every transport carries: one agent,
// 16 concurrent flows (some purged and replaced), 8 update intervals.
func inputsStream(t *testing.T) []gen.Record {
	t.Helper()
	recs, err := gen.Records(gen.Config{Seed: 20260304, AgentIDs: []string{inputsAgent}, Flows: 16}, scenarioEpoch, 8)
	require.NoError(t, err)
	return recs
}

// truth is what the receiver's sums must add up to, per agent: the deltas
// of the flow_stats and flow_purge records (gen.Tally's rule).
func truth(recs []gen.Record) map[string]gen.Tally {
	out := map[string]gen.Tally{}
	for i := range recs {
		tl := out[recs[i].Agent]
		tl.Add(&recs[i])
		out[recs[i].Agent] = tl
	}
	for a, tl := range out {
		tl.Records, tl.RecordsTotal = nil, 0
		out[a] = tl
	}
	return out
}

// deltaSumsOf adds up, per agent, every flow's point of the sums built from
// the agent's deltas, in gen.Tally's terms.
func deltaSumsOf(md pmetric.Metrics) map[string]gen.Tally {
	out := map[string]gen.Tally{}
	forEachSumPoint(md, func(agent, metric string, dp pmetric.NumberDataPoint) {
		tl := out[agent]
		v := uint64(dp.IntValue())
		tx := attr(dp.Attributes(), attrDirection) == "transmit"
		switch {
		case metric == "netify.flow.io" && tx:
			tl.LocalBytes += v
		case metric == "netify.flow.io":
			tl.OtherBytes += v
		case metric == "netify.flow.packets" && tx:
			tl.LocalPackets += v
		case metric == "netify.flow.packets":
			tl.OtherPackets += v
		case metric == "netify.flow.tcp.resets":
			tl.TCPResets += v
		case metric == "netify.flow.tcp.retransmissions":
			tl.TCPRetrans += v
		case metric == "netify.flow.tcp.sequence_errors":
			tl.TCPSeqErrors += v
		default:
			return
		}
		out[agent] = tl
	})
	return out
}

func countType(recs []gen.Record, types ...string) int64 {
	var n int64
	for i := range recs {
		for _, typ := range types {
			if recs[i].Type == typ {
				n++
			}
		}
	}
	return n
}

// inputReceiver is a receiver with real inputs, its own telemetry (whose
// records counter tells the test what the inputs handed over) and a host
// that keeps the status events.
type inputReceiver struct {
	*netifyReceiver
	sink *consumertest.MetricsSink
	tt   *componenttest.Telemetry
	host *ingesttest.StatusHost
}

// startInputReceiver starts a receiver with no input but what tweak
// enables, and a flush interval long enough that only the test flushes.
func startInputReceiver(t *testing.T, tweak func(*Config)) *inputReceiver {
	t.Helper()
	return startInputReceiverTo(t, tweak, nil)
}

// startInputReceiverTo is startInputReceiver handing the metrics to next
// instead of a sink that keeps them (a long run would keep them all).
func startInputReceiverTo(t *testing.T, tweak func(*Config), next consumer.Metrics) *inputReceiver {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	cfg.HTTP = configoptional.None[HTTPConfig]()
	cfg.FlushInterval = time.Hour
	cfg.Flows.IdleTimeout = 24 * time.Hour
	cfg.Metrics.NetifyFlowDetectionPackets.Enabled = true
	perFlowOnly(cfg)
	tweak(cfg)
	require.NoError(t, cfg.Validate())

	tt := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tt.Shutdown(context.Background())) })
	ir := &inputReceiver{sink: &consumertest.MetricsSink{}, tt: tt, host: ingesttest.NewStatusHost()}
	if next == nil {
		next = ir.sink
	}
	r, err := newReceiver(metadatatest.NewSettings(tt), cfg, next)
	require.NoError(t, err)
	ir.netifyReceiver = r
	require.NoError(t, r.Start(context.Background(), ir.host))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return ir
}

// counted reads the receiver's records counter for one transport, keyed
// by outcome, and by "outcome/type" too.
func (ir *inputReceiver) counted(t *testing.T, transport string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	m, err := ir.tt.GetMetric("otelcol_netifyflowstats_records")
	if err != nil { // nothing recorded yet
		return out
	}
	sum, ok := m.Data.(metricdata.Sum[int64])
	if !ok { // t.Errorf, not require: this runs inside require.Eventually's goroutine
		t.Errorf("records counter is %T, want an int64 sum", m.Data)
		return out
	}
	for _, dp := range sum.DataPoints {
		if v, _ := dp.Attributes.Value("transport"); v.AsString() != transport {
			continue
		}
		outcome, _ := dp.Attributes.Value("outcome")
		typ, _ := dp.Attributes.Value("type")
		out[outcome.AsString()] += dp.Value
		out[outcome.AsString()+"/"+typ.AsString()] += dp.Value
	}
	return out
}

// taken is how many records the inputs handed over and the receiver took:
// applied, skipped (types the receiver does not map) or dropped as redeliveries.
func (ir *inputReceiver) taken(t *testing.T, transport string) int64 {
	c := ir.counted(t, transport)
	return c[outcomeAccepted] + c[outcomeSkipped] + c[outcomeDuplicate] + c[outcomeLate]
}

func (ir *inputReceiver) waitTaken(t *testing.T, transport string, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return ir.taken(t, transport) >= int64(n) }, inputsWait, inputsPoll,
		"the %s input did not hand over %d records", transport, n)
}

// flushOnce flushes and returns what it produced: the flows' batch, then
// the agents' health, as one pmetric.Metrics.
func (ir *inputReceiver) flushOnce(t *testing.T) pmetric.Metrics {
	t.Helper()
	ir.sink.Reset()
	ir.flush(context.Background())
	all := ir.sink.AllMetrics()
	require.Len(t, all, 2, "one flush, one ConsumeMetrics for flows and one for agent health")
	md := all[0]
	all[1].ResourceMetrics().MoveAndAppendTo(md.ResourceMetrics())
	return md
}

// ---- HTTP: one POST per record, identity in the header, as the agent's
// HTTP sink sends them.

func feedHTTP(t *testing.T, recs []gen.Record) *inputReceiver {
	ir := startInputReceiver(t, func(c *Config) {
		d := createDefaultConfig().(*Config).HTTP.Get()
		d.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
		c.HTTP = configoptional.Some(*d)
	})
	url := "http://" + ir.httpAddr.String() + defaultPath
	for i := range recs {
		status, a := post(t, url, request{
			contentType: "application/json",
			header:      map[string]string{defaultAgentIDHeader: recs[i].Agent},
			body:        recs[i].JSON(),
		})
		require.Equal(t, http.StatusOK, status, "record %d (%s): %+v", i, recs[i].Type, a)
		// Every record of the stream is mapped: flows' and agents' health.
		require.Equal(t, httpin.Answer{Accepted: 1}, a, "record %d (%s)", i, recs[i].Type)
	}
	// Each POST returned after its record was applied; nothing to wait for.
	require.EqualValues(t, len(recs), ir.taken(t, "http"))
	return ir
}

// ---- Socket: the test plays the agent's socket sink, listening; the
// receiver dials it.

type socketAgent struct {
	t       *testing.T
	network string
	addr    string
	ln      net.Listener
	conns   chan net.Conn
}

func listenSocketAgent(t *testing.T, network string) *socketAgent {
	t.Helper()
	a := &socketAgent{t: t, network: network, conns: make(chan net.Conn, 4)}
	addr := "127.0.0.1:0"
	if network == "unix" {
		// A unix socket path must fit in ~108 bytes; t.TempDir may not.
		dir, err := os.MkdirTemp("", "netify-inputs")
		require.NoError(t, err)
		t.Cleanup(func() { _ = os.RemoveAll(dir) })
		addr = filepath.Join(dir, "flows.sock")
	}
	a.listen(addr)
	t.Cleanup(a.close)
	return a
}

func (a *socketAgent) listen(addr string) {
	ln, err := net.Listen(a.network, addr)
	require.NoError(a.t, err, "agent listening on %s %s", a.network, addr)
	a.ln, a.addr = ln, ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			a.conns <- c
		}
	}()
}

// close is the agent going away: no listener, no socket file.
func (a *socketAgent) close() {
	_ = a.ln.Close()
	if a.network == "unix" {
		_ = os.Remove(a.addr)
	}
}

func (a *socketAgent) endpoint() string { return a.network + "://" + a.addr }

// accept waits for the receiver's next connection.
func (a *socketAgent) accept() net.Conn {
	a.t.Helper()
	select {
	case c := <-a.conns:
		a.t.Cleanup(func() { _ = c.Close() })
		return c
	case <-time.After(inputsWait):
		a.t.Fatalf("the receiver did not connect to %s", a.endpoint())
		return nil
	}
}

func ndjson(recs []gen.Record) []byte {
	var b []byte
	for i := range recs {
		b = append(b, recs[i].JSON()...)
		b = append(b, '\n')
	}
	return b
}

func startSocketReceiver(t *testing.T, a *socketAgent) *inputReceiver {
	return startInputReceiver(t, func(c *Config) {
		s := socketin.NewDefaultConfig()
		s.Endpoints = []socketin.EndpointConfig{{Endpoint: a.endpoint(), AgentID: inputsAgent, Format: socketin.FormatJSON}}
		s.DialTimeout = 2 * time.Second
		s.Reconnect.InitialInterval = 10 * time.Millisecond
		s.Reconnect.MaxInterval = 100 * time.Millisecond
		c.Socket = configoptional.Some(s)
	})
}

func feedSocket(network string) func(t *testing.T, recs []gen.Record) *inputReceiver {
	return func(t *testing.T, recs []gen.Record) *inputReceiver {
		a := listenSocketAgent(t, network)
		ir := startSocketReceiver(t, a)
		c := a.accept()
		_, err := c.Write(ndjson(recs))
		require.NoError(t, err)
		// The connection stays open: an EOF would only make the receiver
		// re-dial.
		ir.waitTaken(t, socketin.Transport, len(recs))
		return ir
	}
}

// ---- MQTT: a real Mosquitto; the test plays the agent's MQTT sink, a
// Paho client publishing each record at QoS 1 to netify/<agent>/flows.

func startMQTTReceiver(t *testing.T, b *mosquittotest.Broker) *inputReceiver {
	ir := startInputReceiver(t, func(c *Config) {
		m := mqttin.NewDefaultConfig()
		m.Brokers = []string{b.URL()}
		m.ClientID = "inputs-" + strings.ReplaceAll(t.Name(), "/", "-")
		m.Topics = []string{"netify/+/flows"}
		m.AgentIDTopicLevel = 1
		m.QoS = 1
		m.ConnectTimeout = 2 * time.Second
		m.KeepAlive = 5 * time.Second
		m.MaxReconnectInterval = 250 * time.Millisecond
		c.MQTT = configoptional.Some(m)
	})
	// Subscribed once it reports OK; what is published before would be lost.
	require.Eventually(t, func() bool { return ir.host.Last() == componentstatus.StatusOK }, inputsWait, inputsPoll,
		"the MQTT input did not connect and subscribe")
	return ir
}

// mqttAgent publishes at QoS 1 and, like a careful agent, publishes again
// what the broker did not acknowledge.
type mqttAgent struct {
	c       mqtt.Client
	retries atomic.Int64
}

func newMQTTAgent(t *testing.T, url string) *mqttAgent {
	t.Helper()
	opts := mqtt.NewClientOptions().AddBroker(url).
		SetClientID("agent-" + strings.ReplaceAll(t.Name(), "/", "-")).
		SetCleanSession(true).
		SetAutoReconnect(true).
		SetConnectRetry(true).
		SetConnectRetryInterval(50 * time.Millisecond).
		SetMaxReconnectInterval(250 * time.Millisecond).
		SetConnectTimeout(2 * time.Second)
	c := mqtt.NewClient(opts)
	tok := c.Connect()
	require.True(t, tok.WaitTimeout(inputsWait), "agent connect to %s timed out", url)
	require.NoError(t, tok.Error())
	t.Cleanup(func() { c.Disconnect(100) })
	return &mqttAgent{c: c}
}

func (p *mqttAgent) publish(topic string, payload []byte) error {
	const attempts = 200
	for i := 0; i < attempts; i++ {
		tok := p.c.Publish(topic, 1, false, payload)
		if tok.WaitTimeout(3*time.Second) && tok.Error() == nil {
			return nil
		}
		p.retries.Add(1)
		time.Sleep(50 * time.Millisecond) // pacing the retries while the broker is away
	}
	return fmt.Errorf("publish to %s: no PUBACK after %d attempts", topic, attempts)
}

func flowsTopic(agent string) string { return "netify/" + agent + "/flows" }

func feedMQTT(t *testing.T, recs []gen.Record) *inputReceiver {
	b := mosquittotest.Start(t)
	ir := startMQTTReceiver(t, b)
	pub := newMQTTAgent(t, b.URL())
	for i := range recs {
		require.NoError(t, pub.publish(flowsTopic(recs[i].Agent), recs[i].JSON()))
	}
	ir.waitTaken(t, mqttin.Transport, len(recs))
	return ir
}

// ---- The tests.

// A record stream sent through HTTP, the socket input (unix and TCP) and
// MQTT yields identical metrics, whose sums are the generator's truth.
func TestInputsYieldIdenticalMetrics(t *testing.T) {
	recs := inputsStream(t)
	want := truth(recs)
	require.Positive(t, want[inputsAgent].LocalBytes)
	require.Positive(t, want[inputsAgent].TCPRetrans, "the stream exercises the tcp counters")
	require.Positive(t, countType(recs, gen.TypeAgentStatus))

	feeds := []struct {
		name, transport string
		feed            func(*testing.T, []gen.Record) *inputReceiver
	}{
		{"http", "http", feedHTTP},
		{"socket-unix", socketin.Transport, feedSocket("unix")},
		{"socket-tcp", socketin.Transport, feedSocket("tcp")},
		{"mqtt", mqttin.Transport, feedMQTT},
	}
	got := map[string]pmetric.Metrics{}
	for _, f := range feeds {
		t.Run(f.name, func(t *testing.T) {
			ir := f.feed(t, recs)
			c := ir.counted(t, f.transport)
			assert.Equal(t, int64(len(recs)), c[outcomeAccepted], "every record (agent_status too) applied once: %v", c)
			assert.Zero(t, c[outcomeSkipped]+c[outcomeDuplicate]+c[outcomeMalformed]+c[outcomeBusy], "%v", c)

			md := ir.flushOnce(t)
			assert.Equal(t, want, deltaSumsOf(md), "sums over all flows equal the generator's tally")
			got[f.name] = md
		})
	}

	ref, ok := got["http"]
	require.True(t, ok, "the HTTP run is the reference")
	require.Positive(t, ref.DataPointCount())
	for name, md := range got {
		if name == "http" {
			continue
		}
		assert.NoError(t, pmetrictest.CompareMetrics(ref, md,
			pmetrictest.IgnoreTimestamp(),
			pmetrictest.IgnoreStartTimestamp(),
			pmetrictest.IgnoreResourceMetricsOrder(),
			pmetrictest.IgnoreScopeMetricsOrder(),
			pmetrictest.IgnoreMetricsOrder(),
			pmetrictest.IgnoreMetricDataPointsOrder(),
			// The receive time of the agent's report differs between runs.
			pmetrictest.IgnoreMetricValues("netify.agent.report.time"),
		), "%s against http", name)
	}
}

// The broker restarts while the agent publishes; the agent publishes again
// what was not acknowledged, the broker redelivers what the receiver had
// not acknowledged. At-least-once delivery, yet the cumulative sums equal
// the truth exactly: the flow table drops redelivered stats records.
func TestMQTTBrokerRestartMidStreamCountsEachRecordOnce(t *testing.T) {
	recs := inputsStream(t)
	want := truth(recs)
	stats := countType(recs, gen.TypeFlowStats, gen.TypeFlowPurge)

	b := mosquittotest.Start(t)
	ir := startMQTTReceiver(t, b)
	pub := newMQTTAgent(t, b.URL())

	half := make(chan struct{})
	published := make(chan error, 1)
	var sent atomic.Int64
	go func() {
		for i := range recs {
			if i == len(recs)/2 {
				close(half)
			}
			if err := pub.publish(flowsTopic(recs[i].Agent), recs[i].JSON()); err != nil {
				published <- fmt.Errorf("record %d: %w", i, err)
				return
			}
			sent.Add(1)
			time.Sleep(2 * time.Millisecond) // pacing, so the restart lands inside the stream
		}
		published <- nil
	}()

	select {
	case <-half:
	case err := <-published:
		t.Fatalf("the agent stopped before half the stream: %v", err)
	}
	lost := ir.host.Count(componentstatus.StatusRecoverableError)
	b.Stop()
	atStop := sent.Load()
	b.Resume()
	atResume := sent.Load()
	require.NoError(t, <-published)

	// Stats records are deduplicated, so "accepted" reaches the number of
	// them exactly once all have arrived, whatever was redelivered.
	require.Eventually(t, func() bool {
		c := ir.counted(t, mqttin.Transport)
		return c[outcomeAccepted+"/"+gen.TypeFlowStats]+c[outcomeAccepted+"/"+gen.TypeFlowPurge] >= stats
	}, inputsWait, inputsPoll, "every flow_stats and flow_purge record reaches the receiver")
	c := ir.counted(t, mqttin.Transport)
	assert.Equal(t, stats, c[outcomeAccepted+"/"+gen.TypeFlowStats]+c[outcomeAccepted+"/"+gen.TypeFlowPurge], "%v", c)

	md := ir.flushOnce(t)
	assert.Equal(t, want, deltaSumsOf(md), "cumulative sums count each record exactly once")
	assert.Greater(t, ir.host.Count(componentstatus.StatusRecoverableError), lost, "the lost broker was reported")
	t.Logf("broker restart mid-stream: %d records (%d acknowledged when it stopped, %d when it was back), %d publishes repeated by the agent, %d redeliveries dropped: %v",
		len(recs), atStop, atResume, pub.retries.Load(), c[outcomeDuplicate], c)
}

// The agent drops the connection in the middle of a record and comes back
// on the same socket: the receiver re-dials, the torn record is lost (the
// socket sink has no redelivery), everything before and after it counts.
func TestSocketAgentReconnectMidStream(t *testing.T) {
	recs := inputsStream(t)
	// Tear the stream at a flow_stats record in its second half.
	cut := len(recs) / 2
	for recs[cut].Type != gen.TypeFlowStats {
		cut++
	}
	torn := recs[cut]
	want := truth(append(append([]gen.Record(nil), recs[:cut]...), recs[cut+1:]...))
	require.NotEqual(t, truth(recs), want, "the torn record carries counts")

	a := listenSocketAgent(t, "unix")
	ir := startSocketReceiver(t, a)
	first := a.accept()
	_, err := first.Write(ndjson(recs[:cut]))
	require.NoError(t, err)
	half := torn.JSON()[:len(torn.JSON())/2]
	_, err = first.Write(half)
	require.NoError(t, err)
	ir.waitTaken(t, socketin.Transport, cut)

	// The agent restarts: listener and connection gone, then back. The
	// listener goes first, so the re-dial cannot reach it before.
	a.close()
	require.NoError(t, first.Close())
	require.Eventually(t, func() bool { return ir.host.Last() == componentstatus.StatusRecoverableError }, inputsWait, inputsPoll,
		"the lost agent is reported")
	a.listen(a.addr)
	second := a.accept()
	_, err = second.Write(ndjson(recs[cut+1:]))
	require.NoError(t, err)
	ir.waitTaken(t, socketin.Transport, len(recs)-1)

	c := ir.counted(t, socketin.Transport)
	assert.EqualValues(t, len(recs)-1, ir.taken(t, socketin.Transport), "%v", c)
	assert.Zero(t, c[outcomeDuplicate]+c[outcomeBusy], "%v", c)
	md := ir.flushOnce(t)
	assert.Equal(t, want, deltaSumsOf(md), "records before the drop and after the reconnect all count, the torn one does not")
	assert.Equal(t, componentstatus.StatusOK, ir.host.Last(), "back to OK after the reconnect")
}
