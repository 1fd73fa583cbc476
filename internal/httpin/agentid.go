package httpin

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxAgentIDLen bounds an agent id in bytes. The id is a flow table key and
// a metric attribute value, so its size must not follow the sender's input;
// the agent's own ids (UUIDs, serials) are far shorter.
const MaxAgentIDLen = 128

// agentID prefers the header, then the path, then the peer's address (its
// host only: the port changes with every connection). An id the sender chose
// (header or path) that is too long, not UTF-8 or holds control characters
// is an error: it is refused rather than cleaned up, so that two different
// ids never merge.
func (h *Handler) agentID(r *http.Request, fromPath string) (string, error) {
	if h.AgentIDHeader != "" {
		if v := strings.TrimSpace(r.Header.Get(h.AgentIDHeader)); v != "" {
			return v, checkAgentID(v, "header "+h.AgentIDHeader)
		}
	}
	if fromPath != "" {
		return fromPath, checkAgentID(fromPath, "the URL path")
	}
	return peerHost(r), nil
}

func peerHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// checkAgentID says what is wrong with id, taken from source.
func checkAgentID(id, source string) error {
	if len(id) > MaxAgentIDLen {
		return fmt.Errorf("agent id from %s is %d bytes, at most %d", source, len(id), MaxAgentIDLen)
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("agent id from %s is not valid UTF-8", source)
	}
	for _, c := range id {
		if unicode.IsControl(c) {
			return fmt.Errorf("agent id from %s contains control character %U", source, c)
		}
	}
	return nil
}
