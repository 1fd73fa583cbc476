package httpin

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/config/confighttp"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// oneRecord is what the agent's HTTP sink posts: one flow_stats record.
const oneRecord = `{"flow":{"detection_packets":32,"digest":"9a1e0c55d2b34f7e8a6b1c2d3e4f5a6b7c8d9e0f","digest_prev":["0f1e2d3c4b5a69788796a5b4c3d2e1f001234567","77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd"],"last_seen_at":1765893801667,"local_bytes":2028,"local_packets":34,"local_rate":1510.6666259765625,"other_bytes":29478,"other_packets":37,"other_rate":29478.0,"tcp":{"resets":0,"retrans":1,"seq_errors":0},"total_bytes":9404196,"total_packets":18450},"interface":"lan","internal":false,"type":"flow_stats"}`

// takeAll is a sink that takes every record and keeps nothing.
type takeAll struct{}

func (takeAll) Accept(_ context.Context, b ingest.Batch) (int, error) { return len(b.Records), nil }

// BenchmarkOneRecordRequest is the CPU of one agent POST above net/http's
// connection handling and below the flow table, without the network: the
// handler alone, and the handler inside what confighttp's ToServer wraps
// around it (otelhttp instrumentation with no-op providers, decompression,
// body limit, client info). The difference is confighttp's share.
func BenchmarkOneRecordRequest(b *testing.B) {
	tel := componenttest.NewNopTelemetrySettings()
	h := &Handler{
		Path: "/v1/netify",
		Gate: ingest.NewGate(ingest.Settings{Sink: takeAll{}, Telemetry: tel}, Transport),
		Now:  time.Now,
	}
	sc := confighttp.NewDefaultServerConfig()
	srv, err := sc.ToServer(context.Background(), nil, tel, h)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"handler", h}, {"confighttp", srv.Handler}} {
		b.Run(bc.name, func(b *testing.B) {
			payload := []byte(oneRecord)
			body := bytes.NewReader(payload)
			rc := io.NopCloser(body)
			r := httptest.NewRequest(http.MethodPost, "/v1/netify/bench-agent", nil)
			r.Header.Set("Content-Type", "application/json")
			r.ContentLength = int64(len(payload))
			w := &countingWriter{}
			b.ReportAllocs()
			for b.Loop() {
				body.Reset(payload)
				r.Body = rc
				w.reset()
				bc.h.ServeHTTP(w, r)
				if w.status != http.StatusOK {
					b.Fatalf("status %d", w.status)
				}
			}
		})
	}
}

// countingWriter is a ResponseWriter that keeps only the status, so that
// the benchmark measures the handler rather than a recorder. Its fresh
// header map per request is one allocation of the benchmark, as net/http's
// is of a real request.
type countingWriter struct {
	h      http.Header
	status int
	n      int
}

func (c *countingWriter) reset() {
	c.h, c.status, c.n = http.Header{}, 0, 0
}
func (c *countingWriter) Header() http.Header { return c.h }
func (c *countingWriter) WriteHeader(s int)   { c.status = s }
func (c *countingWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.n += len(p)
	return len(p), nil
}
