package record

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamResult is what Next returned: a record or an error string.
type streamResult struct {
	rec Record
	err string
}

// drain calls Next until a non-DecodeError error, which it returns.
func drain(t *testing.T, d *StreamDecoder) ([]streamResult, error) {
	t.Helper()
	var out []streamResult
	for range 100000 {
		rec, err := d.Next()
		var de *DecodeError
		switch {
		case err == nil:
			out = append(out, streamResult{rec: rec})
		case errors.As(err, &de):
			out = append(out, streamResult{err: err.Error()})
		default:
			return out, err
		}
	}
	t.Fatal("Next never returned a final error")
	return nil, nil
}

func ok(r Record) streamResult    { return streamResult{rec: r} }
func bad(err string) streamResult { return streamResult{err: err} }

func goodLine(d string) string {
	return `{"type":"flow_stats","flow":{"digest":"` + d + `","local_bytes":1}}`
}

func goodRec(d string) Record {
	return Record{Type: TypeFlowStats, Digest: d, HasStats: true, LocalBytes: 1}
}

// readers feeds each stream both whole and one byte per Read.
var readers = map[string]func(io.Reader) io.Reader{
	"whole":    func(r io.Reader) io.Reader { return r },
	"one byte": iotest.OneByteReader,
}

func TestStreamTestdata(t *testing.T) {
	var ndjson, backToBack, mp bytes.Buffer
	var want []streamResult
	for _, tc := range testdataRecords {
		js := bytes.TrimSpace(readTestdata(t, tc.file))
		ndjson.Write(js)
		ndjson.WriteByte('\n')
		backToBack.Write(js)
		mp.Write(jsonToMsgpack(t, js))
		want = append(want, ok(tc.want))
	}
	for _, in := range []struct {
		name   string
		body   []byte
		format Format
	}{
		{"ndjson", ndjson.Bytes(), FormatJSON},
		{"ndjson auto", ndjson.Bytes(), FormatAuto},
		{"back to back", backToBack.Bytes(), FormatAuto},
		{"msgpack", mp.Bytes(), FormatMsgpack},
		{"msgpack auto", mp.Bytes(), FormatAuto},
	} {
		for rname, wrap := range readers {
			t.Run(in.name+"/"+rname, func(t *testing.T) {
				got, err := drain(t, NewStreamDecoder(wrap(bytes.NewReader(in.body)), in.format, 4096))
				require.Equal(t, io.EOF, err)
				require.Equal(t, want, got)
			})
		}
	}
}

func TestStreamJSON(t *testing.T) {
	big := `{"type":"flow_stats","flow":{"digest":"big","pad":"` + strings.Repeat("x", 500) + `"}}`
	tests := []struct {
		name  string
		input string
		want  []streamResult
	}{
		{"legacy length headers",
			`{"length": 62}` + "\n" + goodLine("a") + "\n" + `{"length":62}` + "\n" + goodLine("b") + "\n",
			[]streamResult{ok(goodRec("a")), ok(goodRec("b"))}},
		{"object with length and more is a record",
			`{"length": 1, "type": "agent_status"}` + "\n",
			[]streamResult{ok(Record{Type: TypeAgentStatus, Agent: &AgentReport{Status: &AgentStatus{}}})}},
		{"back to back split anywhere", goodLine("a") + goodLine("b") + "  " + goodLine("c"),
			[]streamResult{ok(goodRec("a")), ok(goodRec("b")), ok(goodRec("c"))}},
		{"oversize record skipped",
			goodLine("a") + "\n" + big + "\n" + goodLine("c") + "\n",
			[]streamResult{ok(goodRec("a")), bad("record 1: record exceeds the size limit of 256 bytes"), ok(goodRec("c"))}},
		{"oversize back to back",
			goodLine("a") + big + goodLine("c"),
			[]streamResult{ok(goodRec("a")), bad("record 1: record exceeds the size limit of 256 bytes"), ok(goodRec("c"))}},
		{"garbage line",
			goodLine("a") + "\nnot json {at all}\n" + goodLine("c") + "\n",
			[]streamResult{ok(goodRec("a")), bad(`record 1: invalid JSON at byte 60: invalid character 'n', expected '{' or '['`), ok(goodRec("c"))}},
		{"truncated line",
			goodLine("a") + "\n" + `{"type":"flow_stats","flow":{"digest":"b"` + "\n" + goodLine("c") + "\n",
			[]streamResult{ok(goodRec("a")), bad(`record 1: invalid JSON at byte 102: record cut short: the next record starts here`), ok(goodRec("c"))}},
		{"line cut inside a string",
			`{"type":"fl` + "\n" + goodLine("c") + "\n",
			[]streamResult{bad(`record 0: invalid JSON at byte 11: newline inside a string`), ok(goodRec("c"))}},
		{"invalid balanced line",
			`{"type" "flow"}` + "\n" + goodLine("c") + "\n",
			[]streamResult{bad(`record 0: invalid JSON at byte 8: invalid character '"' after object key`), ok(goodRec("c"))}},
		{"mismatched bracket resyncs at the next line",
			`{"type":"x"]} {"type":"lost"}` + "\n" + goodLine("c") + "\n",
			[]streamResult{bad(`record 0: invalid JSON at byte 11: unexpected ']'`), ok(goodRec("c"))}},
		{"bad record keeps its index",
			goodLine("a") + "\n" + fs(`"local_bytes":"abc"`) + "\n" + goodLine("c") + "\n",
			[]streamResult{ok(goodRec("a")), bad(`record 1: flow.local_bytes: expected a number, got string "abc"`), ok(goodRec("c"))}},
		{"array frame",
			"[" + goodLine("a") + ",5]\n" + goodLine("c") + "\n",
			[]streamResult{ok(goodRec("a")), bad(`record 1: expected an object, got number`), ok(goodRec("c"))}},
		{"truncated at end of stream",
			goodLine("a") + "\n" + `{"type":"flow_stats"`,
			[]streamResult{ok(goodRec("a")), bad(`record 1: invalid JSON at byte 80: unexpected end of input`)}},
		{"empty stream", "", nil},
		{"only whitespace", " \n\r\n", nil},
	}
	for _, tc := range tests {
		for rname, wrap := range readers {
			t.Run(tc.name+"/"+rname, func(t *testing.T) {
				d := NewStreamDecoder(wrap(strings.NewReader(tc.input)), FormatJSON, 256)
				got, err := drain(t, d)
				require.Equal(t, io.EOF, err)
				assert.Equal(t, tc.want, got)
			})
		}
	}
}

// Memory stays bounded: an oversize record is skipped, not buffered.
func TestStreamOversizeIsNotBuffered(t *testing.T) {
	const size = 8 << 20
	input := io.MultiReader(
		strings.NewReader(`{"type":"flow_stats","flow":{"digest":"big","pad":"`),
		io.LimitReader(repeatReader('x'), size),
		strings.NewReader(`"}}`+"\n"+goodLine("c")+"\n"),
	)
	d := NewStreamDecoder(input, FormatAuto, 1024)
	_, err := d.Next()
	require.EqualError(t, err, "record 0: record exceeds the size limit of 1024 bytes")
	require.ErrorIs(t, err, ErrRecordTooLarge)
	assert.LessOrEqual(t, cap(d.buf), 128<<10, "frame buffer grew with the oversize record")
	rec, err := d.Next()
	require.NoError(t, err)
	assert.Equal(t, goodRec("c"), rec)
	_, err = d.Next()
	assert.Equal(t, io.EOF, err)
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestStreamReadErrorIsReturnedAsIs(t *testing.T) {
	boom := errors.New("connection reset")
	input := io.MultiReader(strings.NewReader(goodLine("a")+"\n"+`{"type":`), iotest.ErrReader(boom))
	d := NewStreamDecoder(input, FormatJSON, 0)
	rec, err := d.Next()
	require.NoError(t, err)
	assert.Equal(t, goodRec("a"), rec)
	_, err = d.Next()
	assert.Same(t, boom, err)
	_, err = d.Next()
	assert.Same(t, boom, err, "read errors are sticky")
}

func TestStreamMsgpack(t *testing.T) {
	a := mustMsgpack(t, map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "a", "local_bytes": 1}})
	c := mustMsgpack(t, map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "c", "local_bytes": 1}})
	big := mustMsgpack(t, map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "big", "pad": strings.Repeat("x", 70000)}})
	badRec := mustMsgpack(t, mpFlowStats(map[string]any{"local_bytes": -1}))
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name  string
		input []byte
		want  []streamResult
	}{
		{"back to back", cat(a, c), []streamResult{ok(goodRec("a")), ok(goodRec("c"))}},
		{"array", mustMsgpack(t, []any{
			map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "a", "local_bytes": 1}}, "x",
		}), []streamResult{ok(goodRec("a")), bad(`record 1: expected an object, got string "x"`)}},
		{"bad record", cat(a, badRec, c), []streamResult{
			ok(goodRec("a")), bad(`record 1: flow.local_bytes: expected a non-negative whole number, got -1`), ok(goodRec("c")),
		}},
		{"oversize record skipped", cat(a, big, c), []streamResult{
			ok(goodRec("a")), bad(`record 1: record exceeds the size limit of 256 bytes`), ok(goodRec("c")),
		}},
		{"invalid code resyncs at the next map", cat(a, []byte{0xc1, 0x01, 0x02}, c), []streamResult{
			ok(goodRec("a")), bad(`record 1: invalid msgpack at byte ` + itoa(len(a)) + `: invalid code 0xc1`), ok(goodRec("c")),
		}},
		{"truncated at end of stream", cat(a, c[:len(c)-2]), []streamResult{
			ok(goodRec("a")), bad(`record 1: invalid msgpack at byte ` + itoa(len(a)+len(c)-2) + `: unexpected end of input`),
		}},
	}
	for _, tc := range tests {
		for rname, wrap := range readers {
			t.Run(tc.name+"/"+rname, func(t *testing.T) {
				d := NewStreamDecoder(wrap(bytes.NewReader(tc.input)), FormatMsgpack, 256)
				got, err := drain(t, d)
				require.Equal(t, io.EOF, err)
				assert.Equal(t, tc.want, got)
			})
		}
	}
}

func TestStreamAutoDetect(t *testing.T) {
	mp := mustMsgpack(t, map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": "a", "local_bytes": 1}})
	for _, tc := range []struct {
		name  string
		input []byte
		want  Format
	}{
		{"json object", []byte("\n  " + goodLine("a")), FormatJSON},
		{"json array", []byte("[" + goodLine("a") + "]"), FormatJSON},
		{"msgpack map", mp, FormatMsgpack},
		{"msgpack array", append([]byte{0x91}, mp...), FormatMsgpack},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewStreamDecoder(bytes.NewReader(tc.input), FormatAuto, 0)
			rec, err := d.Next()
			require.NoError(t, err)
			assert.Equal(t, goodRec("a"), rec)
			assert.Equal(t, tc.want, d.format)
		})
	}
}
