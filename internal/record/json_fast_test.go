package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeEach decodes body as a JSON body (Decode and DecodeBody) and as a
// JSON stream, and renders every record and error.
func decodeEach(body []byte) []string {
	var out []string
	recs, errs := Decode(body, "application/json")
	for _, r := range recs {
		out = append(out, "body "+directString(r))
	}
	for _, e := range errs {
		out = append(out, "body error "+e.Error())
	}
	b := DecodeBody(body, "application/json")
	out = append(out, fmt.Sprintf("decodebody %d records, %d bad, %d other, errors %v",
		len(b.Records), b.Bad, b.Other, b.Errors))
	for _, r := range b.Records {
		out = append(out, "decodebody "+directString(r))
	}
	for _, size := range []int{64, 1 << 20} {
		out = append(out, streamStrings(body, size, directString)...)
	}
	return out
}

// directString renders r with what its pointers point to.
func directString(r Record) string {
	b, err := json.Marshal(r)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// decodeDirectAndGeneral decodes body with the direct reader on and off.
func decodeDirectAndGeneral(body []byte) (direct, general []string) {
	direct = decodeEach(body)
	fastPathOff = true
	defer func() { fastPathOff = false }()
	return direct, decodeEach(body)
}

const directStats = `{"type":"flow_stats","interface":"eth0","internal":true,"flow":{` +
	`"digest":"0a1b","digest_prev":["2c","3d4e"],"local_bytes":1,"local_packets":2,` +
	`"other_bytes":3,"other_packets":4,"local_rate":1510.6666259765625,"other_rate":7,` +
	`"total_bytes":9999999999999999999,"total_packets":9,"detection_packets":10,` +
	`"first_seen_at":1765893801000,"last_seen_at":1765893801667,` +
	`"tcp":{"resets":1,"retrans":2,"seq_errors":3,"x":[1]},"x":{"y":null}},"z":"w"}`

// directSeeds are records the direct reader takes, and near misses it must
// give up on (or reject alike).
var directSeeds = []string{
	directStats,
	strings.ReplaceAll(directStats, ",", " , "),
	strings.ReplaceAll(directStats, ":", "\t:\r"),
	`{"type":"flow_purge","reason":"expired","interface":"","internal":false,"flow":{"digest":"ab","tcp":{}}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":[]}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":[ "cd" ]}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":["cd","ef","01","23"]}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":["cd","ef","01","23","45"]}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":["cd",""]}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":["cd","xy"]}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":["cd",5]}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":null}}`,
	`{"type":"flow","flow":{"digest":"ab","digest_prev":["c\u0064"]}}`,
	`{"type":"flow","flow":{"digest":"` + strings.Repeat("a", 64) + `"}}`,
	`{"type":"flow","flow":{"digest":"` + strings.Repeat("a", 65) + `"}}`,
	`{"type":"flow","flow":{"digest":""}}`,
	`{"type":"flow","flow":{"digest":"zz"}}`,
	`{"type":"flow","flow":{"digest":null}}`,
	`{"type":"flow","flow":{"digest":"a\u0062"}}`,
	`{"type":"flow","flow":{"digest":"ab","digest":"cd"}}`,
	`{"type":"flow","flow":{}}`,
	`{"type":"flow","flow":null}`,
	`{"type":"flow","flow":[]}`,
	`{"type":"flow","flow":{"digest":"ab"},"flow":{"digest":"cd"}}`,
	`{"type":"flow","type":"flow_stats","flow":{"digest":"ab"}}`,
	`{"type":"flow_x","flow":{"digest":"ab"}}`,
	`{"type":"agent_status","update_interval":15,"flow":{"digest":"ab"}}`,
	`{"type":"flow_stats","update_interval":-1.5e3,"flow":{"digest":"ab"}}`,
	`{"flow":{"digest":"ab"}}`,
	`{"type":null,"flow":{"digest":"ab"}}`,
	`{"type":5,"flow":{"digest":"ab"}}`,
	`{"typ\u0065":"flow","flow":{"digest":"ab"}}`,
	`{"type":"flow","interface":"` + strings.Repeat("e", 64) + `","flow":{"digest":"ab"}}`,
	`{"type":"flow","interface":"` + strings.Repeat("e", 65) + `","flow":{"digest":"ab"}}`,
	`{"type":"flow","interface":null,"flow":{"digest":"ab"}}`,
	`{"type":"flow","interface":"e\u0074h","flow":{"digest":"ab"}}`,
	`{"type":"flow","internal":"1","flow":{"digest":"ab"}}`,
	`{"type":"flow","internal":1,"flow":{"digest":"ab"}}`,
	`{"type":"flow","internal":tru,"flow":{"digest":"ab"}}`,
	`{"type":"flow","internal":null,"flow":{"digest":"ab"}}`,
	`{"type":"flow_purge","reason":5,"flow":{"digest":"ab"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":-1}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":-0}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":0}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":01}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":1.0}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":1.5}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":1e3}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":"1"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":null}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":99999999999999999999}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":18446744073709551615}}`,
	`{"type":"flow","flow":{"digest":"ab","local_bytes":1,"local_bytes":2}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":0.1}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":-0.1}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":1e400}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":123456789012345678901234.5}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":9007199254740993.0}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":0.30000000000000004}}`,
	`{"type":"flow","flow":{"digest":"ab","other_rate":29478.0}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":935.3333129882812,"other_rate":121682.3359375}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":1.5e3,"other_rate":2E-2}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":1e-400,"other_rate":0.0}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":1.7976931348623157e308}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":1.8e308}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":1e}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":1.e5}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":12345678901234567890.5}}`,
	`{"type":"flow","flow":{"digest":"ab","local_rate":0.12345678901234567890123}}`,
	`{"type":"flow","flow":{"digest":"ab","first_seen_at":9223372036854775807}}`,
	`{"type":"flow","flow":{"digest":"ab","first_seen_at":9223372036854775808}}`,
	`{"type":"flow","flow":{"digest":"ab","last_seen_at":1.5}}`,
	`{"type":"flow","flow":{"digest":"ab","tcp":null}}`,
	`{"type":"flow","flow":{"digest":"ab","tcp":5}}`,
	`{"type":"flow","flow":{"digest":"ab","tcp":{"resets":1,"resets":2}}}`,
	`{"type":"flow","flow":{"digest":"ab","tcp":{"resets":-1}}}`,
	`{"type":"flow","flow":{"digest":"ab","tcp":{},"tcp":{}}}`,
	`{"type":"flow","flow":{"digest":"ab","detected_protocol":5}}`,
	`{"type":"flow","flow":{"digest":"ab","category":{"application":1}}}`,
	`{"type":"flow","flow":{"digest":"ab","host_server_name":"x"}}`,
	`{"type":"flow","flow":{"digest":"ab","vlan_id":null}}`,
	`{"type":"flow","flow":{"digest":"ab","x":01}}`,
	`{"type":"flow","flow":{"digest":"ab",}}`,
	`{"type":"flow","flow":{"digest":"ab"},}`,
	`{"type":"flow","flow":{"digest":"ab"}` + "\n" + `}`,
	`{"type":"flow","flow":{"digest":"ab"}}` + `{"type":"flow","flow":{"digest":"cd"}}`,
	`[{"type":"flow","flow":{"digest":"ab"}},{"type":"flow","flow":{"digest":"cd"}}]`,
	`{"length":12}` + "\n" + `{"type":"flow","flow":{"digest":"ab"}}`,
	`{"type":"flow","flow":{"digest":"ab","tcp":{"seq_errors":1}}}`,
	`{"flow":{"tcp":{"seq_errors":1},"digest":"ab"},"type":"flow"}`,
	`{"flow":{"digest":"ab","last_seen_at":1},"type":"flow_stats"}`,
	`{"flow":{"digest":"ab","vlan_id":1},"type":"flow"}`,
	`{"flow":{"digest":"ab","digest_prev2":1},"type":"flow"}`,
	`{"flow":{"digest":"ab","digest_pre":1},"type":"flow"}`,
	`{"flow":{"digest":"ab","resets":1},"type":"flow","tcp":{}}`,
	directFlow,
	strings.Replace(directFlow, `"category":{"application":28,"domain":0,"protocol":22}`, `"category":{}`, 1),
	`{"type":"flow","flow":{"digest":"ab","category":{}}}`,
	`{"type":"flow","flow":{"digest":"ab","category":{"x":1,"domain":4294967295}}}`,
	`{"type":"flow","flow":{"digest":"ab","category":{"domain":4294967296}}}`,
	`{"type":"flow","flow":{"digest":"ab","category":{"domain":1,"domain":2}}}`,
	`{"type":"flow","flow":{"digest":"ab","category":null}}`,
	`{"type":"flow","flow":{"digest":"ab","category":[]}}`,
	`{"type":"flow","flow":{"digest":"ab","category":{},"category":{}}}`,
	`{"type":"flow","flow":{"digest":"ab","detected_application":4294967296}}`,
	`{"type":"flow","flow":{"digest":"ab","detected_application_name":"` + strings.Repeat("n", 64) + `"}}`,
	`{"type":"flow","flow":{"digest":"ab","detected_application_name":"` + strings.Repeat("n", 65) + `"}}`,
	`{"type":"flow","flow":{"digest":"ab","detected_protocol_name":""}}`,
	`{"type":"flow","flow":{"digest":"ab","detected_protocol_name":null}}`,
	`{"type":"flow","flow":{"digest":"ab","host_server_name":"` + strings.Repeat("h", 255) + `"}}`,
	`{"type":"flow","flow":{"digest":"ab","host_server_name":"` + strings.Repeat("h", 256) + `"}}`,
	`{"type":"flow","flow":{"digest":"ab","host_server_name":"a\u002eb"}}`,
	`{"type":"flow","flow":{"digest":"ab","ip_protocol":256}}`,
	`{"type":"flow","flow":{"digest":"ab","ip_version":6,"ip_version":4}}`,
	`{"type":"flow","flow":{"digest":"ab","local_port":65535,"other_port":65536}}`,
	`{"type":"flow","flow":{"digest":"ab","vlan_id":4095}}`,
	`{"type":"flow","flow":{"digest":"ab","vlan_id":4096}}`,
	`{"type":"flow","flow":{"digest":"ab","local_origin":false}}`,
	`{"type":"flow","flow":{"digest":"ab","local_origin":1}}`,
	`{"type":"flow","flow":{"digest":"ab","other_type":"remote","other_type":"local"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"","other_ip":"10.0.0.1"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"2001:db8::1","other_ip":"::ffff:10.0.0.1"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"fe80::1%eth0"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"01.2.3.4"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"1.2.3"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"256.1.1.1"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"1.2.3.4.5"}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":"1.2.3.4 "}}`,
	`{"type":"flow","flow":{"digest":"ab","local_ip":5}}`,
	`{"type":"flow","flow":{"digest":"ab","other_ip":"x"}}`,
	// One decoder, keys in changing orders: the key predictions must follow.
	directStats + "\n" + directStatsReordered + "\n" + directStats + "\n" + directStatsReordered,
	directStats + directStats + `{"type":"flow_stats","interface":"eth0","internal":true,"flow":{"digest":"0a1b","digest_prev":["2c"],"local_bytes_x":1,"local_bytes":5}}`,
}

// directFlow is a flow record with every metadata field.
const directFlow = `{"flow":{"category":{"application":28,"domain":0,"protocol":22},"detected_application":11354,` +
	`"detected_application_name":"netify.tailscale","detected_protocol":196,"detected_protocol_name":"HTTP/S",` +
	`"digest":"c4c07ca55baa19a7","digest_prev":["463c53093403fcce"],"first_seen_at":1772738467573,` +
	`"host_server_name":"login.tailscale.com","ip_protocol":6,"ip_version":4,"last_seen_at":1772738467684,` +
	`"local_ip":"192.168.4.44","local_origin":true,"local_port":35636,"other_ip":"2001:db8::1",` +
	`"other_port":443,"other_type":"remote","vlan_id":7},"interface":"wlp3s0","internal":false,"type":"flow"}`

// directStatsReordered is directStats with its keys in another order.
const directStatsReordered = `{"z":"w","flow":{"x":{"y":null},"tcp":{"x":[1],"seq_errors":3,"retrans":2,"resets":1},` +
	`"last_seen_at":1765893801667,"first_seen_at":1765893801000,"detection_packets":10,"total_packets":9,` +
	`"total_bytes":9999999999999999999,"other_rate":7,"local_rate":1510.6666259765625,"other_packets":4,` +
	`"other_bytes":3,"local_packets":2,"local_bytes":1,"digest_prev":["2c","3d4e"],"digest":"0a1b"},` +
	`"internal":true,"interface":"eth0","type":"flow_stats"}`

// Every known key is found by its bytes, wherever it falls in the input;
// its prefixes and extensions are not.
func TestLookupKey(t *testing.T) {
	for name, id := range keyNames {
		for pad := 0; pad < 40; pad++ {
			b := []byte(strings.Repeat(" ", pad) + `"` + name + `":1,"` + strings.Repeat("x", 32))
			got, end := lookupKey(b, pad+1)
			require.Equal(t, id, got, name)
			require.Equal(t, pad+len(name)+2, end, name)
			got, _ = lookupKey([]byte(`"`+name+`x":1,"`+strings.Repeat("x", 32)), 1)
			require.Equal(t, keyUnknown, got, name+"x")
			got, _ = lookupKey([]byte(`"`+name[:len(name)-1]+`":1,"`+strings.Repeat("x", 32)), 1)
			require.Equal(t, keyUnknown, got, name[:len(name)-1])
		}
		// At the very end of input: found when a word reaches the quote,
		// else left to be read as a string.
		if got, end := lookupKey([]byte(`"`+name+`"`), 1); got != keyUnknown {
			require.Equal(t, id, got, name)
			require.Equal(t, len(name)+2, end, name)
		}
	}
}

func TestDirectMatchesGeneral(t *testing.T) {
	seeds := append([]string{}, directSeeds...)
	seeds = append(seeds, onePassSeeds...)
	for _, tc := range testdataRecords {
		seeds = append(seeds, string(readTestdata(t, tc.file)))
	}
	for _, body := range seeds {
		direct, general := decodeDirectAndGeneral([]byte(body))
		require.Equal(t, general, direct, body)
	}
}

func FuzzDirectMatchesGeneral(f *testing.F) {
	for _, s := range directSeeds {
		f.Add([]byte(s))
	}
	for _, tc := range testdataRecords {
		f.Add(readTestdata(f, tc.file))
	}
	for _, s := range sortedVariants(rand.New(rand.NewPCG(9, 5)), 16) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		direct, general := decodeDirectAndGeneral(body)
		if strings.Join(direct, "\n") != strings.Join(general, "\n") {
			t.Fatalf("direct:\n%s\ngeneral:\n%s", strings.Join(direct, "\n"), strings.Join(general, "\n"))
		}
	})
}

// The equality tests above would pass with a direct reader that always gave
// up: it must take the records it was written for.
func TestDirectTakesCommonRecords(t *testing.T) {
	for _, body := range []string{
		directStats,
		directStatsReordered,
		string(readTestdata(t, "flow_stats.json")),
		string(readTestdata(t, "flow_stats_v52.json")),
		string(readTestdata(t, "flow_purge.json")),
		string(readTestdata(t, "flow.json")),
		directFlow,
	} {
		var rec Record
		var st decoderState
		end, ok := decodeDirect([]byte(body), 0, &rec, &st)
		require.True(t, ok, body)
		require.Equal(t, strings.TrimRight(body, "\n"), body[:end])
		want, errs := Decode([]byte(body), "application/json")
		require.Empty(t, errs)
		require.Equal(t, want, []Record{rec})
	}
	var rec Record
	_, ok := decodeDirect([]byte(directStats), 0, &rec, &decoderState{})
	require.True(t, ok)
	require.Equal(t, Record{
		Type: TypeFlowStats, HasInterface: true, Interface: "eth0", HasInternal: true, Internal: true,
		Digest: "0a1b", DigestPrev: []string{"2c", "3d4e"},
		HasStats: true, LocalBytes: 1, LocalPackets: 2, OtherBytes: 3, OtherPackets: 4,
		HasTCP: true, TCPResets: 1, TCPRetrans: 2, TCPSeqErrors: 3,
		HasRates: true, LocalRate: 1510.6666259765625, OtherRate: 7,
		HasTotals: true, TotalBytes: 9999999999999999999, TotalPackets: 9,
		HasDetectionPackets: true, DetectionPackets: 10,
		FirstSeenAtMillis: 1765893801000, LastSeenAtMillis: 1765893801667,
	}, rec)
}

// The arena's strings and slices are copies that later decoding never
// changes, and a slice handed out cannot grow into its neighbour's.
func TestArenaHandsOutIndependentCopies(t *testing.T) {
	var ar digestArena
	src := []byte("0123456789abcdef")
	var got []string
	var lists [][]string
	for i := 0; i < 3*arenaText/len(src); i++ {
		got = append(got, ar.str(src))
		l := ar.strs(2)
		l[0], l[1] = got[i], "x"
		lists = append(lists, l)
		src[i%len(src)] ^= 1 // the input changes under the copies
	}
	require.Equal(t, "1123456789abcdef", got[1])
	for i, l := range lists {
		require.Len(t, l, 2)
		require.Equal(t, 2, cap(l), "capacity capped")
		require.Equal(t, got[i], l[0])
		require.Equal(t, "x", l[1])
	}
	_ = append(lists[0], "y")
	require.Equal(t, got[1], lists[1][0], "appending to a list copies it")
	require.Equal(t, strings.Repeat("a", arenaText), ar.str(bytes.Repeat([]byte("a"), arenaText)))
	require.Equal(t, "", ar.str(nil))
}

// digits reads numbers of every length, at every distance from the end of
// input, as strconv does.
func TestDirectDigits(t *testing.T) {
	for _, num := range []string{"0", "7", "10", "1510", "12345678", "123456789",
		"1765893801667", "9999999999999999999", "1234567890123456789", "07", "00",
		"10000000000000000000", "123456789012345678901234"} {
		for _, tail := range []string{"", ",", "}", ".5", `,"xxxxxxxxxxxxxxxx":1}`} {
			var d fastRecord
			d.r = jsonReader{b: []byte(num + tail)}
			u, n, ok := d.digits()
			want, err := strconv.ParseUint(num, 10, 64)
			valid := err == nil && len(num) <= 19 && (num == "0" || num[0] != '0')
			require.Equal(t, valid, ok, num+tail)
			if valid {
				require.Equal(t, want, u, num+tail)
				require.Equal(t, len(num), n, num+tail)
				require.Equal(t, len(num), d.r.i, num+tail)
			}
		}
	}
}

// A key pattern matches its own name and closing quote only: not a name
// differing in any one byte of any word, wherever the input ends.
func TestKeyPatternAt(t *testing.T) {
	for name, id := range keyNames {
		p := &keyPatterns[id]
		for _, tail := range []string{"", ":", ":1,", strings.Repeat(" ", 40)} {
			lit := []byte(`"` + name + `"` + tail)
			// Near the end of input it may say no: the caller looks the key up.
			require.Equal(t, len(lit)-1 >= 8*p.words, p.at(lit, 1), name+tail)
			for k := 1; k <= len(name)+1; k++ {
				for _, bit := range []byte{1, 0x20, 0x80} {
					bad := bytes.Clone(lit)
					bad[k] ^= bit
					require.False(t, p.at(bad, 1), string(bad))
				}
			}
		}
	}
}

// parseIPv4 takes what netip.ParseAddr takes as IPv4, and only that.
func TestParseIPv4(t *testing.T) {
	for _, s := range []string{"0.0.0.0", "1.2.3.4", "255.255.255.255", "10.0.0.1", "192.168.4.44",
		"256.0.0.0", "01.2.3.4", "1.02.3.4", "00.0.0.0", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3",
		"1.2.3.4.5", "1234.1.1.1", "1.2.3.-4", "1.2.3.4x", "", "::1", "::ffff:1.2.3.4", "1.2.3.4%x"} {
		got, ok := parseIPv4([]byte(s))
		want, err := netip.ParseAddr(s)
		if ok {
			require.NoError(t, err, s)
			require.Equal(t, want, got, s)
		} else {
			require.False(t, err == nil && want.Is4(), "%s: netip takes it as IPv4", s)
		}
	}
}

// Decoding per-flow records into a reused slice allocates nothing per
// record: only the arena's chunks, one every few records. AllocsPerRun
// truncates the average, so any allocation made for every record shows.
func TestDirectAllocatesNothingPerRecord(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	for _, body := range []string{
		string(readTestdata(t, "flow_stats_v52.json")),
		string(readTestdata(t, "flow_purge.json")),
		string(readTestdata(t, "flow.json")),
		directFlow,
		`{"type":"flow_stats","flow":{"digest":"ab","local_rate":935.3333129882812,"other_rate":1.5e3}}`,
	} {
		recs, in := make([]Record, 0, 1), []byte(body)
		allocs := testing.AllocsPerRun(100, func() {
			var errs []error
			recs, errs = DecodeAppend(recs[:0], in, "application/json")
			if len(errs) != 0 || len(recs) != 1 {
				t.Fatal(errs)
			}
		})
		require.Zero(t, allocs, body)
	}
}
