package ingest

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestCheckAgentID(t *testing.T) {
	for id, want := range map[string]string{
		"agent-7":                "",
		strings.Repeat("é", 64):  "",
		"":                       "agent id from src is empty",
		strings.Repeat("a", 129): "agent id from src is 129 bytes, at most 128",
		"agent\x01one":           "agent id from src contains control character U+0001",
		"agent\none":             "agent id from src contains control character U+000A",
		"agent\u0085":            "agent id from src contains control character U+0085",
		"agent\xff":              "agent id from src is not valid UTF-8",
	} {
		err := CheckAgentID(id, "src")
		if want == "" {
			assert.NoError(t, err, "%q", id)
		} else {
			assert.EqualError(t, err, want, "%q", id)
		}
	}
}

func flow(mut func(*record.Record)) record.Record {
	r := record.Record{Type: record.TypeFlowStats, HasInterface: true, Interface: "eth0", Digest: "ab", HasStats: true, LocalBytes: 1}
	if mut != nil {
		mut(&r)
	}
	return r
}

func TestCheckRecord(t *testing.T) {
	tests := []struct {
		name string
		rec  record.Record
		want string
	}{
		{"good", flow(nil), ""},
		{"not a flow record: not checked", record.Record{Type: record.TypeAgentStatus}, ""},
		{"interface at the limit", flow(func(r *record.Record) { r.Interface = strings.Repeat("i", MaxInterfaceLen) }), ""},
		{"interface too long", flow(func(r *record.Record) { r.Interface = strings.Repeat("i", MaxInterfaceLen+1) }),
			`interface "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"... (65 bytes) is 65 bytes, at most 64`},
		{"interface not UTF-8", flow(func(r *record.Record) { r.Interface = "eth\xff" }), `interface "eth\xff" is not valid UTF-8`},
		{"interface with newline", flow(func(r *record.Record) { r.Interface = "eth0\nx" }), `interface "eth0\nx" contains control character U+000A`},
		{"interface absent: not checked", flow(func(r *record.Record) { r.HasInterface, r.Interface = false, "\xff" }), ""},
		{"digest not hex", flow(func(r *record.Record) { r.Digest = "zz" }), `flow.digest "zz" is not a hex digest of at most 64 characters`},
		{"digest empty", flow(func(r *record.Record) { r.Digest = "" }), `flow.digest "" is not a hex digest of at most 64 characters`},
		{"digest_prev entry", flow(func(r *record.Record) { r.DigestPrev = []string{"ab", "x"} }), `flow.digest_prev[1] "x" is not a hex digest of at most 64 characters`},
		{"digest_prev too many", flow(func(r *record.Record) { r.DigestPrev = make([]string, record.MaxDigestPrev+1) }), "flow.digest_prev has 33 entries, at most 32"},
		{"delta at the bound", flow(func(r *record.Record) { r.OtherPackets = MaxDelta }), ""},
		{"delta beyond", flow(func(r *record.Record) { r.TCPRetrans = MaxDelta + 1 }), "flow.tcp.retrans 281474976710657 is beyond the plausible delta of one interval (at most 2^48)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckRecord(&tc.rec)
			if tc.want == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tc.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	assert.Equal(t, `"short"`, Excerpt("short"))
	assert.Equal(t, `"a\nb"`, Excerpt("a\nb"))
	long := strings.Repeat("é", 100) // 200 bytes
	got := Excerpt(long)
	assert.Equal(t, `"`+strings.Repeat("é", 32)+`"... (200 bytes)`, got, "cut on a character boundary")
	assert.Less(t, len(Excerpt(strings.Repeat("\x80", 1000))), 300)
}

type countingSink struct{ batches []Batch }

func (s *countingSink) Accept(_ context.Context, b Batch) (int, error) {
	s.batches = append(s.batches, b)
	return len(b.Records), nil
}

type counts struct{ malformed, skipped int }

func (c *counts) Malformed(_ context.Context, _ string, n int) { c.malformed += n }
func (c *counts) Skipped(_ context.Context, _ string, n int)   { c.skipped += n }

// The gate drops the records that break a limit, keeps the others in
// order, and counts the drops with the decode errors it was handed.
func TestGateOffer(t *testing.T) {
	sink, c := &countingSink{}, &counts{}
	g := NewGate(Settings{Sink: sink, Counter: c, Telemetry: componenttest.NewNopTelemetrySettings()}, "http")
	rej := Rejects{}
	rej.Add(&record.DecodeError{Index: 0, Err: assert.AnError})
	recs := []record.Record{flow(nil), flow(func(r *record.Record) { r.Interface = "\xff" }), flow(func(r *record.Record) { r.Digest = "cd" })}
	taken, err := g.Offer(context.Background(), Batch{Agent: "a", Records: recs}, &rej)
	require.NoError(t, err)
	assert.Equal(t, 2, taken)
	assert.Equal(t, 2, rej.N)
	assert.Equal(t, 2, c.malformed)
	require.Len(t, sink.batches, 1)
	assert.Equal(t, "http", sink.batches[0].Transport)
	assert.Equal(t, []string{"ab", "cd"}, []string{sink.batches[0].Records[0].Digest, sink.batches[0].Records[1].Digest})

	// A batch under an agent id that breaks the rules is refused whole.
	rej = Rejects{}
	taken, err = g.Offer(context.Background(), Batch{Agent: "bad\n", Records: []record.Record{flow(nil), flow(nil)}}, &rej)
	require.NoError(t, err)
	assert.Zero(t, taken)
	assert.Equal(t, 2, rej.N)
	assert.Len(t, sink.batches, 1)
}

func TestRejectsKeepTheFirstErrors(t *testing.T) {
	var r Rejects
	for range record.MaxKeptErrors + 5 {
		r.Add(assert.AnError)
	}
	r.AddBody(record.Body{Bad: 10, Errors: []error{assert.AnError}})
	assert.Equal(t, record.MaxKeptErrors+15, r.N)
	assert.Len(t, r.Errs, record.MaxKeptErrors)
}
