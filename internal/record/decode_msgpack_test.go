package record

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ctMsgpack = "application/msgpack"

// mpFlowStats is a flow_stats record as a msgpack-encodable map, with the
// given flow fields added to digest "d".
func mpFlowStats(flow map[string]any) map[string]any {
	f := map[string]any{"digest": "d"}
	for k, v := range flow {
		f[k] = v
	}
	return map[string]any{"type": "flow_stats", "flow": f}
}

func TestDecodeTestdataMsgpack(t *testing.T) {
	for _, tc := range testdataRecords {
		t.Run(tc.file, func(t *testing.T) {
			recs, errs := Decode(jsonToMsgpack(t, readTestdata(t, tc.file)), ctMsgpack)
			require.Empty(t, errs)
			require.Equal(t, []Record{tc.want}, recs)
		})
	}
}

func TestDecodeMsgpackValues(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]any
		want Record
	}{
		{"integer widths", mpFlowStats(map[string]any{
			"local_bytes": int8(5), "local_packets": uint16(600), "other_bytes": uint64(math.MaxUint64),
			"other_packets": int64(7), "total_bytes": uint32(70000), "total_packets": 0,
		}), Record{Type: TypeFlowStats, Digest: "d", HasStats: true, LocalBytes: 5, LocalPackets: 600,
			OtherBytes: math.MaxUint64, OtherPackets: 7, HasTotals: true, TotalBytes: 70000}},
		{"float rates and float counters", mpFlowStats(map[string]any{
			"local_rate": 1510.6666259765625, "other_rate": float32(0.5), "detection_packets": 32.0,
		}), Record{Type: TypeFlowStats, Digest: "d", HasRates: true, LocalRate: 1510.6666259765625, OtherRate: 0.5,
			HasDetectionPackets: true, DetectionPackets: 32}},
		{"numeric strings", mpFlowStats(map[string]any{"local_bytes": "5559", "local_rate": "913.25"}),
			Record{Type: TypeFlowStats, Digest: "d", HasStats: true, LocalBytes: 5559, HasRates: true, LocalRate: 913.25}},
		{"internal as 1 and nil fields", map[string]any{"type": "flow_purge", "internal": 1, "reason": nil,
			"flow": map[string]any{"digest": "d", "tcp": map[string]any{"retrans": 2}, "digest_prev": []string{"0e"}, "local_bytes": nil}},
			Record{Type: TypeFlowPurge, HasInternal: true, Internal: true, Digest: "d", DigestPrev: []string{"0e"}, HasTCP: true, TCPRetrans: 2}},
		{"nil interface and internal are absent", map[string]any{"type": "flow", "interface": nil, "internal": nil, "flow": map[string]any{"digest": "d"}},
			Record{Type: TypeFlow, Digest: "d"}},
		{"interface and internal false", map[string]any{"type": "flow", "interface": "eth0", "internal": false, "flow": map[string]any{"digest": "d"}},
			Record{Type: TypeFlow, HasInterface: true, Interface: "eth0", HasInternal: true, Digest: "d"}},
		{"non-string keys ignored", map[string]any{"type": "flow", "flow": map[any]any{1: "x", "digest": "d"}},
			Record{Type: TypeFlow, Digest: "d"}},
		{"agent_status", map[string]any{"type": "agent_status", "uptime": 5, "flow_count": "3"}, Record{Type: TypeAgentStatus,
			Agent: &AgentReport{Status: &AgentStatus{HasUptime: true, Uptime: 5, HasFlowCount: true, FlowCount: 3}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode(mustMsgpack(t, tc.in), ctMsgpack)
			require.Empty(t, errStrings(errs))
			require.Equal(t, []Record{tc.want}, recs)
		})
	}
}

func TestDecodeMsgpackErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"string counter", mpFlowStats(map[string]any{"local_bytes": "abc"}), `record 0: flow.local_bytes: expected a number, got string "abc"`},
		{"negative counter", mpFlowStats(map[string]any{"other_packets": -3}), `record 0: flow.other_packets: expected a non-negative whole number, got -3`},
		{"fractional counter", mpFlowStats(map[string]any{"total_bytes": 2.5}), `record 0: flow.total_bytes: expected a non-negative whole number, got 2.5`},
		{"NaN rate", mpFlowStats(map[string]any{"other_rate": math.NaN()}), `record 0: flow.other_rate: expected a finite number, got NaN`},
		{"binary counter", mpFlowStats(map[string]any{"local_bytes": []byte{1}}), `record 0: flow.local_bytes: expected a number, got binary`},
		{"flow not a map", map[string]any{"type": "flow_stats", "flow": "x"}, `record 0: flow: expected an object, got string "x"`},
		{"tcp not a map", mpFlowStats(map[string]any{"tcp": []int{1}}), `record 0: flow.tcp: expected an object, got array`},
		{"digest_prev element", mpFlowStats(map[string]any{"digest_prev": []any{"a", true}}), `record 0: flow.digest_prev[1]: expected a string, got bool true`},
		{"digest not a string", map[string]any{"type": "flow", "flow": map[string]any{"digest": 7}}, `record 0: flow.digest: expected a string, got number 7`},
		{"internal 2", map[string]any{"type": "flow", "internal": 2, "flow": map[string]any{"digest": "d"}}, `record 0: internal: expected a boolean, got number 2`},
		{"missing type", map[string]any{"flow": map[string]any{"digest": "d"}}, `record 0: missing "type"`},
		{"missing digest", map[string]any{"type": "flow_stats", "flow": map[string]any{}}, `record 0: missing "flow.digest"`},
		{"digest not hex", map[string]any{"type": "flow", "flow": map[string]any{"digest": "zz!"}}, `record 0: flow.digest: "zz!" is not a hex digest of at most 64 characters`},
		{"digest too long", map[string]any{"type": "flow", "flow": map[string]any{"digest": strings.Repeat("0", 65)}},
			`record 0: flow.digest: "` + strings.Repeat("0", 40) + `"... is not a hex digest of at most 64 characters`},
		{"digest_prev element not hex", mpFlowStats(map[string]any{"digest_prev": []string{"0a", "1b", "2c", "not hex"}}),
			`record 0: flow.digest_prev[3]: "not hex" is not a hex digest of at most 64 characters`},
		{"digest_prev too many entries", mpFlowStats(map[string]any{"digest_prev": repeatStrings("0f", 40)}),
			`record 0: flow.digest_prev: 40 entries, at most 32`},
		{"interface too long", map[string]any{"type": "flow", "interface": strings.Repeat("e", 100), "flow": map[string]any{"digest": "d"}},
			`record 0: interface: "` + strings.Repeat("e", 40) + `"... is 100 bytes, at most 64`},
		{"not a map", 5, `record 0: expected an object, got number 5`},
		{"string", "flow", `record 0: expected an object, got string "flow"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode(mustMsgpack(t, tc.in), ctMsgpack)
			require.Empty(t, recs)
			require.Equal(t, []string{tc.want}, errStrings(errs))
		})
	}
}

func TestDecodeMsgpackFraming(t *testing.T) {
	good := func(d string) map[string]any {
		return map[string]any{"type": "flow_stats", "flow": map[string]any{"digest": d, "local_bytes": 1}}
	}
	rec := func(d string) Record { return Record{Type: TypeFlowStats, Digest: d, HasStats: true, LocalBytes: 1} }
	bad := mpFlowStats(map[string]any{"local_bytes": -1})
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	a, bb, c := mustMsgpack(t, good("a")), mustMsgpack(t, good("b")), mustMsgpack(t, good("c"))
	tests := []struct {
		name     string
		body     []byte
		want     []Record
		wantErrs []string
	}{
		{"single map", a, []Record{rec("a")}, nil},
		{"array of maps", mustMsgpack(t, []any{good("a"), good("b")}), []Record{rec("a"), rec("b")}, nil},
		{"array with a bad element", mustMsgpack(t, []any{good("a"), bad, 3, good("c")}),
			[]Record{rec("a"), rec("c")},
			[]string{
				`record 1: flow.local_bytes: expected a non-negative whole number, got -1`,
				`record 2: expected an object, got number 3`,
			}},
		{"back to back", cat(a, bb, c), []Record{rec("a"), rec("b"), rec("c")}, nil},
		{"newline separated", cat(a, []byte("\n"), bb, []byte("\r\n")), []Record{rec("a"), rec("b")}, nil},
		{"back to back with a bad map", cat(a, mustMsgpack(t, bad), c), []Record{rec("a"), rec("c")},
			[]string{`record 1: flow.local_bytes: expected a non-negative whole number, got -1`}},
		// Sorted keys: the truncated value is the string "flow_stats", last in
		// the map; the error points at its content.
		{"truncated", cat(a, bb[:len(bb)-3]), []Record{rec("a")},
			[]string{`record 1: invalid msgpack at byte ` + itoa(len(a)+len(bb)-len("flow_stats")) + `: unexpected end of input`}},
		{"invalid code", cat(a, []byte{0xc1}, c), []Record{rec("a")},
			[]string{`record 1: invalid msgpack at byte ` + itoa(len(a)+1) + `: invalid code 0xc1`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode(tc.body, "application/x-msgpack")
			assert.Equal(t, tc.wantErrs, errStrings(errs))
			assert.Equal(t, tc.want, recs)
		})
	}
}

// Deeply nested garbage must neither recurse nor stop the decoder from
// reporting it.
func TestDecodeDeepNesting(t *testing.T) {
	deep := bytes.Repeat([]byte{0x91}, 1<<20) // [[[[...
	recs, errs := Decode(deep, ctMsgpack)
	assert.Empty(t, recs)
	assert.Equal(t, []string{`record 0: invalid msgpack at byte 1048576: unexpected end of input`}, errStrings(errs))

	recs, errs = Decode(bytes.Repeat([]byte("["), 1<<20), "application/json")
	assert.Empty(t, recs)
	assert.Equal(t, []string{`record 0: invalid JSON at byte 1001: nested too deeply`}, errStrings(errs))
}

func repeatStrings(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
