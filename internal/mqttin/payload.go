package mqttin

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Content types handed to record.Decode.
const (
	contentTypeJSON    = "application/json"
	contentTypeMsgpack = "application/msgpack"
)

// unwrapPayload undoes the agent's per-payload `gz` compressor and, since
// MQTT 3.1.1 carries no content type, tells JSON from msgpack by the first
// byte: a msgpack record is a map (or an array of maps), so it starts with
// a map or array marker (0x80-0x9f, 0xdc-0xdf), bytes that never start JSON
// text; anything else is read as JSON, so that a damaged or foreign text
// payload is reported as one JSON error rather than as a run of msgpack
// scalars.
func unwrapPayload(p []byte, maxBytes int) (body []byte, contentType string, err error) {
	if n, ok := oversizeSize(p); ok {
		return nil, "", fmt.Errorf("payload of %d bytes exceeds max_message_bytes %d (dropped unread)", n, maxBytes)
	}
	if len(p) > maxBytes {
		return nil, "", fmt.Errorf("payload of %d bytes exceeds max_message_bytes %d", len(p), maxBytes)
	}
	if len(p) >= 2 && p[0] == 0x1f && p[1] == 0x8b {
		if p, err = gunzip(p, maxBytes); err != nil {
			return nil, "", err
		}
	}
	if len(bytes.TrimLeft(p, " \t\r\n")) == 0 {
		return nil, "", errors.New("empty payload")
	}
	if record.IsMsgpackContainer(p[0]) {
		return p, contentTypeMsgpack, nil
	}
	return p, contentTypeJSON, nil
}

func gunzip(p []byte, maxBytes int) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(p))
	if err != nil {
		return nil, fmt.Errorf("gzip payload: %w", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, int64(maxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("gzip payload: %w", err)
	}
	if len(out) > maxBytes {
		return nil, fmt.Errorf("gunzipped payload exceeds max_message_bytes %d", maxBytes)
	}
	return out, nil
}

// agentFromTopic returns the topic's level-th level (0-based), or the whole
// topic when it has no such non-empty level.
func agentFromTopic(topic string, level int) string {
	levels := strings.Split(topic, "/")
	if level < len(levels) && levels[level] != "" {
		return levels[level]
	}
	return topic
}
