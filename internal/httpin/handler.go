// Package httpin is the HTTP input: it takes what the Netify Agent's HTTP
// sink posts (one record per request) and what relays and batch senders post
// (arrays, newline-delimited JSON, msgpack) and hands the records to a sink.
package httpin // import "github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// maxErrorsInAnswer bounds the answer to a body full of bad records.
const maxErrorsInAnswer = 20

// Handler serves Path and Path/<agent id>.
type Handler struct {
	Path          string
	AgentIDHeader string
	Sink          ingest.Sink
	// Malformed is told about every record that could not be decoded.
	Malformed func(r *http.Request, agent string, errs []error)
	Now       func() time.Time
}

// Answer is the JSON body of every response.
type Answer struct {
	Accepted int      `json:"accepted"`
	Rejected int      `json:"rejected"`
	Errors   []string `json:"errors,omitempty"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	agentFromPath, ok := h.matchPath(r.URL.Path)
	if !ok {
		writeAnswer(w, http.StatusNotFound, Answer{Errors: []string{fmt.Sprintf("no records are taken at %q; post to %q or %q", r.URL.Path, h.Path, h.Path+"/<agent id>")}})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeAnswer(w, http.StatusMethodNotAllowed, Answer{Errors: []string{fmt.Sprintf("method %s not allowed; records are posted", r.Method)}})
		return
	}
	agent, err := h.agentID(r, agentFromPath)
	if err != nil {
		// Nothing is decoded or applied; the refusal counts as one
		// malformed delivery, reported under the peer's address.
		if h.Malformed != nil {
			h.Malformed(r, peerHost(r), []error{err})
		}
		writeAnswer(w, http.StatusBadRequest, Answer{Rejected: 1, Errors: []string{err.Error()}})
		return
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeAnswer(w, http.StatusRequestEntityTooLarge, Answer{Errors: []string{fmt.Sprintf("body larger than the limit of %d bytes (http.max_request_body_size)", tooBig.Limit)}})
			return
		}
		writeAnswer(w, http.StatusBadRequest, Answer{Errors: []string{"cannot read body: " + err.Error()}})
		return
	}

	recs, errs := record.Decode(body, r.Header.Get("Content-Type"))
	if len(errs) > 0 && h.Malformed != nil {
		h.Malformed(r, agent, errs)
	}
	if len(recs) == 0 {
		status := http.StatusBadRequest
		if len(errs) == 1 && errors.Is(errs[0], record.ErrUnsupportedContentType) {
			status = http.StatusUnsupportedMediaType
		}
		writeAnswer(w, status, Answer{Rejected: len(errs), Errors: messages(errs)})
		return
	}

	taken, err := h.Sink.Accept(r.Context(), ingest.Batch{Agent: agent, Transport: "http", Received: h.Now(), Records: recs})
	answer := Answer{Accepted: taken, Rejected: len(errs), Errors: messages(errs)}
	switch {
	case errors.Is(err, ingest.ErrBusy):
		// The agent does not retry; a relay may. Either way the refusal is
		// counted by the sink.
		w.Header().Set("Retry-After", "1")
		answer.Errors = append(answer.Errors, fmt.Sprintf("%d records not accepted: %v", len(recs)-taken, err))
		writeAnswer(w, http.StatusServiceUnavailable, answer)
	case err != nil:
		answer.Errors = append(answer.Errors, err.Error())
		writeAnswer(w, http.StatusInternalServerError, answer)
	default:
		// 200, not 204: the agent's HTTP sink logs anything but 200.
		writeAnswer(w, http.StatusOK, answer)
	}
}

// matchPath accepts the configured path, and one more segment holding the
// agent's identity.
func (h *Handler) matchPath(p string) (agent string, ok bool) {
	if p == h.Path {
		return "", true
	}
	base := strings.TrimSuffix(h.Path, "/") + "/"
	rest, found := strings.CutPrefix(p, base)
	if !found || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	return rest, true
}

func messages(errs []error) []string {
	n := min(len(errs), maxErrorsInAnswer)
	out := make([]string, 0, n+1)
	for _, e := range errs[:n] {
		out = append(out, e.Error())
	}
	if len(errs) > n {
		out = append(out, fmt.Sprintf("... and %d more bad records", len(errs)-n))
	}
	return out
}

func writeAnswer(w http.ResponseWriter, status int, a Answer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(a)
}
