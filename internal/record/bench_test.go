package record

import (
	"bytes"
	"io"
	"testing"
)

func BenchmarkDecodeFlowStatsJSON(b *testing.B) {
	body := readTestdata(b, "flow_stats_v52.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		recs, errs := Decode(body, "application/json")
		if len(recs) != 1 || len(errs) != 0 {
			b.Fatal(recs, errs)
		}
	}
}

// ndjson1000 is 1000 agent records, one per line, cycling through testdata.
func ndjson1000(b *testing.B) []byte {
	var buf bytes.Buffer
	for i := range 1000 {
		buf.Write(bytes.TrimSpace(readTestdata(b, testdataRecords[i%len(testdataRecords)].file)))
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func BenchmarkDecodeNDJSON1000(b *testing.B) {
	body := ndjson1000(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		recs, errs := Decode(body, "application/x-ndjson")
		if len(recs) != 1000 || len(errs) != 0 {
			b.Fatal(len(recs), errs)
		}
	}
	perRecord(b, 1000)
}

// perRecord reports the time per record of a benchmark decoding n records
// per iteration (allocations per record are allocs/op divided by n).
func perRecord(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}

func BenchmarkDecodeMsgpack(b *testing.B) {
	body := jsonToMsgpack(b, readTestdata(b, "flow_stats_v52.json"))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		recs, errs := Decode(body, "application/msgpack")
		if len(recs) != 1 || len(errs) != 0 {
			b.Fatal(recs, errs)
		}
	}
}

func BenchmarkStreamDecoderNDJSON1000(b *testing.B) {
	body := ndjson1000(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		d := NewStreamDecoder(bytes.NewReader(body), FormatAuto, 0)
		n := 0
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatal(n)
		}
	}
	perRecord(b, 1000)
}
