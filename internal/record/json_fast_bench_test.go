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
				benchDecodeAppend(b, body, func(r Record) bool { return r.Digest == tc.want.Digest })
			})
		}
	}
}
