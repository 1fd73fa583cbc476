// Package httpin is the HTTP input: it takes what the Netify Agent's HTTP
// sink posts (one record per request) and what relays and batch senders post
// (arrays, newline-delimited JSON, msgpack) and hands the records to a sink.
package httpin // import "github.com/netify-otel/netifyflowstatsreceiver/internal/httpin"

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Transport is the ingest transport name of this input.
const Transport = "http"

// Handler serves Path, Path/ and Path/<agent id>.
type Handler struct {
	Path          string
	AgentIDHeader string
	Gate          *ingest.Gate
	Now           func() time.Time

	anonymous anonymousPeers
}

// Answer is the JSON body of every response. Skipped counts the records
// taken but not turned into flows (agent_status, types the receiver does
// not know).
type Answer struct {
	Accepted int      `json:"accepted"`
	Skipped  int      `json:"skipped"`
	Rejected int      `json:"rejected"`
	Errors   []string `json:"errors,omitempty"`
}

func (h *Handler) logger() *zap.Logger { return h.Gate.Logger() }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	agentFromPath, ok := h.matchPath(r.URL.Path)
	if !ok {
		writeAnswer(w, http.StatusNotFound, Answer{Errors: []string{fmt.Sprintf("no records are taken at %s; post to %q or %q",
			ingest.Excerpt(r.URL.Path), h.Path, strings.TrimSuffix(h.Path, "/")+"/<agent id>")}})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeAnswer(w, http.StatusMethodNotAllowed, Answer{Errors: []string{fmt.Sprintf("method %s not allowed; records are posted", method(r.Method))}})
		return
	}
	agent, err := h.agentID(r, agentFromPath)
	if err != nil {
		// Nothing is decoded or applied; the refusal counts as one
		// malformed delivery, reported under the peer's address.
		var rej ingest.Rejects
		rej.Add(err)
		h.Gate.Refuse(r.Context(), peerHost(r), rej)
		writeAnswer(w, http.StatusBadRequest, Answer{Rejected: 1, Errors: []string{err.Error()}})
		return
	}
	bp, err := readBody(r.Body, r.ContentLength)
	defer releaseBody(bp)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeAnswer(w, http.StatusRequestEntityTooLarge, Answer{Errors: []string{fmt.Sprintf("body larger than the limit of %d bytes (http.max_request_body_size)", tooBig.Limit)}})
			return
		}
		writeAnswer(w, http.StatusBadRequest, Answer{Errors: []string{"cannot read body: " + err.Error()}})
		return
	}
	h.deliver(w, r, agent, *bp)
}

func (h *Handler) deliver(w http.ResponseWriter, r *http.Request, agent string, body []byte) {
	decoded := record.DecodeBody(body, r.Header.Get("Content-Type"))
	var rej ingest.Rejects
	rej.AddBody(decoded)
	h.Gate.Skip(r.Context(), decoded.Other)
	skipped := decoded.Other
	for i := range decoded.Records {
		if !decoded.Records[i].Mapped() {
			skipped++
		}
	}
	taken, err := h.Gate.Offer(r.Context(), ingest.Batch{Agent: agent, Received: h.Now(), Records: decoded.Records}, &rej)
	answer := Answer{Rejected: rej.N, Errors: messages(rej)}
	if taken > 0 {
		answer.Skipped = skipped
		answer.Accepted = taken - (skipped - decoded.Other)
	} else if len(decoded.Records) == 0 {
		answer.Skipped = decoded.Other
	}
	switch {
	case errors.Is(err, ingest.ErrBusy):
		// The agent does not retry; a relay may. Either way the refusal is
		// counted by the sink.
		w.Header().Set("Retry-After", "1")
		answer.Errors = append(answer.Errors, fmt.Sprintf("%d records not accepted: %v", len(decoded.Records)-taken, err))
		writeAnswer(w, http.StatusServiceUnavailable, answer)
	case err != nil:
		answer.Errors = append(answer.Errors, err.Error())
		writeAnswer(w, http.StatusInternalServerError, answer)
	case answer.Accepted == 0 && answer.Skipped == 0:
		status := http.StatusBadRequest
		if rej.N == 1 && errors.Is(rej.Errs[0], record.ErrUnsupportedContentType) {
			status = http.StatusUnsupportedMediaType
		}
		writeAnswer(w, status, answer)
	default:
		// 200, not 204: the agent's HTTP sink logs anything but 200.
		writeAnswer(w, http.StatusOK, answer)
	}
}

// matchPath accepts the configured path with or without a trailing slash
// (a real agent only logs non-200 answers, so a URL typo would lose data
// quietly), and one more segment holding the agent's identity.
func (h *Handler) matchPath(p string) (agent string, ok bool) {
	base := strings.TrimSuffix(h.Path, "/")
	if p == base || p == base+"/" {
		return "", true
	}
	rest, found := strings.CutPrefix(p, base+"/")
	if !found || strings.Contains(rest, "/") {
		return "", false
	}
	return rest, true
}

// method names a request method in an answer: net/http admits only token
// characters, but not a bounded number of them.
func method(m string) string {
	if len(m) <= 16 {
		return m
	}
	return ingest.Excerpt(m)
}

// messages are the kept errors, and how many more there were.
func messages(rej ingest.Rejects) []string {
	if rej.N == 0 {
		return nil
	}
	out := make([]string, 0, len(rej.Errs)+1)
	for _, e := range rej.Errs {
		out = append(out, e.Error())
	}
	if more := rej.N - len(rej.Errs); more > 0 {
		out = append(out, fmt.Sprintf("... and %d more bad records", more))
	}
	return out
}
