package send

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// HTTPConfig configures one agent's HTTP sink.
type HTTPConfig struct {
	// URL receives the POSTs; ${uuid_agent} is replaced by AgentID.
	URL     string
	AgentID string
	// AgentHeader, when set, names a header carrying AgentID.
	AgentHeader string
	// ContentType of the payloads (application/json or application/msgpack).
	ContentType string
	// Gzip compresses each body and sets Content-Encoding: gzip.
	Gzip    bool
	Timeout time.Duration
	// Client overrides the HTTP client (tests); nil uses one with Timeout.
	Client *http.Client
}

// StatusError is an answer other than 200, which the agent only logs.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("POST %s answered %d, want 200", e.URL, e.Status)
}

// HTTP POSTs every record on its own, synchronously and without retry.
type HTTP struct {
	cfg    HTTPConfig
	url    string
	client *http.Client
}

// NewHTTP builds the sink; it does not connect until the first Send.
func NewHTTP(cfg HTTPConfig) *HTTP {
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: cfg.Timeout}
	}
	return &HTTP{cfg: cfg, url: Expand(cfg.URL, cfg.AgentID), client: client}
}

// URL is the expanded target.
func (h *HTTP) URL() string { return h.url }

// Send POSTs one payload and fails on anything but 200.
func (h *HTTP) Send(ctx context.Context, payload []byte) error {
	body := payload
	if h.cfg.Gzip {
		var err error
		if body, err = gzipped(payload); err != nil {
			return fmt.Errorf("compressing record for %s: %w", h.url, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("building POST %s: %w", h.url, err)
	}
	req.Header.Set("Content-Type", h.cfg.ContentType)
	if h.cfg.Gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if h.cfg.AgentHeader != "" {
		req.Header.Set(h.cfg.AgentHeader, h.cfg.AgentID)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s: %w", h.url, err)
	}
	// Drain so the connection is reused, as the agent's libcurl does.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &StatusError{URL: h.url, Status: resp.StatusCode}
	}
	return nil
}

// Close releases idle connections.
func (h *HTTP) Close() error {
	h.client.CloseIdleConnections()
	return nil
}
