package httpin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

const (
	testPath   = "/v1/netify"
	testHeader = "X-Netify-Agent"
	// httptest.NewRequest's peer address.
	testPeer = "192.0.2.1"
)

var testNow = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// fakeSink records the batches offered to it and answers with take/err;
// take < 0 means every record.
type fakeSink struct {
	batches []ingest.Batch
	take    int
	err     error
}

func (s *fakeSink) Accept(_ context.Context, b ingest.Batch) (int, error) {
	s.batches = append(s.batches, b)
	if s.take < 0 {
		return len(b.Records), s.err
	}
	return s.take, s.err
}

// malformedCall is one refusal the gate logged: the agent, how many
// records, and the first error.
type malformedCall struct {
	agent string
	count int
	first string
}

type fixture struct {
	h      *Handler
	sink   *fakeSink
	counts *ingesttest.DecodeErrors
	logs   *observer.ObservedLogs
}

func newFixture() *fixture {
	f := &fixture{sink: &fakeSink{take: -1}, counts: &ingesttest.DecodeErrors{Transport: Transport}}
	core, logs := observer.New(zap.InfoLevel)
	f.logs = logs
	tel := componenttest.NewNopTelemetrySettings()
	tel.Logger = zap.New(core)
	f.h = &Handler{
		Path:          testPath,
		AgentIDHeader: testHeader,
		Gate:          ingest.NewGate(ingest.Settings{Sink: f.sink, Telemetry: tel, Counter: f.counts}, Transport),
		Now:           func() time.Time { return testNow },
	}
	return f
}

// malformed lists the refusals logged so far.
func (f *fixture) malformed() []malformedCall {
	var out []malformedCall
	for _, e := range f.logs.FilterMessage("Malformed records refused").All() {
		m := e.ContextMap()
		c := malformedCall{agent: m["agent"].(string), count: int(m["count"].(int64))}
		if err, ok := m["error"].(string); ok {
			c.first = err
		}
		out = append(out, c)
	}
	return out
}

// refused is the one refusal expected of a delivery from agent.
func refused(agent string, errs ...string) []malformedCall {
	return []malformedCall{{agent: agent, count: len(errs), first: errs[0]}}
}

// serve runs one request through the handler and decodes the answer.
func (f *fixture) serve(t *testing.T, r *http.Request) (*httptest.ResponseRecorder, Answer) {
	t.Helper()
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	var a Answer
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &a), w.Body.String())
	return w, a
}

// agents lists the agent of every batch the sink was offered.
func (f *fixture) agents() []string {
	var out []string
	for _, b := range f.sink.batches {
		out = append(out, b.Agent)
	}
	return out
}

// digests lists the digests of every record the sink was offered.
func (f *fixture) digests() []string {
	var out []string
	for _, b := range f.sink.batches {
		for _, r := range b.Records {
			out = append(out, r.Digest)
		}
	}
	return out
}

func flowStats(digest string) string {
	return `{"type":"flow_stats","interface":"eth0","flow":{"digest":"` + digest + `","local_bytes":10}}`
}

func post(target, contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func TestHandlerAcceptsOneRecord(t *testing.T) {
	f := newFixture()
	w, a := f.serve(t, post(testPath, "application/json", flowStats("ab12")))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, Answer{Accepted: 1}, a)
	assert.Empty(t, f.malformed())
	require.Len(t, f.sink.batches, 1)
	assert.Equal(t, ingest.Batch{
		Agent: testPeer, Transport: "http", Received: testNow,
		Records: []record.Record{{
			Type: record.TypeFlowStats, HasInterface: true, Interface: "eth0", Digest: "ab12",
			HasStats: true, LocalBytes: 10,
		}},
	}, f.sink.batches[0])
}

func TestHandlerPaths(t *testing.T) {
	tests := []struct {
		name, method, target string
		status               int
		answer               Answer
		agents               []string
	}{
		{"exact path", http.MethodPost, testPath, http.StatusOK, Answer{Accepted: 1}, []string{testPeer}},
		{"agent segment", http.MethodPost, testPath + "/agent-7", http.StatusOK, Answer{Accepted: 1}, []string{"agent-7"}},
		{"escaped agent segment", http.MethodPost, testPath + "/site%20one", http.StatusOK, Answer{Accepted: 1}, []string{"site one"}},
		{"extra segments", http.MethodPost, testPath + "/agent-7/more", http.StatusNotFound,
			Answer{Errors: []string{`no records are taken at "/v1/netify/agent-7/more"; post to "/v1/netify" or "/v1/netify/<agent id>"`}}, nil},
		{"trailing slash", http.MethodPost, testPath + "/", http.StatusOK, Answer{Accepted: 1}, []string{testPeer}},
		{"other path", http.MethodPost, "/v1/netifyx", http.StatusNotFound,
			Answer{Errors: []string{`no records are taken at "/v1/netifyx"; post to "/v1/netify" or "/v1/netify/<agent id>"`}}, nil},
		{"root", http.MethodPost, "/", http.StatusNotFound,
			Answer{Errors: []string{`no records are taken at "/"; post to "/v1/netify" or "/v1/netify/<agent id>"`}}, nil},
		{"GET", http.MethodGet, testPath, http.StatusMethodNotAllowed,
			Answer{Errors: []string{"method GET not allowed; records are posted"}}, nil},
		{"PUT with agent", http.MethodPut, testPath + "/agent-7", http.StatusMethodNotAllowed,
			Answer{Errors: []string{"method PUT not allowed; records are posted"}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(flowStats("ab")))
			r.Header.Set("Content-Type", "application/json")
			w, a := f.serve(t, r)
			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, tc.answer, a)
			assert.Equal(t, tc.agents, f.agents())
			if tc.status == http.StatusMethodNotAllowed {
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			} else {
				assert.Empty(t, w.Header().Get("Allow"))
			}
		})
	}
}

func TestHandlerPathWithTrailingSlash(t *testing.T) {
	f := newFixture()
	f.h.Path = testPath + "/"
	w, _ := f.serve(t, post(testPath+"/", "application/json", flowStats("ab")))
	assert.Equal(t, http.StatusOK, w.Code)
	w, _ = f.serve(t, post(testPath+"/agent-7", "application/json", flowStats("ab")))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, []string{testPeer, "agent-7"}, f.agents())
}

func TestHandlerAgentIDPrecedence(t *testing.T) {
	tests := []struct {
		name, target, header, remote, configuredHeader string
		want                                           string
	}{
		{"header beats path", testPath + "/from-path", "from-header", "", testHeader, "from-header"},
		{"header is trimmed", testPath, "  from-header\t", "", testHeader, "from-header"},
		{"blank header falls back to path", testPath + "/from-path", "   ", "", testHeader, "from-path"},
		{"path beats peer", testPath + "/from-path", "", "", testHeader, "from-path"},
		{"peer host without port", testPath, "", "198.51.100.9:40001", testHeader, "198.51.100.9"},
		{"IPv6 peer host without port", testPath, "", "[2001:db8::1]:40001", testHeader, "2001:db8::1"},
		{"peer without port kept whole", testPath, "", "unix-peer", testHeader, "unix-peer"},
		{"no header configured: header ignored", testPath + "/from-path", "from-header", "", "", "from-path"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			f.h.AgentIDHeader = tc.configuredHeader
			r := post(tc.target, "application/json", flowStats("ab"))
			if tc.header != "" {
				r.Header.Set(testHeader, tc.header)
			}
			if tc.remote != "" {
				r.RemoteAddr = tc.remote
			}
			w, a := f.serve(t, r)
			require.Equal(t, http.StatusOK, w.Code, a)
			assert.Equal(t, []string{tc.want}, f.agents())
		})
	}
}

func TestHandlerRefusesBadAgentIDs(t *testing.T) {
	long := strings.Repeat("a", 300)
	tests := []struct {
		name, target, header string
		want                 string
	}{
		{"long header", testPath, long, "agent id from header X-Netify-Agent is 300 bytes, at most 128"},
		{"long header beats a good path", testPath + "/good", long, "agent id from header X-Netify-Agent is 300 bytes, at most 128"},
		{"long path segment", testPath + "/" + strings.Repeat("p", 129), "", "agent id from the URL path is 129 bytes, at most 128"},
		{"control character in header", testPath, "agent\x01one", "agent id from header X-Netify-Agent contains control character U+0001"},
		{"tab inside header", testPath, "agent\tone", "agent id from header X-Netify-Agent contains control character U+0009"},
		{"newline in path", testPath + "/agent%0Aone", "", "agent id from the URL path contains control character U+000A"},
		{"C1 control in path", testPath + "/agent%C2%85", "", "agent id from the URL path contains control character U+0085"},
		{"invalid UTF-8 in path", testPath + "/agent%FF", "", "agent id from the URL path is not valid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			r := post(tc.target, "application/json", flowStats("ab"))
			if tc.header != "" {
				r.Header.Set(testHeader, tc.header)
			}
			w, a := f.serve(t, r)
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.Equal(t, Answer{Rejected: 1, Errors: []string{tc.want}}, a)
			assert.Empty(t, f.sink.batches, "nothing applied")
			assert.Equal(t, refused(testPeer, tc.want), f.malformed())
			assert.Equal(t, 1, f.counts.Count())
		})
	}
}

func TestHandlerAgentIDAtTheLimit(t *testing.T) {
	f := newFixture()
	id := strings.Repeat("é", ingest.MaxAgentIDLen/2) // 2 bytes each: exactly the limit
	r := post(testPath, "application/json", flowStats("ab"))
	r.Header.Set(testHeader, id)
	w, a := f.serve(t, r)
	assert.Equal(t, http.StatusOK, w.Code, a)
	assert.Equal(t, []string{id}, f.agents())

	w, a = f.serve(t, post(testPath+"/"+strings.Repeat("p", ingest.MaxAgentIDLen), "application/json", flowStats("ab")))
	assert.Equal(t, http.StatusOK, w.Code, a)
	assert.Equal(t, []string{id, strings.Repeat("p", ingest.MaxAgentIDLen)}, f.agents())
}

func TestHandlerBadBodies(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		status                  int
		answer                  Answer
	}{
		{"empty", "application/json", "", http.StatusBadRequest,
			Answer{Rejected: 1, Errors: []string{"empty body"}}},
		{"only bad records", "application/json", `{"type":"flow_stats","flow":{"digest":"zz!"}}` + "\n" + `{"type":"flow"}`, http.StatusBadRequest,
			Answer{Rejected: 2, Errors: []string{
				`record 0: flow.digest: "zz!" is not a hex digest of at most 64 characters`,
				`record 1: missing "flow"`,
			}}},
		{"not JSON", "application/json", "hello", http.StatusBadRequest,
			Answer{Rejected: 1, Errors: []string{`record 0: invalid JSON at byte 0: invalid character 'h', expected '{' or '['`}}},
		{"unsupported content type", "text/xml; charset=utf-8", "<flow/>", http.StatusUnsupportedMediaType,
			Answer{Rejected: 1, Errors: []string{`unsupported content type "text/xml"`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			w, a := f.serve(t, post(testPath+"/agent-7", tc.contentType, tc.body))
			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, tc.answer, a)
			assert.Empty(t, f.sink.batches)
			assert.Equal(t, refused("agent-7", tc.answer.Errors...), f.malformed())
		})
	}
}

// confighttp limits the body with http.MaxBytesReader; the handler answers
// 413 and counts nothing as malformed: no record was read.
func TestHandlerBodyTooLarge(t *testing.T) {
	f := newFixture()
	body := "[" + flowStats("aa") + "," + flowStats("bb") + "]"
	r := post(testPath, "application/json", body)
	w := httptest.NewRecorder()
	r.Body = http.MaxBytesReader(w, r.Body, 64)
	f.h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	var a Answer
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &a))
	assert.Equal(t, Answer{Errors: []string{"body larger than the limit of 64 bytes (http.max_request_body_size)"}}, a)
	assert.Empty(t, f.sink.batches)
	assert.Empty(t, f.malformed())
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestHandlerBodyReadError(t *testing.T) {
	f := newFixture()
	r := post(testPath, "application/json", "")
	r.Body = io.NopCloser(io.MultiReader(strings.NewReader(`{"type":`), failingReader{errors.New("connection reset")}))
	w, a := f.serve(t, r)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, Answer{Errors: []string{"cannot read body: connection reset"}}, a)
	assert.Empty(t, f.sink.batches)
}

func TestHandlerPartialBody(t *testing.T) {
	f := newFixture()
	body := flowStats("aa") + "\n" +
		`{"type":"flow_stats","flow":{"digest":"aa","local_bytes":-1}}` + "\n" +
		flowStats("cc") + "\n" +
		`{"type":"flow","flow":{"digest":"dd","digest_prev":["not hex"]}}` + "\n"
	w, a := f.serve(t, post(testPath+"/agent-7", "application/x-ndjson", body))
	assert.Equal(t, http.StatusOK, w.Code)
	wantErrs := []string{
		"record 1: flow.local_bytes: expected a non-negative whole number, got -1",
		`record 3: flow.digest_prev[0]: "not hex" is not a hex digest of at most 64 characters`,
	}
	assert.Equal(t, Answer{Accepted: 2, Rejected: 2, Errors: wantErrs}, a)
	assert.Equal(t, []string{"aa", "cc"}, f.digests(), "good records kept, in order")
	assert.Equal(t, []string{"agent-7"}, f.agents())
	assert.Equal(t, refused("agent-7", wantErrs...), f.malformed())
	assert.Equal(t, 2, f.counts.Count())
}

// The answer names the first 20 bad records and counts the rest; the
// counter still counts all of them.
func TestHandlerManyBadRecords(t *testing.T) {
	f := newFixture()
	var body strings.Builder
	body.WriteString(flowStats("aa") + "\n")
	for range 25 {
		body.WriteString(`{"type":"flow_stats"}` + "\n")
	}
	w, a := f.serve(t, post(testPath, "application/json", body.String()))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 1, a.Accepted)
	assert.Equal(t, 25, a.Rejected)
	require.Len(t, a.Errors, record.MaxKeptErrors+1)
	assert.Equal(t, `record 1: missing "flow"`, a.Errors[0])
	assert.Equal(t, `record 20: missing "flow"`, a.Errors[record.MaxKeptErrors-1])
	assert.Equal(t, "... and 5 more bad records", a.Errors[record.MaxKeptErrors])
	assert.Equal(t, []malformedCall{{agent: testPeer, count: 25, first: `record 1: missing "flow"`}}, f.malformed())
	assert.Equal(t, 25, f.counts.Count(), "every bad record counted")
}

func TestHandlerSinkErrors(t *testing.T) {
	body := "[" + flowStats("aa") + "," + flowStats("bb") + "," + `{"type":"flow"}` + "," + flowStats("cc") + "]"
	tests := []struct {
		name       string
		take       int
		err        error
		status     int
		retryAfter string
		answer     Answer
	}{
		{"busy", 1, ingest.ErrBusy, http.StatusServiceUnavailable, "1", Answer{Accepted: 1, Rejected: 1, Errors: []string{
			`record 2: missing "flow"`,
			"2 records not accepted: receiver busy: cannot accept records now",
		}}},
		{"busy, wrapped", 0, fmt.Errorf("%w: flow table full", ingest.ErrBusy), http.StatusServiceUnavailable, "1", Answer{Rejected: 1, Errors: []string{
			`record 2: missing "flow"`,
			"3 records not accepted: receiver busy: cannot accept records now: flow table full",
		}}},
		{"other error", 0, errors.New("table corrupted"), http.StatusInternalServerError, "", Answer{Rejected: 1, Errors: []string{
			`record 2: missing "flow"`,
			"table corrupted",
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			f.sink.take, f.sink.err = tc.take, tc.err
			w, a := f.serve(t, post(testPath, "application/json", body))
			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, tc.retryAfter, w.Header().Get("Retry-After"))
			assert.Equal(t, tc.answer, a)
			assert.Equal(t, []string{"aa", "bb", "cc"}, f.digests(), "every good record offered once")
			assert.Equal(t, refused(testPeer, `record 2: missing "flow"`), f.malformed())
		})
	}
}

func TestHandlerMsgpackBody(t *testing.T) {
	f := newFixture()
	// {"type":"flow","flow":{"digest":"ab"}} in msgpack.
	body := "\x82\xa4type\xa4flow\xa4flow\x81\xa6digest\xa2ab"
	w, a := f.serve(t, post(testPath, "application/msgpack", body))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, Answer{Accepted: 1}, a)
	assert.Equal(t, []string{"ab"}, f.digests())
}

// A sender naming no agent id is logged once per address, in bounded
// memory.
func TestHandlerLogsAnonymousSendersOncePerPeer(t *testing.T) {
	f := newFixture()
	send := func(peer string) {
		r := post(testPath, "application/json", flowStats("ab"))
		r.RemoteAddr = peer + ":4000"
		w, a := f.serve(t, r)
		require.Equal(t, http.StatusOK, w.Code, a)
	}
	send("198.51.100.1")
	send("198.51.100.1")
	send("198.51.100.2")
	logged := f.logs.FilterMessageSnippet("named no agent id").All()
	require.Len(t, logged, 2)
	assert.Equal(t, "198.51.100.1", logged[0].ContextMap()["peer"])
	assert.Equal(t, "198.51.100.2", logged[1].ContextMap()["peer"])

	for i := range maxAnonymousPeers + 10 {
		send(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	assert.LessOrEqual(t, len(f.h.anonymous.seen), maxAnonymousPeers)
}
