package netifyflowstatsreceiver

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/flowlogs"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// freePort finds a loopback port nobody listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// One configuration in a metrics and a logs pipeline is one receiver: one
// HTTP listener on a fixed port (a second would fail with the address in
// use), one flow table whose flows reach both consumers.
func TestOneReceiverServesMetricsAndLogs(t *testing.T) {
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	addr := freePort(t)
	cfg.HTTP.Get().ServerConfig.NetAddr.Endpoint = addr
	cfg.FlushInterval = time.Hour
	perFlowOnly(cfg)
	set := receivertest.NewNopSettings(metadata.Type)

	metrics, logs := new(consumertest.MetricsSink), new(consumertest.LogsSink)
	mr, err := f.CreateMetrics(context.Background(), set, cfg, metrics)
	require.NoError(t, err)
	lr, err := f.CreateLogs(context.Background(), set, cfg, logs)
	require.NoError(t, err)
	r := mr.(*sharedReceiver).netifyReceiver
	require.Same(t, r, lr.(*sharedReceiver).netifyReceiver, "one instance for both signals")

	other := f.CreateDefaultConfig().(*Config)
	or, err := f.CreateLogs(context.Background(), set, other, new(consumertest.LogsSink))
	require.NoError(t, err)
	assert.NotSame(t, r, or.(*sharedReceiver).netifyReceiver, "another configuration is another receiver")
	require.NoError(t, or.Shutdown(context.Background()))

	host := componenttest.NewNopHost()
	require.NoError(t, mr.Start(context.Background(), host))
	require.NoError(t, lr.Start(context.Background(), host), "the second pipeline's Start opens no second listener")
	assert.Equal(t, addr, r.httpAddr.String())

	url := "http://" + addr + cfg.HTTP.Get().Path
	status, _ := post(t, url, request{contentType: "application/json", header: map[string]string{"X-Netify-Agent": "agent-1"},
		body: []byte(flowStats("ab12", 100, 200))})
	require.Equal(t, 200, status)
	status, _ = post(t, url, request{contentType: "application/json", header: map[string]string{"X-Netify-Agent": "agent-1"},
		body: []byte(`{"type":"flow_purge","reason":"closed","interface":"lan","internal":false,"flow":{"digest":"ab12","digest_prev":["ffab12"],"local_bytes":1,"other_bytes":2,"local_packets":1,"other_packets":1}}`)})
	require.Equal(t, 200, status)
	r.flush(context.Background())

	sums := map[string]int64{}
	for _, md := range metrics.AllMetrics() {
		forEachSumPoint(md, func(_, metric string, dp pmetric.NumberDataPoint) {
			sums[metric+"/"+attr(dp.Attributes(), attrDirection)] += dp.IntValue()
		})
	}
	assert.Equal(t, int64(101), sums["netify.flow.io/transmit"])
	assert.Equal(t, int64(202), sums["netify.flow.io/receive"])

	require.Equal(t, 1, logs.LogRecordCount())
	rl := logs.AllLogs()[0].ResourceLogs().At(0)
	assert.Equal(t, "agent-1", attr(rl.Resource().Attributes(), flowlogs.AttrAgentID))
	got := rl.ScopeLogs().At(0).LogRecords().At(0).Attributes().AsRaw()
	assert.Equal(t, int64(101), got[flowlogs.AttrLocalBytes])
	assert.Equal(t, int64(202), got[flowlogs.AttrOtherBytes])
	assert.Equal(t, "closed", got[flowlogs.AttrEndReason])
	assert.Equal(t, "ffab12", got[flowlogs.AttrDigest])

	require.NoError(t, mr.Shutdown(context.Background()))
	require.NoError(t, lr.Shutdown(context.Background()), "the second Shutdown is a no-op")
	receivers.mu.Lock()
	assert.Empty(t, receivers.byConfig, "a stopped receiver is forgotten")
	receivers.mu.Unlock()

	// Created again (a reload), the configuration gets a new instance that
	// can listen on the same port.
	again, err := f.CreateMetrics(context.Background(), set, cfg, metrics)
	require.NoError(t, err)
	assert.NotSame(t, r, again.(*sharedReceiver).netifyReceiver)
	require.NoError(t, again.Start(context.Background(), host))
	require.NoError(t, again.Shutdown(context.Background()))
}

// A receiver in a logs pipeline only has no metrics consumer: its flushes
// send logs and skip metrics.
func TestLogsOnlyReceiver(t *testing.T) {
	f := NewFactory()
	cfg := f.CreateDefaultConfig().(*Config)
	cfg.HTTP.Get().ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	cfg.FlushInterval = time.Hour
	logs := new(consumertest.LogsSink)
	lr, err := f.CreateLogs(context.Background(), receivertest.NewNopSettings(metadata.Type), cfg, logs)
	require.NoError(t, err)
	require.NoError(t, lr.Start(context.Background(), componenttest.NewNopHost()))
	r := lr.(*sharedReceiver).netifyReceiver
	url := "http://" + r.httpAddr.String() + cfg.HTTP.Get().Path
	status, _ := post(t, url, request{contentType: "application/json", body: []byte(
		`{"type":"flow_purge","reason":"expired","interface":"lan","internal":true,"flow":{"digest":"cd34","local_bytes":5,"other_bytes":6}}`)})
	require.Equal(t, 200, status)
	require.NoError(t, lr.Shutdown(context.Background()))
	assert.Equal(t, 1, logs.LogRecordCount(), "the final flush at shutdown sends the record")
}
