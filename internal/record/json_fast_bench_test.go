package record

import (
	"bytes"
	"strings"
	"testing"
)

// BenchmarkDirectVsGeneral decodes each testdata record with the direct
// reader and with the general one-pass reader (fastPathOff), into a reused
// slice; cpu-ns/op is the figure to compare on a shared machine:
//
//	go test -run='^$' -bench=DirectVsGeneral -benchmem -cpu=1 -count=8 ./internal/record/
func BenchmarkDirectVsGeneral(b *testing.B) {
	for _, tc := range testdataRecords {
		body := bytes.TrimSpace(readTestdata(b, tc.file))
		name := strings.TrimSuffix(tc.file, ".json")
		for _, path := range []string{"direct", "general"} {
			b.Run("type="+name+"/path="+path, func(b *testing.B) {
				fastPathOff = path == "general"
				defer func() { fastPathOff = false }()
				recs := make([]Record, 0, 1)
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				cpu := startCPU(b)
				defer cpu.report(b)
				for b.Loop() {
					var errs []error
					recs, errs = DecodeAppend(recs[:0], body, "application/json")
					if len(errs) != 0 || recs[0].Digest != tc.want.Digest {
						b.Fatal(recs, errs)
					}
				}
			})
		}
	}
}
