package record

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"
)

// BenchmarkDecodeRecord decodes each example record of NETIFY.md on its own,
// as JSON and as msgpack, into a reused slice: the per-record cost and
// allocations of each type and encoding.
func BenchmarkDecodeRecord(b *testing.B) {
	for _, tc := range testdataRecords {
		js := bytes.TrimSpace(readTestdata(b, tc.file))
		name := strings.TrimSuffix(tc.file, ".json")
		for _, enc := range []struct{ name, contentType string }{
			{"json", "application/json"}, {"msgpack", "application/msgpack"},
		} {
			body := js
			if enc.name == "msgpack" {
				body = jsonToMsgpack(b, js)
			}
			b.Run("type="+name+"/enc="+enc.name, func(b *testing.B) {
				recs := make([]Record, 0, 1)
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					var errs []error
					recs, errs = DecodeAppend(recs[:0], body, enc.contentType)
					if len(recs) != 1 || len(errs) != 0 {
						b.Fatal(recs, errs)
					}
				}
			})
		}
	}
}

// BenchmarkDecodeStages splits the decoding of the 491-byte flow_stats record
// into its stages, and times the slow path (framing, json.Valid, trusted
// walk: the decoder before the one-pass reader) beside the one pass.
func BenchmarkDecodeStages(b *testing.B) {
	body := flowStatsBody(b)
	b.Run("stage=frame", func(b *testing.B) {
		var sc frameScanner
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			sc.reset()
			if n, st := sc.scan(body); st != scanDone || n != len(body) {
				b.Fatal(n, st)
			}
		}
	})
	b.Run("stage=json_valid", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if !json.Valid(body) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("stage=walk_trusted", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var w wireRecord
			w.readJSON(&jsonReader{b: body, trusted: true})
			if !w.hasFlow {
				b.Fatal("no flow")
			}
		}
	})
	b.Run("stage=build", func(b *testing.B) {
		var w wireRecord
		w.readJSON(&jsonReader{b: body, trusted: true})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := w.build(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("path=slow", func(b *testing.B) {
		var sc frameScanner
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			sc.reset()
			n, _ := sc.scan(body)
			if _, err := decodeJSONRecord(body[:n], 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("path=one_pass", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, _, ok, err := decodeJSONObject(body, 0); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
}

// simulatedStream is NDJSON from the simulator: 5,000 flows over 10
// intervals (about 60,000 records of every type), the digests of a real
// stream's cardinality.
func simulatedStream(b *testing.B) (body []byte, records int) {
	body, records, err := gen.NDJSON(gen.Config{Seed: 1, Agents: 1, Flows: 5000}, time.UnixMilli(1772665318561), 10)
	if err != nil {
		b.Fatal(err)
	}
	return body, records
}

// BenchmarkStreamDecoderSimulated is the stream decoder's cost per record
// on a simulated stream (ns/record; allocs/op divided by records/op is the
// allocations per record).
func BenchmarkStreamDecoderSimulated(b *testing.B) {
	body, records := simulatedStream(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		d := NewStreamDecoder(bytes.NewReader(body), FormatJSON, 0)
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
		if n != records {
			b.Fatal(n, records)
		}
	}
	perRecord(b, records)
	b.ReportMetric(float64(records), "records/op")
}
