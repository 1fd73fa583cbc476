package e2e

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"google.golang.org/grpc"
	// The otlp_grpc exporter compresses with gzip by default.
	_ "google.golang.org/grpc/encoding/gzip"
)

// OTLP protocols an OTLPSink receives on; the keys of its batches.
const (
	ProtocolGRPC = "grpc"
	ProtocolHTTP = "http"
)

// OTLPSink is an in-process OTLP metrics receiver for a collector's
// otlp_grpc and otlp_http exporters to send to, on free loopback ports. It
// keeps every batch it was sent, per protocol.
type OTLPSink struct {
	pmetricotlp.UnimplementedGRPCServer

	// GRPCEndpoint is host:port for an otlp_grpc exporter (tls insecure).
	GRPCEndpoint string
	// HTTPEndpoint is the base URL for an otlp_http exporter, which posts
	// to HTTPEndpoint/v1/metrics.
	HTTPEndpoint string

	mu      sync.Mutex
	batches map[string][]pmetric.Metrics
}

// StartOTLPSink starts both listeners; they stop when the test ends.
func StartOTLPSink(t testing.TB) *OTLPSink {
	t.Helper()
	s := &OTLPSink{batches: map[string][]pmetric.Metrics{}}

	grpcLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("OTLP sink: listening for gRPC: %v", err)
	}
	grpcSrv := grpc.NewServer()
	pmetricotlp.RegisterGRPCServer(grpcSrv, s)
	go func() { _ = grpcSrv.Serve(grpcLn) }()
	s.GRPCEndpoint = grpcLn.Addr().String()

	httpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		grpcSrv.Stop()
		t.Fatalf("OTLP sink: listening for HTTP: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/metrics", s.serveHTTP)
	httpSrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpSrv.Serve(httpLn) }()
	s.HTTPEndpoint = "http://" + httpLn.Addr().String()

	t.Cleanup(func() {
		grpcSrv.Stop()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = httpSrv.Shutdown(ctx)
	})
	return s
}

// Export implements the OTLP gRPC metrics service.
func (s *OTLPSink) Export(_ context.Context, req pmetricotlp.ExportRequest) (pmetricotlp.ExportResponse, error) {
	s.keep(ProtocolGRPC, req.Metrics())
	return pmetricotlp.NewExportResponse(), nil
}

func (s *OTLPSink) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := otlpProtobufBody(w, r)
	if !ok {
		return
	}
	req := pmetricotlp.NewExportRequest()
	if err := req.UnmarshalProto(body); err != nil {
		http.Error(w, "decoding the OTLP request: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.keep(ProtocolHTTP, req.Metrics())
	answer, err := pmetricotlp.NewExportResponse().MarshalProto()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(answer)
}

func readOTLPBody(r *http.Request) ([]byte, error) {
	var body io.Reader = r.Body
	switch enc := r.Header.Get("Content-Encoding"); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		defer zr.Close()
		body = zr
	default:
		return nil, errors.New("Content-Encoding " + enc + ": this sink takes gzip or none")
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("reading the OTLP body: %w", err)
	}
	return b, nil
}

// keep stores a copy: the request's memory belongs to the server.
func (s *OTLPSink) keep(protocol string, md pmetric.Metrics) {
	cp := pmetric.NewMetrics()
	md.CopyTo(cp)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches[protocol] = append(s.batches[protocol], cp)
}

// Batches are the batches received over protocol so far, in arrival order.
// They are shared: do not modify them.
func (s *OTLPSink) Batches(protocol string) []pmetric.Metrics {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]pmetric.Metrics(nil), s.batches[protocol]...)
}

// otlpProtobufBody reads the body of an OTLP/HTTP protobuf request; on a bad
// one it answers the error itself and reports false.
func otlpProtobufBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := readOTLPBody(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return nil, false
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		http.Error(w, fmt.Sprintf("Content-Type %q: this sink takes application/x-protobuf only", ct), http.StatusUnsupportedMediaType)
		return nil, false
	}
	return body, true
}
