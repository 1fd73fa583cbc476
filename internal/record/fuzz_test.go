package record

import (
	"bytes"
	"errors"
	"io"
	"strings"
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
	f.Add([]byte(`{"type":"flow","interface":"`+strings.Repeat("e", 65)+`","flow":{"digest":"zz!","digest_prev":["`+strings.Repeat(`0f","`, 32)+`0f"]}}`), false)
	f.Add(mustMsgpack(f, mpFlowStats(map[string]any{"digest_prev": repeatStrings("0f", 33)})), true)

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
		if !r.IsFlow() {
			continue
		}
		if !isHexDigest(r.Digest) {
			t.Fatalf("flow record with digest %q", r.Digest)
		}
		if len(r.DigestPrev) > MaxDigestPrev {
			t.Fatalf("flow record with %d digest_prev entries", len(r.DigestPrev))
		}
		for _, d := range r.DigestPrev {
			if !isHexDigest(d) {
				t.Fatalf("flow record with digest_prev entry %q", d)
			}
		}
		if len(r.Interface) > MaxInterfaceLen || r.Interface != "" && !r.HasInterface {
			t.Fatalf("flow record with interface %q (HasInterface %v)", r.Interface, r.HasInterface)
		}
		if r.Internal && !r.HasInternal {
			t.Fatalf("flow record internal without HasInternal: %+v", r)
		}
		m := r.Meta
		if len(m.ApplicationName) > MaxNameLen || len(m.ProtocolName) > MaxNameLen || len(m.OtherType) > MaxNameLen ||
			len(m.HostServerName) > MaxHostNameLen || m.VLANID > 4095 || m.LocalOrigin && !m.HasLocalOrigin {
			t.Fatalf("flow record with out-of-bounds metadata: %+v", m)
		}
		if !r.HasMeta && m != (Meta{}) {
			t.Fatalf("flow record with metadata but not HasMeta: %+v", r)
		}
	}
}
