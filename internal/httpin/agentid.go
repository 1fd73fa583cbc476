package httpin

import (
	"net"
	"net/http"
	"strings"
	"sync"

	"go.uber.org/zap"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest"
)

// agentID prefers the header, then the path, then the peer's address (its
// host only: the port changes with every connection). An id the sender
// chose is held to ingest.CheckAgentID's rules.
func (h *Handler) agentID(r *http.Request, fromPath string) (string, error) {
	if h.AgentIDHeader != "" {
		if v := strings.TrimSpace(r.Header.Get(h.AgentIDHeader)); v != "" {
			if ingest.CheckAgentID(v, "header") == nil {
				return v, nil
			}
			// Refused: only now is the message worth naming the header
			// (built per request, it was an allocation per POST).
			return v, ingest.CheckAgentID(v, "header "+h.AgentIDHeader)
		}
	}
	if fromPath != "" {
		return fromPath, ingest.CheckAgentID(fromPath, "the URL path")
	}
	host := peerHost(r)
	h.anonymous.note(host, h.logger(), h.AgentIDHeader)
	return host, nil
}

func peerHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// maxAnonymousPeers bounds the peers remembered as having sent no agent
// id; past it the memory starts again (and each peer may be logged again).
const maxAnonymousPeers = 1024

// anonymousPeers logs once per peer that a sender named no agent id, so
// that a URL or header typo does not silently merge agents under an IP.
type anonymousPeers struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

func (a *anonymousPeers) note(peer string, log *zap.Logger, header string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.seen[peer]; ok {
		return
	}
	if a.seen == nil || len(a.seen) >= maxAnonymousPeers {
		a.seen = make(map[string]struct{})
	}
	a.seen[peer] = struct{}{}
	log.Info("Sender named no agent id (neither header nor path); its records are attributed to its address",
		zap.String("peer", peer), zap.String("agent_id_header", header))
}
