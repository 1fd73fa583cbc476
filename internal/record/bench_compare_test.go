package record

import (
	"encoding/json"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/valyala/fastjson"
)

// The libraries below decode the same 491-byte flow_stats record into the
// same fields as record.Decode (less its validation and error reporting), so
// that one benchmark run compares them:
//
//	go test -run='^$' -bench=FlowStatsVs -cpu=1 -count=10 ./internal/record/
//
// cpu-ns/op is the comparison to read on a shared machine (see cpuTimer).

// statsJSON is the flow_stats record as a struct for reflection-based decoders.
type statsJSON struct {
	Type      string `json:"type"`
	Interface string `json:"interface"`
	Internal  bool   `json:"internal"`
	Flow      struct {
		Digest           string   `json:"digest"`
		DigestPrev       []string `json:"digest_prev"`
		LocalBytes       uint64   `json:"local_bytes"`
		LocalPackets     uint64   `json:"local_packets"`
		OtherBytes       uint64   `json:"other_bytes"`
		OtherPackets     uint64   `json:"other_packets"`
		LocalRate        float64  `json:"local_rate"`
		OtherRate        float64  `json:"other_rate"`
		TotalBytes       uint64   `json:"total_bytes"`
		TotalPackets     uint64   `json:"total_packets"`
		DetectionPackets uint64   `json:"detection_packets"`
		LastSeenAt       int64    `json:"last_seen_at"`
		TCP              *struct {
			Resets    uint64 `json:"resets"`
			Retrans   uint64 `json:"retrans"`
			SeqErrors uint64 `json:"seq_errors"`
		} `json:"tcp"`
	} `json:"flow"`
}

func flowStatsBody(b *testing.B) []byte {
	body := readTestdata(b, "flow_stats_v52.json")
	if len(body) > 0 && body[len(body)-1] == '\n' {
		body = body[:len(body)-1]
	}
	if len(body) != 491 {
		b.Fatalf("flow_stats_v52.json is %d bytes, want 491", len(body))
	}
	return body
}

func BenchmarkFlowStatsVs(b *testing.B) {
	body := flowStatsBody(b)
	want := testdataRecords[1].want

	b.Run("lib=record", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		cpu := startCPU(b)
		defer cpu.report(b)
		for b.Loop() {
			recs, errs := Decode(body, "application/json")
			if len(errs) != 0 || recs[0].TotalBytes != want.TotalBytes {
				b.Fatal(recs, errs)
			}
		}
	})
	b.Run("lib=record_append", func(b *testing.B) {
		benchDecodeAppend(b, body, func(r Record) bool { return r.TotalBytes == want.TotalBytes })
	})
	b.Run("lib=encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		cpu := startCPU(b)
		defer cpu.report(b)
		for b.Loop() {
			var v statsJSON
			if err := json.Unmarshal(body, &v); err != nil || v.Flow.TotalBytes != want.TotalBytes {
				b.Fatal(v, err)
			}
		}
	})
	b.Run("lib=goccy_go_json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		cpu := startCPU(b)
		defer cpu.report(b)
		for b.Loop() {
			var v statsJSON
			if err := gojson.Unmarshal(body, &v); err != nil || v.Flow.TotalBytes != want.TotalBytes {
				b.Fatal(v, err)
			}
		}
	})
	b.Run("lib=fastjson", func(b *testing.B) {
		var p fastjson.Parser
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		cpu := startCPU(b)
		defer cpu.report(b)
		for b.Loop() {
			v, err := p.ParseBytes(body)
			if err != nil {
				b.Fatal(err)
			}
			var s statsJSON
			s.Type = string(v.GetStringBytes("type"))
			s.Interface = string(v.GetStringBytes("interface"))
			s.Internal = v.GetBool("internal")
			f := v.Get("flow")
			s.Flow.Digest = string(f.GetStringBytes("digest"))
			for _, d := range f.GetArray("digest_prev") {
				s.Flow.DigestPrev = append(s.Flow.DigestPrev, string(d.GetStringBytes()))
			}
			s.Flow.LocalBytes = f.GetUint64("local_bytes")
			s.Flow.LocalPackets = f.GetUint64("local_packets")
			s.Flow.OtherBytes = f.GetUint64("other_bytes")
			s.Flow.OtherPackets = f.GetUint64("other_packets")
			s.Flow.LocalRate = f.GetFloat64("local_rate")
			s.Flow.OtherRate = f.GetFloat64("other_rate")
			s.Flow.TotalBytes = f.GetUint64("total_bytes")
			s.Flow.TotalPackets = f.GetUint64("total_packets")
			s.Flow.DetectionPackets = f.GetUint64("detection_packets")
			s.Flow.LastSeenAt = f.GetInt64("last_seen_at")
			if tcp := f.Get("tcp"); tcp != nil {
				s.Flow.TCP = &struct {
					Resets    uint64 `json:"resets"`
					Retrans   uint64 `json:"retrans"`
					SeqErrors uint64 `json:"seq_errors"`
				}{tcp.GetUint64("resets"), tcp.GetUint64("retrans"), tcp.GetUint64("seq_errors")}
			}
			if s.Flow.TotalBytes != want.TotalBytes || len(s.Flow.DigestPrev) != 2 {
				b.Fatal(s)
			}
		}
	})
}

// benchDecodeAppend decodes body with DecodeAppend into one reused slice,
// each time checking the record with ok; it reports allocations, bytes and
// the process's CPU time per operation.
func benchDecodeAppend(b *testing.B, body []byte, ok func(Record) bool) {
	recs := make([]Record, 0, 1)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	cpu := startCPU(b)
	defer cpu.report(b)
	for b.Loop() {
		var errs []error
		recs, errs = DecodeAppend(recs[:0], body, "application/json")
		if len(errs) != 0 || !ok(recs[0]) {
			b.Fatal(recs, errs)
		}
	}
}
