package mqttin

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/ingest/ingesttest"
)

func gz(t *testing.T, p []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(p)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func msgpackRecord(t *testing.T, n int) []byte {
	t.Helper()
	p, err := msgpack.Marshal(map[string]any{
		"type":      "flow_stats",
		"interface": "lan",
		"internal":  false,
		"flow":      map[string]any{"digest": ingesttest.Digest(n), "local_bytes": n, "local_packets": 1, "other_bytes": 2, "other_packets": 1},
	})
	require.NoError(t, err)
	return p
}

func TestUnwrapPayload(t *testing.T) {
	json := flowStats(1)
	mp := msgpackRecord(t, 2)
	for name, tc := range map[string]struct {
		in       []byte
		wantBody []byte
		wantType string
	}{
		"json":              {json, json, contentTypeJSON},
		"json with leading": {append([]byte(" \n"), json...), append([]byte(" \n"), json...), contentTypeJSON},
		"gzip json":         {gz(t, json), json, contentTypeJSON},
		"msgpack":           {mp, mp, contentTypeMsgpack},
		"gzip msgpack":      {gz(t, mp), mp, contentTypeMsgpack},
		"text garbage":      {[]byte("not a record"), []byte("not a record"), contentTypeJSON},
		"msgpack array":     {[]byte{0x91, 0x80}, []byte{0x91, 0x80}, contentTypeMsgpack},
	} {
		t.Run(name, func(t *testing.T) {
			body, ct, err := unwrapPayload(tc.in, 1<<20)
			require.NoError(t, err)
			assert.Equal(t, tc.wantBody, body)
			assert.Equal(t, tc.wantType, ct)
		})
	}

	_, _, err := unwrapPayload(nil, 1<<20)
	assert.ErrorContains(t, err, "empty payload")
	_, _, err = unwrapPayload([]byte{0x1f, 0x8b, 0, 1, 2}, 1<<20)
	assert.ErrorContains(t, err, "gzip")
	_, _, err = unwrapPayload(json, 10)
	assert.ErrorContains(t, err, "max_message_bytes 10")
	_, _, err = unwrapPayload(gz(t, bytes.Repeat([]byte(" "), 5000)), 1000)
	assert.ErrorContains(t, err, "gunzipped payload exceeds max_message_bytes 1000", "a gzip bomb stops at the limit")
}

func TestAgentFromTopic(t *testing.T) {
	assert.Equal(t, "3f2a", agentFromTopic("netify/3f2a/flows", 1))
	assert.Equal(t, "netify", agentFromTopic("netify/3f2a/flows", 0))
	assert.Equal(t, "flows", agentFromTopic("netify/3f2a/flows", 2))
	assert.Equal(t, "netify/3f2a/flows", agentFromTopic("netify/3f2a/flows", 3), "no such level: the whole topic")
	assert.Equal(t, "netify//flows", agentFromTopic("netify//flows", 1), "empty level: the whole topic")
	assert.Equal(t, "flows", agentFromTopic("flows", 1))
}
