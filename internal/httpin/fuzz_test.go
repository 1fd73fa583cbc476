package httpin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
)

// FuzzHandler posts a fuzzed body, content type, path and agent header to
// the handler: every answer is JSON with a known status, nothing the
// sender chose comes back longer than an excerpt, and one request
// allocates within ingesttest's bound for its size. Seeds are in
// testdata/fuzz/FuzzHandler and below; plain `go test` runs them.
func FuzzHandler(f *testing.F) {
	f.Add([]byte(flowStats("ab12")), "application/json", "/v1/netify", "agent-1")
	f.Add([]byte("["+flowStats("aa")+","+flowStats("bb")+"]"), "application/json", "/v1/netify/agent-2", "")
	f.Add([]byte("\x82\xa4type\xa4flow\xa4flow\x81\xa6digest\xa2ab"), "application/msgpack", "/v1/netify/", "")
	f.Add(bytes.Repeat([]byte{0x01}, 4096), "application/msgpack", "/v1/netify", "a")
	f.Add(bytes.Repeat([]byte("{}\n"), 2000), "application/x-ndjson", "/v1/netify", "a")
	f.Add([]byte(`{"type":"flow_stats","interface":"eth\u0000","flow":{"digest":"ab","local_bytes":1e30}}`), "text/plain", "/v1/netify/x", "\x01")
	f.Add([]byte("x"), "text/"+strings.Repeat("a", 300), "/"+strings.Repeat("p", 300), "")

	f.Fuzz(func(t *testing.T, body []byte, contentType, path, agent string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		r, err := http.NewRequest(http.MethodPost, "http://x"+strings.ReplaceAll(path, "?", ""), bytes.NewReader(body))
		if err != nil {
			return // not a URL a client could send
		}
		r.RemoteAddr = "192.0.2.1:4000"
		r.Header.Set("Content-Type", contentType)
		if agent != "" {
			r.Header.Set(testHeader, agent)
		}
		f := newFixture()
		w := httptest.NewRecorder()
		ingesttest.CheckAllocBound(t, len(body)+len(contentType)+len(path)+len(agent), func() { f.h.ServeHTTP(w, r) })
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusUnsupportedMediaType:
		default:
			t.Fatalf("status %d", w.Code)
		}
		var a Answer
		if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
			t.Fatalf("answer is not JSON: %v: %q", err, w.Body.String())
		}
		if a.Accepted < 0 || a.Rejected < 0 || a.Skipped < 0 {
			t.Fatalf("negative counts: %+v", a)
		}
		if len(a.Errors) > 21 {
			t.Fatalf("%d error messages, at most 21", len(a.Errors))
		}
		for _, e := range a.Errors {
			if len(e) > 400 {
				t.Fatalf("an error message of %d bytes: %.100q", len(e), e)
			}
		}
		taken := 0
		for _, b := range f.sink.batches {
			taken += len(b.Records)
		}
		if w.Code == http.StatusOK && a.Accepted+a.Skipped == 0 {
			t.Fatalf("200 with nothing accepted or skipped: %+v", a)
		}
		if a.Accepted > taken {
			t.Fatalf("answer says %d accepted, the sink took %d", a.Accepted, taken)
		}
	})
}
