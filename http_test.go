package netifyflowstatsreceiver

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/receiver/receivertest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/metadata"
)

// The documented flow_stats example of NETIFY.md.
const documentedFlowStats = `{"flow":{"detection_packets":2,"digest":"c3086c57745b","digest_prev":["fcd1061d4c2ba844"],"last_seen_at":1772665318561,"local_bytes":5559,"local_packets":6,"local_rate":5559,"other_bytes":913,"other_packets":6,"other_rate":913,"tcp":{"resets":0,"retrans":0,"seq_errors":0},"total_bytes":613175,"total_packets":1064},"interface":"wlp3s0","internal":true,"type":"flow_stats"}`

func flowStats(digest string, localBytes, otherBytes int) string {
	return fmt.Sprintf(`{"flow":{"digest":%q,"digest_prev":["ff%s"],"local_bytes":%d,"local_packets":1,"local_rate":%d.5,"other_bytes":%d,"other_packets":1,"other_rate":1,"total_bytes":%d,"total_packets":2},"interface":"lan","internal":false,"type":"flow_stats"}`,
		digest, digest, localBytes, localBytes, otherBytes, localBytes+otherBytes)
}

// startHTTPReceiver starts a receiver whose HTTP input listens on a free
// loopback port; it returns the receiver and the URL records are posted to.
func startHTTPReceiver(t *testing.T, next *consumertest.MetricsSink, tweak ...func(*Config)) (*netifyReceiver, string) {
	t.Helper()
	cfg := createDefaultConfig().(*Config)
	h := cfg.HTTP.Get()
	h.ServerConfig.NetAddr.Endpoint = "127.0.0.1:0"
	cfg.FlushInterval = time.Hour
	perFlowOnly(cfg)
	for _, f := range tweak {
		f(cfg)
	}
	r, err := newReceiver(receivertest.NewNopSettings(metadata.Type), cfg, next)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return r, "http://" + r.httpAddr.String() + cfg.HTTP.Get().Path
}

type request struct {
	contentType string
	encoding    string
	header      map[string]string
	body        []byte
}

func post(t *testing.T, url string, req request) (int, httpin.Answer) {
	t.Helper()
	hr, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(req.body))
	require.NoError(t, err)
	hr.Header.Set("Content-Type", req.contentType)
	if req.encoding != "" {
		hr.Header.Set("Content-Encoding", req.encoding)
	}
	for k, v := range req.header {
		hr.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(hr)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var a httpin.Answer
	require.NoError(t, json.Unmarshal(raw, &a), "answer %q", raw)
	return resp.StatusCode, a
}

func gzipped(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func msgpacked(t *testing.T, jsonRecord string) []byte {
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(jsonRecord), &v))
	b, err := msgpack.Marshal(v)
	require.NoError(t, err)
	return b
}

// flushed flushes and returns the value of every int sum point, keyed by
// agent|metric|digest|direction.
func flushed(t *testing.T, r *netifyReceiver, sink *consumertest.MetricsSink) map[string]int64 {
	t.Helper()
	sink.Reset()
	r.flush(context.Background())
	out := map[string]int64{}
	for _, md := range sink.AllMetrics() {
		forEachSumPoint(md, func(agent, metric string, dp pmetric.NumberDataPoint) {
			out[agent+"|"+metric+"|"+attr(dp.Attributes(), "netify.flow.digest")+"|"+attr(dp.Attributes(), "network.io.direction")] = dp.IntValue()
		})
	}
	return out
}

// attr is the attribute's value as a string, "" when absent.
func attr(m pcommon.Map, key string) string {
	if v, ok := m.Get(key); ok {
		return v.AsString()
	}
	return ""
}

func forEachSumPoint(md pmetric.Metrics, fn func(agent, metric string, dp pmetric.NumberDataPoint)) {
	for i := 0; i < md.ResourceMetrics().Len(); i++ {
		rm := md.ResourceMetrics().At(i)
		agent := attr(rm.Resource().Attributes(), "netify.agent.id")
		for j := 0; j < rm.ScopeMetrics().Len(); j++ {
			ms := rm.ScopeMetrics().At(j).Metrics()
			for k := 0; k < ms.Len(); k++ {
				m := ms.At(k)
				if m.Type() != pmetric.MetricTypeSum {
					continue
				}
				for l := 0; l < m.Sum().DataPoints().Len(); l++ {
					fn(agent, m.Name(), m.Sum().DataPoints().At(l))
				}
			}
		}
	}
}

func TestHTTPBodies(t *testing.T) {
	ndjson := flowStats("a", 1, 2) + "\n" + flowStats("b", 3, 4) + "\n"
	array := "[" + flowStats("a", 1, 2) + "," + flowStats("b", 3, 4) + "]"
	tests := []struct {
		name     string
		req      request
		accepted int
		want     map[string]int64
	}{
		{"single record", request{contentType: "application/json", body: []byte(flowStats("a", 1, 2))}, 1,
			map[string]int64{"agent-1|netify.flow.io|ffa|transmit": 1, "agent-1|netify.flow.io|ffa|receive": 2}},
		{"array", request{contentType: "application/json", body: []byte(array)}, 2,
			map[string]int64{"agent-1|netify.flow.io|ffa|transmit": 1, "agent-1|netify.flow.io|ffb|receive": 4}},
		{"ndjson", request{contentType: "application/x-ndjson", body: []byte(ndjson)}, 2,
			map[string]int64{"agent-1|netify.flow.io|ffa|receive": 2, "agent-1|netify.flow.io|ffb|transmit": 3}},
		{"gzip", request{contentType: "application/json", encoding: "gzip", body: gzipped(t, []byte(ndjson))}, 2,
			map[string]int64{"agent-1|netify.flow.io|ffb|receive": 4}},
		{"msgpack", request{contentType: "application/msgpack", body: msgpacked(t, flowStats("a", 7, 8))}, 1,
			map[string]int64{"agent-1|netify.flow.io|ffa|transmit": 7, "agent-1|netify.flow.io|ffa|receive": 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &consumertest.MetricsSink{}
			r, url := startHTTPReceiver(t, sink)
			tt.req.header = map[string]string{"X-Netify-Agent": "agent-1"}
			status, a := post(t, url, tt.req)
			require.Equal(t, http.StatusOK, status, "answer %+v", a)
			assert.Equal(t, httpin.Answer{Accepted: tt.accepted}, a)
			got := flushed(t, r, sink)
			for k, v := range tt.want {
				assert.Equal(t, v, got[k], k)
			}
		})
	}
}

func TestHTTPDocumentedRecordYieldsDocumentedMetrics(t *testing.T) {
	sink := &consumertest.MetricsSink{}
	r, url := startHTTPReceiver(t, sink)
	status, _ := post(t, url+"/agent-uuid-1", request{contentType: "application/json", body: []byte(documentedFlowStats)})
	require.Equal(t, http.StatusOK, status)
	r.flush(context.Background())
	require.Len(t, sink.AllMetrics(), 1)
	md := sink.AllMetrics()[0]
	require.Equal(t, 1, md.ResourceMetrics().Len())
	rm := md.ResourceMetrics().At(0)
	agent, _ := rm.Resource().Attributes().Get("netify.agent.id")
	assert.Equal(t, "agent-uuid-1", agent.AsString(), "the agent id comes from the URL path")

	byName := map[string]pmetric.Metric{}
	ms := rm.ScopeMetrics().At(0).Metrics()
	for i := 0; i < ms.Len(); i++ {
		byName[ms.At(i).Name()] = ms.At(i)
	}
	io := byName["netify.flow.io"]
	assert.Equal(t, "By", io.Unit())
	require.Equal(t, 2, io.Sum().DataPoints().Len())
	tx := io.Sum().DataPoints().At(0)
	assert.Equal(t, int64(5559), tx.IntValue())
	assert.Equal(t, map[string]any{
		"network.interface.name": "wlp3s0",
		"netify.flow.internal":   true,
		"netify.flow.digest":     "fcd1061d4c2ba844",
		"network.io.direction":   "transmit",
	}, tx.Attributes().AsRaw())
	assert.Equal(t, int64(913), io.Sum().DataPoints().At(1).IntValue())
	assert.Equal(t, pmetric.AggregationTemporalityCumulative, io.Sum().AggregationTemporality())
	assert.Equal(t, int64(6), byName["netify.flow.packets"].Sum().DataPoints().At(0).IntValue())
	assert.Equal(t, 5559.0, byName["netify.flow.rate"].Gauge().DataPoints().At(0).DoubleValue())
	assert.Equal(t, "By/s", byName["netify.flow.rate"].Unit())
	assert.Equal(t, int64(0), byName["netify.flow.tcp.retransmissions"].Sum().DataPoints().At(0).IntValue())
	assert.Equal(t, int64(613175), byName["netify.flow.lifetime.io"].Sum().DataPoints().At(0).IntValue())
	assert.Equal(t, int64(1064), byName["netify.flow.lifetime.packets"].Sum().DataPoints().At(0).IntValue())
	_, detection := byName["netify.flow.detection.packets"]
	assert.False(t, detection, "detection packets are off by default")
}

func TestHTTPTwoReportsSumUnderOneStart(t *testing.T) {
	sink := &consumertest.MetricsSink{}
	r, url := startHTTPReceiver(t, sink)
	hdr := map[string]string{"X-Netify-Agent": "a"}
	status, _ := post(t, url, request{contentType: "application/json", header: hdr, body: []byte(flowStats("d1", 100, 10))})
	require.Equal(t, http.StatusOK, status)
	r.flush(context.Background())
	// Second report of the same flow after a DPI digest change.
	second := strings.Replace(flowStats("d2", 50, 5), `"digest_prev":["ffd2"]`, `"digest_prev":["ffd1","d1"]`, 1)
	status, _ = post(t, url, request{contentType: "application/json", header: hdr, body: []byte(second)})
	require.Equal(t, http.StatusOK, status)
	r.flush(context.Background())

	all := sink.AllMetrics()
	require.Len(t, all, 2)
	var starts []pcommon.Timestamp
	var values []int64
	for _, md := range all {
		forEachSumPoint(md, func(_, metric string, dp pmetric.NumberDataPoint) {
			dir, _ := dp.Attributes().Get("network.io.direction")
			digest, _ := dp.Attributes().Get("netify.flow.digest")
			if metric == "netify.flow.io" && dir.Str() == "transmit" {
				assert.Equal(t, "ffd1", digest.Str(), "the digest change keeps the series")
				starts = append(starts, dp.StartTimestamp())
				values = append(values, dp.IntValue())
			}
		})
	}
	assert.Equal(t, []int64{100, 150}, values)
	require.Len(t, starts, 2)
	assert.Equal(t, starts[0], starts[1], "one start timestamp for the life of the series")
}

func TestHTTPAgentIdentity(t *testing.T) {
	sink := &consumertest.MetricsSink{}
	r, url := startHTTPReceiver(t, sink)
	body := []byte(flowStats("0d", 1, 1))
	post(t, url, request{contentType: "application/json", header: map[string]string{"X-Netify-Agent": "from-header"}, body: body})
	post(t, url+"/from-path", request{contentType: "application/json", body: body})
	post(t, url, request{contentType: "application/json", body: body})
	got := flushed(t, r, sink)
	assert.Equal(t, int64(1), got["from-header|netify.flow.io|ff0d|transmit"])
	assert.Equal(t, int64(1), got["from-path|netify.flow.io|ff0d|transmit"])
	assert.Equal(t, int64(1), got["127.0.0.1|netify.flow.io|ff0d|transmit"], "without header or path: the peer address")
}

func TestHTTPBadBodies(t *testing.T) {
	sink := &consumertest.MetricsSink{}
	r, url := startHTTPReceiver(t, sink, func(c *Config) { c.HTTP.Get().ServerConfig.MaxRequestBodySize = 4096 })
	good := map[string]string{"X-Netify-Agent": "good-agent"}
	status, _ := post(t, url, request{contentType: "application/json", header: good, body: []byte(flowStats("c0", 10, 20))})
	require.Equal(t, http.StatusOK, status)

	bad := map[string]string{"X-Netify-Agent": "bad-agent"}
	tests := []struct {
		name   string
		req    request
		status int
		answer httpin.Answer
	}{
		{"garbage", request{contentType: "application/json", body: []byte("this is not json")}, http.StatusBadRequest,
			httpin.Answer{Rejected: 1}},
		{"empty", request{contentType: "application/json"}, http.StatusBadRequest, httpin.Answer{Rejected: 1}},
		{"unsupported type", request{contentType: "text/xml", body: []byte("<flow/>")}, http.StatusUnsupportedMediaType, httpin.Answer{Rejected: 1}},
		{"too large", request{contentType: "application/json", body: bytes.Repeat([]byte(" "), 5000)}, http.StatusRequestEntityTooLarge, httpin.Answer{}},
		{"one bad record among good", request{contentType: "application/x-ndjson",
			body: []byte(flowStats("a1", 1, 1) + "\n{\"type\":\"flow_stats\",\"flow\":{\"local_bytes\":1}}\n" + flowStats("a2", 2, 2) + "\n")},
			http.StatusOK, httpin.Answer{Accepted: 2, Rejected: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.header = bad
			status, a := post(t, url, tt.req)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.answer.Accepted, a.Accepted)
			assert.Equal(t, tt.answer.Rejected, a.Rejected)
			require.NotEmpty(t, a.Errors, "the answer names the problem")
			t.Logf("answer: %v", a.Errors)
		})
	}

	got := flushed(t, r, sink)
	assert.Equal(t, int64(10), got["good-agent|netify.flow.io|ffc0|transmit"], "other agents' data untouched")
	assert.Equal(t, int64(20), got["good-agent|netify.flow.io|ffc0|receive"])
	assert.Equal(t, int64(1), got["bad-agent|netify.flow.io|ffa1|transmit"], "good records around a bad one are kept")
	assert.Equal(t, int64(2), got["bad-agent|netify.flow.io|ffa2|transmit"])
}

func TestHTTPWrongMethodAndPath(t *testing.T) {
	_, url := startHTTPReceiver(t, &consumertest.MetricsSink{})
	resp, err := http.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	status, a := post(t, url+"/agent/extra", request{contentType: "application/json", body: []byte("{}")})
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, a.Errors[0], "/agent/extra")
}

func TestHTTPBusyWhenTableFullOfUnsentFlows(t *testing.T) {
	sink := &consumertest.MetricsSink{}
	r, url := startHTTPReceiver(t, sink, func(c *Config) { c.Flows.Max = 1 })
	// One flow with unsent data fills the table: a second flow is refused.
	status, _ := post(t, url, request{contentType: "application/json", body: []byte(flowStats("01", 1, 1))})
	require.Equal(t, http.StatusOK, status)
	status, a := post(t, url, request{contentType: "application/json", body: []byte(flowStats("02", 1, 1))})
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, 0, a.Accepted)
	// Once flushed, the first flow can be evicted and the second accepted.
	r.flush(context.Background())
	status, _ = post(t, url, request{contentType: "application/json", body: []byte(flowStats("02", 1, 1))})
	assert.Equal(t, http.StatusOK, status)
}

var _ = configoptional.None[HTTPConfig]
