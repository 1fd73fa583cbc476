package e2e

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// OTLPLogsSink is an in-process OTLP/HTTP logs receiver for a collector's
// otlp_http exporter, on a free loopback port. It keeps every batch.
type OTLPLogsSink struct {
	// Endpoint is the base URL for an otlp_http exporter, which posts to
	// Endpoint/v1/logs.
	Endpoint string

	mu      sync.Mutex
	batches []plog.Logs
}

// StartOTLPLogsSink starts the listener; it stops when the test ends.
func StartOTLPLogsSink(t testing.TB) *OTLPLogsSink {
	t.Helper()
	s := &OTLPLogsSink{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("OTLP logs sink: listening: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/logs", s.serveHTTP)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	s.Endpoint = "http://" + ln.Addr().String()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return s
}

func (s *OTLPLogsSink) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := otlpProtobufBody(w, r)
	if !ok {
		return
	}
	req := plogotlp.NewExportRequest()
	if err := req.UnmarshalProto(body); err != nil {
		http.Error(w, "decoding the OTLP request: "+err.Error(), http.StatusBadRequest)
		return
	}
	cp := plog.NewLogs()
	req.Logs().CopyTo(cp)
	s.mu.Lock()
	s.batches = append(s.batches, cp)
	s.mu.Unlock()
	answer, err := plogotlp.NewExportResponse().MarshalProto()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(answer)
}

// LogRecord is one received log record with its agent.
type LogRecord struct {
	Agent      string
	EventName  string
	Attributes map[string]any
}

// Records are every log record received so far, in arrival order.
func (s *OTLPLogsSink) Records() []LogRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []LogRecord
	for _, ld := range s.batches {
		for i := 0; i < ld.ResourceLogs().Len(); i++ {
			rl := ld.ResourceLogs().At(i)
			agent := ""
			if v, ok := rl.Resource().Attributes().Get("netify.agent.id"); ok {
				agent = v.Str()
			}
			for j := 0; j < rl.ScopeLogs().Len(); j++ {
				lrs := rl.ScopeLogs().At(j).LogRecords()
				for k := 0; k < lrs.Len(); k++ {
					lr := lrs.At(k)
					out = append(out, LogRecord{Agent: agent, EventName: lr.EventName(), Attributes: lr.Attributes().AsRaw()})
				}
			}
		}
	}
	return out
}
