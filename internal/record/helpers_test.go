package record

import (
	"bytes"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

// The example records of NETIFY.md, verbatim, and what they decode to.
var testdataRecords = []struct {
	file string
	want Record
}{
	{"flow_stats.json", Record{
		Type: TypeFlowStats, HasInterface: true, Interface: "wlp3s0", HasInternal: true, Internal: true,
		Digest: "c3086c57745b", DigestPrev: []string{"fcd1061d4c2ba844"},
		HasStats: true, LocalBytes: 5559, LocalPackets: 6, OtherBytes: 913, OtherPackets: 6,
		HasTCP:   true,
		HasRates: true, LocalRate: 5559, OtherRate: 913,
		HasTotals: true, TotalBytes: 613175, TotalPackets: 1064,
		HasDetectionPackets: true, DetectionPackets: 2,
		LastSeenAtMillis: 1772665318561,
	}},
	{"flow_stats_v52.json", Record{
		Type: TypeFlowStats, HasInterface: true, Interface: "lan", HasInternal: true, Internal: false,
		Digest: "9a1e0c55d2b34f7e8a6b1c2d3e4f5a6b7c8d9e0f",
		DigestPrev: []string{
			"0f1e2d3c4b5a69788796a5b4c3d2e1f001234567",
			"77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd",
		},
		HasStats: true, LocalBytes: 2028, LocalPackets: 34, OtherBytes: 29478, OtherPackets: 37,
		HasTCP: true, TCPRetrans: 1,
		HasRates: true, LocalRate: 1510.6666259765625, OtherRate: 29478,
		HasTotals: true, TotalBytes: 9404196, TotalPackets: 18450,
		HasDetectionPackets: true, DetectionPackets: 32,
		LastSeenAtMillis: 1765893801667,
	}},
	{"flow.json", Record{
		Type: TypeFlow, HasInterface: true, Interface: "wlp3s0", HasInternal: true, Internal: false,
		Digest: "c4c07ca55baa19a7", DigestPrev: []string{"463c53093403fcce"},
		FirstSeenAtMillis: 1772738467573, LastSeenAtMillis: 1772738467684,
		HasMeta: true, Meta: flowJSONMeta,
	}},
	{"flow_purge.json", Record{
		Type: TypeFlowPurge, HasInterface: true, Interface: "wlp3s0", HasInternal: true, Internal: true, Reason: "closed",
		Digest: "fb69e87ed3b1", DigestPrev: []string{"d7fddd35cc27"},
		HasStats: true,
		HasTCP:   true,
		HasRates: true, LocalRate: 387, OtherRate: 300,
		HasTotals: true, TotalBytes: 13968, TotalPackets: 51,
		HasDetectionPackets: true, DetectionPackets: 12,
		LastSeenAtMillis: 1772665905392,
	}},
}

// flowJSONMeta is the metadata of testdata/flow.json (NETIFY.md's flow example).
var flowJSONMeta = Meta{
	ApplicationID: 11354, ApplicationName: "netify.tailscale",
	ProtocolID: 196, ProtocolName: "HTTP/S",
	CategoryApplication: 28, CategoryProtocol: 22, CategoryDomain: 0,
	HostServerName: "login.tailscale.com",
	IPProtocol:     6, IPVersion: 4,
	LocalIP: netip.MustParseAddr("192.168.4.44"), LocalPort: 35636,
	OtherIP: netip.MustParseAddr("192.200.0.102"), OtherPort: 443,
	HasLocalOrigin: true, LocalOrigin: true,
	OtherType: "remote",
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// jsonToMsgpack re-encodes a JSON record as msgpack, keeping integers as
// integers and floats as floats.
func jsonToMsgpack(t testing.TB, js []byte) []byte {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytesReader(js))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v))
	return mustMsgpack(t, numbersToNative(v))
}

func numbersToNative(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = numbersToNative(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbersToNative(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

func mustMsgpack(t testing.TB, v any) []byte {
	t.Helper()
	// Sorted keys keep byte offsets in expected errors stable.
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.SetSortMapKeys(true)
	require.NoError(t, enc.Encode(v))
	return buf.Bytes()
}

func errStrings(errs []error) []string {
	if len(errs) == 0 {
		return nil
	}
	s := make([]string, len(errs))
	for i, e := range errs {
		s[i] = e.Error()
	}
	return s
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func itoa(i int) string { return strconv.Itoa(i) }

// streamStrings decodes body as a JSON stream of records of at most size
// bytes and renders each record (with render) and each error, in order.
func streamStrings(body []byte, size int, render func(Record) string) []string {
	var out []string
	d := NewStreamDecoder(bytes.NewReader(body), FormatJSON, size)
	for i := 0; i <= len(body)+2; i++ {
		r, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			out = append(out, "stream error "+err.Error())
			continue
		}
		out = append(out, "stream "+render(r))
	}
	return out
}
