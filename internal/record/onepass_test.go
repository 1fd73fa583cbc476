package record

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeBoth decodes body as a JSON body and as a JSON stream, with the
// one-pass reader and with the slow path only.
func decodeBoth(t *testing.T, body []byte) (fast, slow []string) {
	t.Helper()
	run := func() []string {
		var out []string
		recs, errs := Decode(body, "application/json")
		for _, r := range recs {
			out = append(out, "body "+recordString(r))
		}
		for _, e := range errs {
			out = append(out, "body error "+e.Error())
		}
		return append(out, streamStrings(body, 256, recordString)...)
	}
	fast = run()
	slowPathOnly = true
	defer func() { slowPathOnly = false }()
	slow = run()
	return fast, slow
}

func recordString(r Record) string { return fmt.Sprintf("%+v", r) }

// onePassSeeds are bodies whose one-pass and slow-path decodings must agree.
var onePassSeeds = []string{
	`{"type":"flow_stats","flow":{"digest":"d","local_bytes":1}}`,
	`{"type":"flow_stats","flow":{"digest":"d"}}` + "\n" + `{"type":"flow","flow":{"digest":"e"}}`,
	`{"type":"flow_stats", "flow" : { "digest" : "d" , "tcp":{"retrans":2} } }`,
	"{\"type\":\"flow\",\n\"flow\":\n{\"digest\":\"a\"}}",
	`{"type":"flow_stats","flow":{"digest":"d","x":[1,2,{"a":[true,false,null,-0.5e+3]}]}}`,
	`{"type":"flow_stats","flow":{"digest":"d","x":01}}`,
	`{"type":"flow_stats","flow":{"digest":"d",}}`,
	`{"type":"flow_stats","flow":{"digest":"d"},}`,
	`{"type":"flow_stats","flow":{"digest":"d\u00"}}`,
	`{"type":"flow_stats","flow":{"digest":"d\x"}}`,
	`{"type":"flow_stats","flow":{"digest":"d","n":-}}`,
	`{"type":"flow_stats","flow":{"digest":"d","n":1.}}`,
	`{"type":"flow_stats","flow":{"digest":"d","n":1e}}`,
	`{"type":"flow_stats","flow":{"digest":"d","n":tru}}`,
	`{"type":"flow_stats","flow":{"digest":"d","n":[1 2]}}`,
	`{"type":"flow_stats","flow":{"digest":"d","n":{"a" 1}}}`,
	`{"type":"flow_stats","flow":{"digest":"d","n":{"a":1]}}`,
	`{"type":"flow_stats","flow":{"digest":"d"}}}`,
	`{"type":"flow_stats","flow":{"digest":"d"}`,
	`{"type":"flow_stats","flow":{"digest":"d"}}{"type":"flow","flow":{"digest":"e"}}`,
	`{"length":12}` + "\n" + `{"type":"flow","flow":{"digest":"e"}}`,
	`{"typ\u0065":"flow","flow":{"digest":"e"}}`,
	"{\"type\":\"flow\",\"flow\":{\"digest\":\"e\",\"x\":\"a\tb\"}}",
	`{"type":"flow","flow":{"digest":"e","x":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}}`,
	`{"type":"flow","flow":{"digest":"e","x":` + strings.Repeat(`{"a":`, 63) + "1" + strings.Repeat("}", 63) + `}}`,
	`[{"type":"flow","flow":{"digest":"e"}},{"type":"flow","flow":{"digest":"e"} ]`,
	`{"type":"flow","flow":"x"} {"type":"flow","flow":{"digest":"e","tcp":5,"category":[1]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":["a",5,{"x":[1]},"b"]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":[ "0a" , "1b" ]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":[]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":[ ]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":["a",]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":["a" "b"]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":["\u0061b","c"]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":["a"],"digest_prev":"x"}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":[` + strings.TrimSuffix(strings.Repeat(`"0f",`, 33), ",") + `]}}`,
	`{"type":"flow","flow":{"digest":"e","digest_prev":[` + strings.TrimSuffix(strings.Repeat(`"0f",`, 32), ",") + `,null]}}`,
}

func TestOnePassMatchesSlowPath(t *testing.T) {
	for _, tc := range testdataRecords {
		onePassSeeds = append(onePassSeeds, string(readTestdata(t, tc.file)))
	}
	for _, body := range onePassSeeds {
		fast, slow := decodeBoth(t, []byte(body))
		require.Equal(t, slow, fast, body)
	}
}

func FuzzOnePassMatchesSlowPath(f *testing.F) {
	for _, s := range onePassSeeds {
		f.Add([]byte(s))
	}
	for _, tc := range testdataRecords {
		f.Add(readTestdata(f, tc.file))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, slow := decodeBoth(t, body)
		if strings.Join(fast, "\n") != strings.Join(slow, "\n") {
			t.Fatalf("one pass:\n%s\nslow path:\n%s", strings.Join(fast, "\n"), strings.Join(slow, "\n"))
		}
	})
}

func TestDecodeAppendReusesTheSlice(t *testing.T) {
	recs := make([]Record, 1, 4)
	recs[0] = Record{Type: "kept"}
	body := []byte(`{"type":"flow_stats","flow":{"digest":"a"}}` + "\n" + `{"type":"flow","flow":{"digest":"b"}}`)
	got, errs := DecodeAppend(recs, body, "application/json")
	require.Empty(t, errs)
	require.Equal(t, []Record{{Type: "kept"}, {Type: TypeFlowStats, Digest: "a"}, {Type: TypeFlow, Digest: "b"}}, got)
	require.Same(t, &recs[0], &got[0], "appended in place")

	got, errs = DecodeAppend(got[:1], nil, "application/json")
	require.Equal(t, []string{"empty body"}, errStrings(errs))
	require.Equal(t, []Record{{Type: "kept"}}, got)
}

// Interned strings and lists are shared, never aliases of the input: a
// record must survive its body being overwritten.
func TestDecodedStringsDoNotAliasTheBody(t *testing.T) {
	body := readTestdata(t, "flow_stats_v52.json")
	recs, errs := Decode(body, "application/json")
	require.Empty(t, errs)
	want := testdataRecords[1].want
	for i := range body {
		body[i] = 'x'
	}
	require.Equal(t, []Record{want}, recs)
	again, errs := Decode(readTestdata(t, "flow_stats_v52.json"), "application/json")
	require.Empty(t, errs)
	require.Equal(t, []Record{want}, again)
}
