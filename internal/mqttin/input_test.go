package mqttin

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"
)

const topic = "netify/3f2a9c1e-agent/flows"

// Every record published while the broker restarts mid-stream reaches the
// sink. QoS 1 is at least once: duplicates are counted and logged, and
// attributed to the publisher when it had to publish a record twice.
func TestEveryRecordSurvivesBrokerRestart(t *testing.T) {
	b := mosquittotest.Start(t)
	sink := &ingesttest.RecordingSink{}
	host := ingesttest.NewStatusHost()
	startInput(t, testConfig(b, "recv-restart"), sink, host, nil)
	pub := newPublisher(t, b)

	const n = 300
	attempts := make([]int, n+1)
	published := make(chan error, 1)
	go func() {
		for i := 1; i <= n; i++ {
			a, err := pub.publish(topic, flowStats(i))
			if err != nil {
				published <- err
				return
			}
			attempts[i] = a
			time.Sleep(2 * time.Millisecond) // spread the stream so the restart lands inside it
		}
		published <- nil
	}()

	require.Eventually(t, func() bool { return sink.Distinct() >= n/3 }, waitFor, 5*time.Millisecond)
	lost := host.Count(componentstatus.StatusRecoverableError)
	b.Restart()
	require.NoError(t, <-published)
	require.Eventually(t, func() bool { return sink.Distinct() == n }, waitFor, 10*time.Millisecond,
		"every published record reaches the sink")

	assert.Greater(t, host.Count(componentstatus.StatusRecoverableError), lost, "the lost broker is reported")
	require.Eventually(t, func() bool { return host.Last() == componentstatus.StatusOK }, waitFor, 10*time.Millisecond)

	extra, which := duplicates(sink.Digests())
	republished := 0
	for d := range which {
		var i int
		_, err := fmt.Sscanf(d, "d%06d", &i)
		require.NoError(t, err)
		if attempts[i] > 1 {
			republished++
		}
	}
	t.Logf("broker restart mid-stream: published %d, received %d, distinct %d, duplicates %d %v (%d of them republished by the publisher)",
		n, len(sink.Digests()), sink.Distinct(), extra, which, republished)
	for _, bt := range sink.Batches() {
		assert.Equal(t, "3f2a9c1e-agent", bt.Agent)
		assert.Equal(t, "mqtt", bt.Transport)
	}
}

// An ack that is lost with the connection makes the broker redeliver a
// message whose records the sink already took: the duplicate the flow
// table must expect. Here n messages wait on a busy sink (unacked, so all
// in the broker's in-flight window) while the broker restarts; the sink
// takes them once the input has reconnected.
func TestAckLostWithConnectionDuplicates(t *testing.T) {
	b := mosquittotest.Start(t)
	var busy atomic.Bool
	busy.Store(true)
	sink := &ingesttest.RecordingSink{Busy: busy.Load}
	host := ingesttest.NewStatusHost()
	startInput(t, testConfig(b, "recv-acklost"), sink, host, nil)
	pub := newPublisher(t, b)

	const n = 10
	pub.publishRange(t, topic, 1, n)
	require.Eventually(t, func() bool { return sink.BusyCalls() > 0 }, waitFor, 5*time.Millisecond)
	oks := host.Count(componentstatus.StatusOK)
	b.Restart()
	require.Eventually(t, func() bool { return host.Count(componentstatus.StatusOK) > oks }, waitFor, 10*time.Millisecond)
	busy.Store(false)

	// The broker resends its in-flight messages as the session resumes,
	// before anything published later: a marker published now arrives
	// after every redelivered copy.
	pub.publishRange(t, topic, n+1, n+1)
	require.Eventually(t, func() bool {
		ds := sink.Digests()
		return len(ds) > 0 && ds[len(ds)-1] == ingesttest.Digest(n+1)
	}, waitFor, 10*time.Millisecond)
	assert.Equal(t, n+1, sink.Distinct(), "nothing lost")
	extra, which := duplicates(sink.Digests())
	t.Logf("acks lost with the connection: published %d, received %d, duplicates %d: %v", n+1, len(sink.Digests()), extra, which)
	assert.Positive(t, extra, "records taken while disconnected are delivered again")
}

// Records published while the input is stopped, even across a broker
// restart, arrive when it starts again with the same client id.
func TestPersistentSessionDeliversWhileStopped(t *testing.T) {
	b := mosquittotest.Start(t)
	cfg := testConfig(b, "recv-persistent")
	first := &ingesttest.RecordingSink{}
	in, err := New(cfg, settings(first, nil))
	require.NoError(t, err)
	host := ingesttest.NewStatusHost()
	require.NoError(t, in.Start(context.Background(), host))
	require.Eventually(t, func() bool { return host.Last() == componentstatus.StatusOK }, waitFor, 10*time.Millisecond)
	require.NoError(t, in.Shutdown(context.Background()))

	pub := newPublisher(t, b)
	pub.publishRange(t, topic, 1, 25)
	b.Restart()
	pub.publishRange(t, topic, 26, 50)

	second := &ingesttest.RecordingSink{}
	startInput(t, cfg, second, ingesttest.NewStatusHost(), nil)
	require.Eventually(t, func() bool { return len(second.Digests()) == 50 }, waitFor, 10*time.Millisecond)
	// Once each; not necessarily in order: the publisher's own in-flight
	// message may be resent by its client after the broker restart, behind
	// the next one.
	assert.ElementsMatch(t, ingesttest.DigestRange(1, 50), second.Digests(), "queued records arrive once each")
	assert.Empty(t, first.Digests())
}

// While the sink is busy no message is acked and nothing is lost; once it
// accepts, everything arrives once and in order.
func TestBusySinkHoldsMessages(t *testing.T) {
	b := mosquittotest.Start(t)
	var busy atomic.Bool
	busy.Store(true)
	sink := &ingesttest.RecordingSink{Busy: busy.Load}
	startInput(t, testConfig(b, "recv-busy"), sink, ingesttest.NewStatusHost(), nil)
	pub := newPublisher(t, b)

	pub.publishRange(t, topic, 1, 100)
	require.Eventually(t, func() bool { return sink.BusyCalls() >= 10 }, waitFor, 5*time.Millisecond)
	assert.Empty(t, sink.Digests())
	busy.Store(false)
	require.Eventually(t, func() bool { return len(sink.Digests()) == 100 }, waitFor, 10*time.Millisecond)
	assert.Equal(t, ingesttest.DigestRange(1, 100), sink.Digests())
}

// A message still waiting on a busy sink at shutdown is not acked: the next
// session with the same client id receives it.
func TestShutdownLeavesUnackedMessageForNextSession(t *testing.T) {
	b := mosquittotest.Start(t)
	cfg := testConfig(b, "recv-shutdown")
	busySink := &ingesttest.RecordingSink{Busy: func() bool { return true }}
	in, err := New(cfg, settings(busySink, nil))
	require.NoError(t, err)
	host := ingesttest.NewStatusHost()
	require.NoError(t, in.Start(context.Background(), host))
	require.Eventually(t, func() bool { return host.Last() == componentstatus.StatusOK }, waitFor, 10*time.Millisecond)

	newPublisher(t, b).publishRange(t, topic, 1, 3)
	require.Eventually(t, func() bool { return busySink.BusyCalls() > 0 }, waitFor, 5*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, in.Shutdown(ctx))

	sink := &ingesttest.RecordingSink{}
	startInput(t, cfg, sink, ingesttest.NewStatusHost(), nil)
	require.Eventually(t, func() bool { return len(sink.Digests()) == 3 }, waitFor, 10*time.Millisecond)
	assert.Equal(t, ingesttest.DigestRange(1, 3), sink.Digests())
}

func TestBrokerDownAtStartIsRetried(t *testing.T) {
	b := mosquittotest.Start(t)
	b.Stop()
	host := ingesttest.NewStatusHost()
	sink := &ingesttest.RecordingSink{}
	in, err := New(testConfig(b, "recv-late"), settings(sink, nil))
	require.NoError(t, err)
	require.NoError(t, in.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, in.Shutdown(context.Background())) })
	require.Eventually(t, func() bool { return host.Last() == componentstatus.StatusRecoverableError }, waitFor, 10*time.Millisecond)

	b.Resume()
	require.Eventually(t, func() bool { return host.Last() == componentstatus.StatusOK }, waitFor, 10*time.Millisecond)
	newPublisher(t, b).publishRange(t, topic, 1, 1)
	require.Eventually(t, func() bool { return len(sink.Digests()) == 1 }, waitFor, 10*time.Millisecond)
}

func TestShutdownWithoutStartAndStartTwice(t *testing.T) {
	cfg := NewDefaultConfig()
	cfg.Brokers = []string{"tcp://127.0.0.1:1"}
	in, err := New(cfg, settings(&ingesttest.RecordingSink{}, nil))
	require.NoError(t, err)
	require.NoError(t, in.Shutdown(context.Background()))

	in, err = New(cfg, settings(&ingesttest.RecordingSink{}, nil))
	require.NoError(t, err)
	require.NoError(t, in.Start(context.Background(), componenttest.NewNopHost()))
	require.Error(t, in.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, in.Shutdown(context.Background()))

	_, err = New(cfg, settings(nil, nil))
	require.Error(t, err)
}

// What the agent's sink can publish: JSON or msgpack, each optionally
// gzipped, on topics with or without an agent level; a payload that does not
// decode costs only itself.
func TestPayloadsThroughBroker(t *testing.T) {
	b := mosquittotest.Start(t)
	sink := &ingesttest.RecordingSink{}
	decErrs := &ingesttest.DecodeErrors{Transport: Transport}
	cfg := testConfig(b, "recv-payloads")
	cfg.Topics = []string{"netify/+/#", "flows"}
	startInput(t, cfg, sink, ingesttest.NewStatusHost(), decErrs)
	pub := newPublisher(t, b)

	for _, m := range []struct {
		topic   string
		payload []byte
	}{
		{"netify/agent-a/flows", flowStats(1)},
		{"netify/agent-a/flows", gz(t, flowStats(2))},
		{"netify/agent-b/stats", msgpackRecord(t, 3)},
		{"netify/agent-b/stats", gz(t, msgpackRecord(t, 4))},
		{"netify/agent-b/stats", []byte("not a record")},
		{"flows", flowStats(5)},
	} {
		_, err := pub.publish(m.topic, m.payload)
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return len(sink.Digests()) == 5 }, waitFor, 10*time.Millisecond)
	assert.Equal(t, ingesttest.DigestRange(1, 5), sink.Digests())
	var agents []string
	for _, bt := range sink.Batches() {
		agents = append(agents, bt.Agent)
	}
	assert.Equal(t, []string{"agent-a", "agent-a", "agent-b", "agent-b", "flows"}, agents)
	assert.Equal(t, 1, decErrs.Count(), "the garbage payload is one decode error")
	recs := sink.Batches()
	assert.Equal(t, uint64(3), recs[2].Records[0].LocalBytes, "msgpack decoded")
}
