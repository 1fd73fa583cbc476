package record

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func FuzzDecode(f *testing.F) {
	for _, tc := range testdataRecords {
		js := readTestdata(f, tc.file)
		f.Add(js, false)
		f.Add(jsonToMsgpack(f, js), true)
	}
	f.Add([]byte("["+goodLine("a")+",5]\n{\"length\":3}\n"+goodLine("b")), false)
	f.Add([]byte(goodLine("a")+"\n{\"type\":\"flow_stats\",\"flow\":{\"digest\":\"b\"\n"+goodLine("c")), false)

	f.Fuzz(func(t *testing.T, body []byte, isMsgpack bool) {
		ct, format := "application/json", FormatJSON
		if isMsgpack {
			ct, format = "application/msgpack", FormatMsgpack
		}
		recs, errs := Decode(body, ct)
		checkRecords(t, recs)
		for _, err := range errs {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v is not a *DecodeError", err)
			}
		}

		// The stream decoder must also terminate: every call consumes input.
		d := NewStreamDecoder(bytes.NewReader(body), format, 64)
		for i := 0; ; i++ {
			if i > len(body)+2 {
				t.Fatalf("stream decoder made no progress after %d calls", i)
			}
			rec, err := d.Next()
			var de *DecodeError
			if err == nil {
				checkRecords(t, []Record{rec})
			} else if !errors.As(err, &de) {
				if err != io.EOF {
					t.Fatalf("stream ended with %v, want io.EOF", err)
				}
				break
			}
		}
	})
}

func checkRecords(t *testing.T, recs []Record) {
	for _, r := range recs {
		if r.Type == "" {
			t.Fatalf("record without a type: %+v", r)
		}
		if r.IsFlow() && r.Digest == "" {
			t.Fatalf("flow record without a digest: %+v", r)
		}
	}
}
