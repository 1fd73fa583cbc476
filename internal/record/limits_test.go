package record

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stream decoder applies the same bounds as Decode, and a record that
// breaks them costs only itself.
func TestStreamLimits(t *testing.T) {
	longPrev := `["` + strings.Repeat(`0f","`, 39) + `0f"]`
	js := goodLine("a") + "\n" +
		`{"type":"flow_stats","flow":{"digest":"zz!"}}` + "\n" +
		fs(`"digest_prev":`+longPrev) + "\n" +
		`{"type":"flow","interface":"` + strings.Repeat("e", 65) + `","flow":{"digest":"d"}}` + "\n" +
		goodLine("c") + "\n"
	mp := bytes.Join([][]byte{
		mustMsgpack(t, map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "a", "local_bytes": 1}}),
		mustMsgpack(t, map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "zz!"}}),
		mustMsgpack(t, mpFlowStats(map[string]any{"digest_prev": repeatStrings("0f", 40)})),
		mustMsgpack(t, map[string]any{"type": "flow", "interface": strings.Repeat("e", 65), "flow": map[string]any{"digest": "d"}}),
		mustMsgpack(t, map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "c", "local_bytes": 1}}),
	}, nil)
	want := []streamResult{
		ok(goodRec("a")),
		bad(`record 1: flow.digest: "zz!" is not a hex digest of at most 64 characters`),
		bad(`record 2: flow.digest_prev: 40 entries, at most 32`),
		bad(`record 3: interface: "` + strings.Repeat("e", 40) + `"... is 65 bytes, at most 64`),
		ok(goodRec("c")),
	}
	for _, in := range []struct {
		name   string
		body   []byte
		format Format
	}{{"json", []byte(js), FormatJSON}, {"msgpack", mp, FormatMsgpack}} {
		t.Run(in.name, func(t *testing.T) {
			got, err := drain(t, NewStreamDecoder(bytes.NewReader(in.body), in.format, 0))
			require.Equal(t, io.EOF, err)
			assert.Equal(t, want, got)
		})
	}
}

// A decoded record must not share memory with its input: digests become
// flow table keys that live far longer than the request, and a string sliced
// from the body would keep the whole body alive. The test overwrites the
// input after decoding; an aliased string would change with it.
func TestDecodedStringsAreCopies(t *testing.T) {
	flow := map[string]any{
		"type": "flow_purge", "interface": "eth0", "reason": "closed",
		"flow": map[string]any{"digest": "abcdef", "digest_prev": []string{"012345", "6789ab"}},
	}
	other := map[string]any{"type": "interface_stats"}
	want := []Record{
		{Type: TypeFlowPurge, HasInterface: true, Interface: "eth0", Reason: "closed",
			Digest: "abcdef", DigestPrev: []string{"012345", "6789ab"}},
		{Type: TypeInterfaceStats, Agent: &AgentReport{Interfaces: []InterfaceStats{}}},
	}
	jsFlow := `{"type":"flow_purge","interface":"eth0","reason":"closed","flow":{"digest":"abcdef","digest_prev":["012345","6789ab"]}}`
	jsOther := `{"type":"interface_stats"}`
	js := []byte(jsFlow + "\n" + jsOther + "\n")
	mp := append(mustMsgpack(t, flow), mustMsgpack(t, other)...)

	for _, in := range []struct {
		name, contentType string
		body              []byte
	}{{"json", "application/json", js}, {"msgpack", ctMsgpack, mp}} {
		t.Run("body/"+in.name, func(t *testing.T) {
			body := bytes.Clone(in.body)
			recs, errs := Decode(body, in.contentType)
			require.Empty(t, errs)
			clear(body)
			assert.Equal(t, want, recs)
		})
	}

	// The stream decoder reuses its frame buffer: decoding the next record
	// overwrites the previous one's bytes.
	for _, in := range []struct {
		name   string
		body   []byte
		format Format
	}{{"json", js, FormatJSON}, {"msgpack", mp, FormatMsgpack}} {
		t.Run("stream/"+in.name, func(t *testing.T) {
			d := NewStreamDecoder(bytes.NewReader(bytes.Clone(in.body)), in.format, 0)
			first, err := d.Next()
			require.NoError(t, err)
			second, err := d.Next()
			require.NoError(t, err)
			clear(d.buf[:cap(d.buf)])
			assert.Equal(t, want, []Record{first, second})
		})
	}
}
