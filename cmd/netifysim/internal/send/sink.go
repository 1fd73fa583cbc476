// Package send delivers encoded agent records the way the Netify Agent's sink
// plugins do: HTTP POST per record, a listening socket, MQTT publishes, or a
// plain writer.
package send

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"strings"
)

// Sink delivers one agent's payloads, one record each. Send is called from one
// goroutine per sink; Close may be called once sending is over.
type Sink interface {
	Send(ctx context.Context, payload []byte) error
	Close() error
}

// ErrDropped means the record was discarded without a delivery attempt, as the
// agent's socket sink does while no client is connected.
var ErrDropped = errors.New("record dropped: no client connected")

// AgentPlaceholder is the agent's template variable for its uuid.
const AgentPlaceholder = "${uuid_agent}"

// Expand substitutes the agent id for ${uuid_agent} in an URL, topic or path.
func Expand(template, agentID string) string {
	return strings.ReplaceAll(template, AgentPlaceholder, agentID)
}

// gzipped compresses one payload on its own, like the agent's gz compressor.
func gzipped(payload []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(payload); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
