package send

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

type post struct {
	path     string
	header   http.Header
	body     []byte
	method   string
	encoding string
}

type recorder struct {
	mu     sync.Mutex
	posts  []post
	status int
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.posts = append(r.posts, post{path: req.URL.Path, header: req.Header.Clone(), body: body, method: req.Method})
	status := r.status
	r.mu.Unlock()
	w.WriteHeader(status)
}

func (r *recorder) all() []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]post(nil), r.posts...)
}

func TestHTTPPostsOneJSONRecordPerRequest(t *testing.T) {
	rec := &recorder{status: http.StatusOK}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	h := NewHTTP(HTTPConfig{
		URL: srv.URL + "/netify/${uuid_agent}/flows", AgentID: "agent-1", AgentHeader: "X-Netify-Agent",
		ContentType: gen.FormatJSON.ContentType(), Timeout: 5 * time.Second,
	})
	defer h.Close()
	want, _ := payloads(t, gen.FormatJSON, 4)
	for _, p := range want {
		require.NoError(t, h.Send(context.Background(), p))
	}
	got := rec.all()
	require.Len(t, got, 4)
	for i, p := range got {
		require.Equal(t, http.MethodPost, p.method)
		require.Equal(t, "/netify/agent-1/flows", p.path)
		require.Equal(t, "application/json", p.header.Get("Content-Type"))
		require.Empty(t, p.header.Get("Content-Encoding"))
		require.Equal(t, "agent-1", p.header.Get("X-Netify-Agent"))
		require.JSONEq(t, string(want[i]), string(p.body))
	}
}

func TestHTTPGzipMsgpack(t *testing.T) {
	rec := &recorder{status: http.StatusOK}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	h := NewHTTP(HTTPConfig{
		URL: srv.URL + "/in", AgentID: "a2", AgentHeader: "X-Agent",
		ContentType: gen.FormatMsgpack.ContentType(), Gzip: true, Timeout: 5 * time.Second,
	})
	want, recs := payloads(t, gen.FormatMsgpack, 3)
	for _, p := range want {
		require.NoError(t, h.Send(context.Background(), p))
	}
	got := rec.all()
	require.Len(t, got, 3)
	for i, p := range got {
		require.Equal(t, "application/msgpack", p.header.Get("Content-Type"))
		require.Equal(t, "gzip", p.header.Get("Content-Encoding"))
		require.Equal(t, "a2", p.header.Get("X-Agent"))
		zr, err := gzip.NewReader(bytes.NewReader(p.body))
		require.NoError(t, err)
		raw, err := io.ReadAll(zr)
		require.NoError(t, err)
		require.Equal(t, want[i], raw)
		var m map[string]any
		require.NoError(t, msgpack.Unmarshal(raw, &m))
		require.Equal(t, recs[i].Type, m["type"])
	}
}

func TestHTTPNon200IsAnErrorWithoutRetry(t *testing.T) {
	rec := &recorder{status: http.StatusServiceUnavailable}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	h := NewHTTP(HTTPConfig{URL: srv.URL, AgentID: "x", ContentType: "application/json", Timeout: 5 * time.Second})
	err := h.Send(context.Background(), []byte(`{"type":"agent_status"}`))
	var se *StatusError
	require.True(t, errors.As(err, &se), "got %v", err)
	require.Equal(t, http.StatusServiceUnavailable, se.Status)
	require.Len(t, rec.all(), 1, "the agent does not retry")
	require.Empty(t, rec.all()[0].header.Get("X-Netify-Agent"), "no agent header unless configured")
}

func TestHTTPUnreachableIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	h := NewHTTP(HTTPConfig{URL: url, AgentID: "x", ContentType: "application/json", Timeout: 2 * time.Second})
	require.Error(t, h.Send(context.Background(), []byte(`{}`)))
}
