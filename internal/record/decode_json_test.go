package record

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeTestdataJSON(t *testing.T) {
	for _, tc := range testdataRecords {
		t.Run(tc.file, func(t *testing.T) {
			recs, errs := Decode(readTestdata(t, tc.file), "application/json")
			require.Empty(t, errs)
			require.Equal(t, []Record{tc.want}, recs)
		})
	}
}

// fs builds a flow_stats record with digest "d" and the given flow fields.
func fs(fields string) string {
	if fields != "" {
		fields = "," + fields
	}
	return `{"type":"flow_stats","flow":{"digest":"d"` + fields + `}}`
}

func TestDecodeJSONValues(t *testing.T) {
	base := Record{Type: TypeFlowStats, Digest: "d"}
	with := func(f func(r *Record)) Record {
		r := base
		f(&r)
		return r
	}
	tests := []struct {
		name string
		body string
		want Record
	}{
		{"float rates", fs(`"local_rate":1510.6666259765625,"other_rate":29478.0`), with(func(r *Record) {
			r.HasRates, r.LocalRate, r.OtherRate = true, 1510.6666259765625, 29478
		})},
		{"integer rates", fs(`"local_rate":5559,"other_rate":0`), with(func(r *Record) {
			r.HasRates, r.LocalRate = true, 5559
		})},
		{"string rate", fs(`"other_rate":"913.5"`), with(func(r *Record) {
			r.HasRates, r.OtherRate = true, 913.5
		})},
		{"numeric string counters", fs(`"local_bytes":"5559","other_bytes":"913.0","total_bytes":"1e3"`), with(func(r *Record) {
			r.HasStats, r.LocalBytes, r.OtherBytes = true, 5559, 913
			r.HasTotals, r.TotalBytes = true, 1000
		})},
		{"float counters", fs(`"local_packets":6.0,"total_packets":1.064e3`), with(func(r *Record) {
			r.HasStats, r.LocalPackets = true, 6
			r.HasTotals, r.TotalPackets = true, 1064
		})},
		{"largest counter", fs(`"total_bytes":18446744073709551615`), with(func(r *Record) {
			r.HasTotals, r.TotalBytes = true, 18446744073709551615
		})},
		{"missing tcp", fs(`"local_bytes":1`), with(func(r *Record) {
			r.HasStats, r.LocalBytes = true, 1
		})},
		{"tcp present", fs(`"tcp":{"resets":1,"retrans":"2","seq_errors":3.0}`), with(func(r *Record) {
			r.HasTCP, r.TCPResets, r.TCPRetrans, r.TCPSeqErrors = true, 1, 2, 3
		})},
		{"empty tcp", fs(`"tcp":{}`), with(func(r *Record) { r.HasTCP = true })},
		{"nulls are absent", fs(`"local_bytes":null,"local_rate":null,"tcp":null,"digest_prev":null,"total_bytes":null`), base},
		{"null top-level fields", `{"type":"flow_stats","interface":null,"internal":null,"reason":null,"flow":{"digest":"d"}}`, base},
		{"internal as 1", `{"type":"flow_stats","internal":1,"flow":{"digest":"d"}}`, with(func(r *Record) { r.HasInternal, r.Internal = true, true })},
		{"internal as 0", `{"type":"flow_stats","internal":0,"flow":{"digest":"d"}}`, with(func(r *Record) { r.HasInternal = true })},
		{"internal as string", `{"type":"flow_stats","internal":"true","flow":{"digest":"d"}}`, with(func(r *Record) { r.HasInternal, r.Internal = true, true })},
		{"internal false", `{"type":"flow_stats","internal":false,"flow":{"digest":"d"}}`, with(func(r *Record) { r.HasInternal = true })},
		{"empty interface is present", `{"type":"flow_stats","interface":"","flow":{"digest":"d"}}`, with(func(r *Record) { r.HasInterface = true })},
		{"longest interface", `{"type":"flow_stats","interface":"` + strings.Repeat("i", 64) + `","flow":{"digest":"d"}}`, with(func(r *Record) {
			r.HasInterface, r.Interface = true, strings.Repeat("i", 64)
		})},
		{"longest digest, mixed case", fs(`"digest_prev":["` + strings.Repeat("aB", 32) + `"]`), with(func(r *Record) {
			r.DigestPrev = []string{strings.Repeat("aB", 32)}
		})},
		{"most digest_prev entries", fs(`"digest_prev":[` + strings.TrimSuffix(strings.Repeat(`"0f",`, 32), ",") + `]`), with(func(r *Record) {
			r.DigestPrev = make([]string, 32)
			for i := range r.DigestPrev {
				r.DigestPrev[i] = "0f"
			}
		})},
		{"float timestamps", fs(`"first_seen_at":1.772738467573e12,"last_seen_at":1772738467684.0`), with(func(r *Record) {
			r.FirstSeenAtMillis, r.LastSeenAtMillis = 1772738467573, 1772738467684
		})},
		{"detection packets only", fs(`"detection_packets":0`), with(func(r *Record) { r.HasDetectionPackets = true })},
		{"empty digest_prev", fs(`"digest_prev":[]`), base},
		{"escaped strings", `{"type":"flow_stats","interface":"eth\u0030\"","flow":{"digest":"a\u0062","digest_prev":["c\u0064"]}}`, with(func(r *Record) {
			r.HasInterface, r.Interface, r.Digest, r.DigestPrev = true, `eth0"`, "ab", []string{"cd"}
		})},
		{"unknown fields ignored", `{"type":"flow_stats","x":{"y":[1,{}]},"flow":{"digest":"d","total_local_bytes":5,"z":null}}`, base},
		{"agent_status keeps its type and update interval", `{"type":"agent_status","agent_version":"5.2.1","update_interval":15}`, Record{Type: TypeAgentStatus, UpdateIntervalSeconds: 15,
			Agent: &AgentReport{Status: &AgentStatus{Version: "5.2.1", HasUpdateInterval: true, UpdateInterval: 15}}}},
		{"legacy flow_status not validated", `{"type":"flow_status","flow":"not an object","internal":"maybe"}`, Record{Type: "flow_status"}},
		{"unknown type not validated", `{"type":"endpoints","interface":5}`, Record{Type: "endpoints"}},
		{"dpi update", `{"type":"flow_dpi_update","flow":{"digest":"d","local_bytes":1}}`, with(func(r *Record) {
			r.Type, r.HasStats, r.LocalBytes = TypeFlowDPIUpdate, true, 1
		})},
		{"dpi complete", `{"type":"flow_dpi_complete","flow":{"digest":"d"}}`, with(func(r *Record) { r.Type = TypeFlowDPIComplete })},
		{"purge expired", `{"type":"flow_purge","reason":"expired","flow":{"digest":"d"}}`, with(func(r *Record) {
			r.Type, r.Reason = TypeFlowPurge, "expired"
		})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode([]byte(tc.body), "application/json")
			require.Empty(t, errStrings(errs))
			require.Equal(t, []Record{tc.want}, recs)
		})
	}
}

func TestDecodeJSONRecordErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"non-numeric string counter", fs(`"local_bytes":"abc"`), `record 0: flow.local_bytes: expected a number, got string "abc"`},
		{"negative counter", fs(`"local_bytes":-5`), `record 0: flow.local_bytes: expected a non-negative whole number, got -5`},
		{"negative string counter", fs(`"other_bytes":"-7"`), `record 0: flow.other_bytes: expected a non-negative whole number, got -7`},
		{"fractional counter", fs(`"other_packets":1.5`), `record 0: flow.other_packets: expected a non-negative whole number, got 1.5`},
		{"negative tcp counter", fs(`"tcp":{"retrans":-1}`), `record 0: flow.tcp.retrans: expected a non-negative whole number, got -1`},
		{"counter too large", fs(`"total_bytes":18446744073709551616`), `record 0: flow.total_bytes: number 1.8446744073709552e+19 out of range`},
		{"bool counter", fs(`"total_packets":true`), `record 0: flow.total_packets: expected a number, got bool true`},
		{"object counter", fs(`"detection_packets":{"n":1}`), `record 0: flow.detection_packets: expected a number, got object`},
		{"array rate", fs(`"local_rate":[1]`), `record 0: flow.local_rate: expected a number, got array`},
		{"hex string counter", fs(`"local_packets":"0x10"`), `record 0: flow.local_packets: expected a number, got string "0x10"`},
		{"negative timestamp", fs(`"last_seen_at":-1`), `record 0: flow.last_seen_at: expected epoch milliseconds, got -1`},
		{"string timestamp", fs(`"first_seen_at":"yesterday"`), `record 0: flow.first_seen_at: expected a number, got string "yesterday"`},
		{"long string is shortened", fs(`"local_bytes":"` + strings.Repeat("x", 100) + `"`), `record 0: flow.local_bytes: expected a number, got string "` + strings.Repeat("x", 40) + `"...`},
		{"missing type", `{"flow":{"digest":"d"}}`, `record 0: missing "type"`},
		{"empty type", `{"type":"","flow":{"digest":"d"}}`, `record 0: missing "type"`},
		{"null type", `{"type":null}`, `record 0: missing "type"`},
		{"numeric type", `{"type":5}`, `record 0: type: expected a string, got number 5`},
		{"missing flow", `{"type":"flow_stats"}`, `record 0: missing "flow"`},
		{"null flow", `{"type":"flow_purge","flow":null}`, `record 0: missing "flow"`},
		{"flow not an object", `{"type":"flow_stats","flow":"x"}`, `record 0: flow: expected an object, got string`},
		{"flow array", `{"type":"flow","flow":[]}`, `record 0: flow: expected an object, got array`},
		{"tcp not an object", fs(`"tcp":5`), `record 0: flow.tcp: expected an object, got number`},
		{"missing digest", `{"type":"flow_stats","flow":{"local_bytes":1}}`, `record 0: missing "flow.digest"`},
		{"empty digest", `{"type":"flow_stats","flow":{"digest":""}}`, `record 0: missing "flow.digest"`},
		{"numeric digest", `{"type":"flow_stats","flow":{"digest":12}}`, `record 0: flow.digest: expected a string, got number 12`},
		{"digest_prev not an array", fs(`"digest_prev":"x"`), `record 0: flow.digest_prev: expected an array of strings, got string "x"`},
		{"digest_prev element not a string", fs(`"digest_prev":["a",5,null]`), `record 0: flow.digest_prev[1]: expected a string, got number 5`},
		{"interface not a string", `{"type":"flow_stats","interface":5,"flow":{"digest":"d"}}`, `record 0: interface: expected a string, got number 5`},
		{"internal not a boolean", `{"type":"flow_stats","internal":2,"flow":{"digest":"d"}}`, `record 0: internal: expected a boolean, got number 2`},
		{"internal odd string", `{"type":"flow_stats","internal":"yes","flow":{"digest":"d"}}`, `record 0: internal: expected a boolean, got string "yes"`},
		{"reason not a string", `{"type":"flow_purge","reason":false,"flow":{"digest":"d"}}`, `record 0: reason: expected a string, got bool false`},
		{"not an object in an array", `[5]`, `record 0: expected an object, got number`},
		{"string in an array", `["x"]`, `record 0: expected an object, got string`},
		{"scalar body", `5`, `record 0: invalid JSON at byte 0: invalid character '5', expected '{' or '['`},
		{"syntax error", `{"type":"flow_stats",,}`, `record 0: invalid JSON at byte 21: invalid character ',' looking for beginning of object key string`},
		{"truncated body", `{"type":"flow_stats","flow":{"digest":"d"}`, `record 0: invalid JSON at byte 42: unexpected end of input`},
		{"first field error wins", fs(`"local_bytes":-1,"other_bytes":-2`), `record 0: flow.local_bytes: expected a non-negative whole number, got -1`},
		{"digest not hex", `{"type":"flow_stats","flow":{"digest":"zz!"}}`, `record 0: flow.digest: "zz!" is not a hex digest of at most 64 characters`},
		{"digest with a space", `{"type":"flow_stats","flow":{"digest":"ab cd"}}`, `record 0: flow.digest: "ab cd" is not a hex digest of at most 64 characters`},
		{"digest with 0x", `{"type":"flow_stats","flow":{"digest":"0xab"}}`, `record 0: flow.digest: "0xab" is not a hex digest of at most 64 characters`},
		{"escaped digest not hex", `{"type":"flow_stats","flow":{"digest":"a\"b"}}`, `record 0: flow.digest: "a\"b" is not a hex digest of at most 64 characters`},
		{"digest too long", `{"type":"flow_stats","flow":{"digest":"` + strings.Repeat("a", 65) + `"}}`,
			`record 0: flow.digest: "` + strings.Repeat("a", 40) + `"... is not a hex digest of at most 64 characters`},
		{"digest_prev element not hex", fs(`"digest_prev":["0a","1b","2c","g"]`), `record 0: flow.digest_prev[3]: "g" is not a hex digest of at most 64 characters`},
		{"digest_prev element empty", fs(`"digest_prev":[""]`), `record 0: flow.digest_prev[0]: "" is not a hex digest of at most 64 characters`},
		{"digest_prev element too long", fs(`"digest_prev":["` + strings.Repeat("F", 65) + `"]`),
			`record 0: flow.digest_prev[0]: "` + strings.Repeat("F", 40) + `"... is not a hex digest of at most 64 characters`},
		{"digest_prev too many entries", fs(`"digest_prev":[` + strings.TrimSuffix(strings.Repeat(`"0f",`, 40), ",") + `]`),
			`record 0: flow.digest_prev: 40 entries, at most 32`},
		{"digest_prev count checked before entries", fs(`"digest_prev":[` + strings.TrimSuffix(strings.Repeat(`"x",`, 32), ",") + `,5]`),
			`record 0: flow.digest_prev: 33 entries, at most 32`},
		{"digest_prev element type checked before hex", fs(`"digest_prev":["x",5]`), `record 0: flow.digest_prev[1]: expected a string, got number 5`},
		{"digest checked before digest_prev", `{"type":"flow","flow":{"digest":"q","digest_prev":["r"]}}`, `record 0: flow.digest: "q" is not a hex digest of at most 64 characters`},
		{"interface too long", `{"type":"flow_stats","interface":"` + strings.Repeat("e", 65) + `","flow":{"digest":"d"}}`,
			`record 0: interface: "` + strings.Repeat("e", 40) + `"... is 65 bytes, at most 64`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode([]byte(tc.body), "application/json")
			require.Empty(t, recs)
			require.Equal(t, []string{tc.want}, errStrings(errs))
			var de *DecodeError
			require.True(t, errors.As(errs[0], &de))
			assert.Equal(t, 0, de.Index)
		})
	}
}

func TestDecodeJSONFraming(t *testing.T) {
	good := func(d string) string { return `{"type":"flow_stats","flow":{"digest":"` + d + `","local_bytes":1}}` }
	rec := func(d string) Record {
		return Record{Type: TypeFlowStats, Digest: d, HasStats: true, LocalBytes: 1}
	}
	tests := []struct {
		name     string
		body     string
		want     []Record
		wantErrs []string
	}{
		{"array", "[" + good("a") + "," + good("b") + "]", []Record{rec("a"), rec("b")}, nil},
		{"pretty array", "[\n{\n  \"type\": \"flow\",\n  \"flow\": {\"digest\": \"a\"}\n},\n{\"type\":\"flow\",\"flow\":{\"digest\":\"b\"}}\n]\n",
			[]Record{{Type: TypeFlow, Digest: "a"}, {Type: TypeFlow, Digest: "b"}}, nil},
		{"empty array", "[]", []Record{}, nil},
		{"array with one bad element",
			"[" + good("a") + "," + fs(`"local_bytes":"abc"`) + "," + good("c") + "]",
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: flow.local_bytes: expected a number, got string "abc"`}},
		{"array with a syntax error in an element",
			"[" + good("a") + `,{"type":,"x":1},` + good("c") + "]",
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 69: invalid character ',' looking for beginning of value`}},
		{"ndjson", good("a") + "\n" + good("b") + "\r\n" + good("c") + "\n", []Record{rec("a"), rec("b"), rec("c")}, nil},
		{"ndjson with a garbage line",
			good("a") + "\nthis is {not} json\n" + good("c") + "\n",
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 60: invalid character 't', expected '{' or '['`}},
		{"ndjson with a truncated line",
			good("a") + "\n" + `{"type":"flow_stats","flow":{"digest":"b"` + "\n" + good("c") + "\n",
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 102: record cut short: the next record starts here`}},
		{"ndjson with a line cut inside a string",
			good("a") + "\n" + `{"type":"flow_st` + "\n" + good("c") + "\n",
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 76: newline inside a string`}},
		{"ndjson with an invalid but balanced line",
			good("a") + "\n" + `{"type":"flow_stats" "flow":{}}` + "\n" + good("c") + "\n",
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 81: invalid character '"' after object key:value pair`}},
		{"ndjson with mismatched brackets",
			good("a") + "\n" + `{"type":"x"]}, {"a":1}` + "\n" + good("c") + "\n",
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 71: unexpected ']'`}},
		{"back to back", good("a") + good("b") + " " + good("c"), []Record{rec("a"), rec("b"), rec("c")}, nil},
		{"back to back with a cut record",
			good("a") + `{"type":"flow_stats","flow":{"digest":"b"}` + good("c"),
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 101: record cut short: the next record starts here`}},
		{"back to back with stray text",
			good("a") + `xyz` + good("c"),
			[]Record{rec("a"), rec("c")},
			[]string{`record 1: invalid JSON at byte 59: invalid character 'x', expected '{' or '['`}},
		{"pretty printed objects",
			"{\n  \"type\": \"flow\",\n  \"flow\": {\n    \"digest\": \"a\"\n  }\n}\n{\n  \"type\": \"flow\",\n  \"flow\": {\"digest\": \"b\"}\n}\n",
			[]Record{{Type: TypeFlow, Digest: "a"}, {Type: TypeFlow, Digest: "b"}}, nil},
		{"truncated last record",
			good("a") + "\n" + `{"type":"flow_stats","flow":{`,
			[]Record{rec("a")},
			[]string{`record 1: invalid JSON at byte 89: unexpected end of input`}},
		{"byte order mark", "\ufeff" + good("a"), []Record{rec("a")}, nil},
		{"arrays back to back", "[" + good("a") + "]\n[" + good("b") + "]", []Record{rec("a"), rec("b")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode([]byte(tc.body), "application/x-ndjson")
			assert.Equal(t, tc.wantErrs, errStrings(errs))
			assert.Equal(t, tc.want, recs)
		})
	}
}

func TestDecodeBodyErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body, contentType, want string
		is                            error
	}{
		{"empty", "", "application/json", "empty body", ErrEmptyBody},
		{"whitespace", " \n\t ", "application/json", "empty body", ErrEmptyBody},
		{"empty msgpack", "", "application/msgpack", "empty body", ErrEmptyBody},
		{"unsupported", "{}", "text/html; charset=utf-8", `unsupported content type "text/html"`, ErrUnsupportedContentType},
		{"form", "a=b", "application/x-www-form-urlencoded", `unsupported content type "application/x-www-form-urlencoded"`, ErrUnsupportedContentType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, errs := Decode([]byte(tc.body), tc.contentType)
			require.Empty(t, recs)
			require.Equal(t, []string{tc.want}, errStrings(errs))
			require.ErrorIs(t, errs[0], tc.is)
			var de *DecodeError
			require.ErrorAs(t, errs[0], &de)
			require.Equal(t, -1, de.Index)
		})
	}
}

func TestDecodeContentTypes(t *testing.T) {
	js := readTestdata(t, "flow_stats.json")
	mp := jsonToMsgpack(t, js)
	want := []Record{testdataRecords[0].want}
	for _, ct := range []string{"", "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
		"application/x-ndjson", "text/plain", " text/plain ;charset=us-ascii"} {
		recs, errs := Decode(js, ct)
		assert.Empty(t, errs, ct)
		assert.Equal(t, want, recs, ct)
	}
	for _, ct := range []string{"application/msgpack", "application/x-msgpack", "application/vnd.msgpack", "Application/MsgPack; foo=bar"} {
		recs, errs := Decode(mp, ct)
		assert.Empty(t, errs, ct)
		assert.Equal(t, want, recs, ct)
	}
}
