package record

import (
	"net/netip"
	"strings"
	"testing"
)

// TestParseIPv4EveryFieldShape: four fields each of the shapes that decide
// (lengths one to four, leading zeros, 255 and 256, signs and letters,
// empty): parseIPv4 takes exactly the IPv4 addresses netip.ParseAddr
// takes, to the same address.
func TestParseIPv4EveryFieldShape(t *testing.T) {
	fields := []string{"0", "00", "01", "1", "9", "10", "99", "100", "199", "249", "255", "256", "260", "299", "999", "1000", "", "-1", "1x", "a"}
	var f [4]int
	for {
		parts := make([]string, 4)
		for k := range parts {
			parts[k] = fields[f[k]]
		}
		s := strings.Join(parts, ".")
		got, ok := parseIPv4([]byte(s))
		want, err := netip.ParseAddr(s)
		if ok != (err == nil && want.Is4()) || ok && got != want {
			t.Fatalf("parseIPv4(%q) = %v, %v; netip: %v, %v", s, got, ok, want, err)
		}
		// The direct reader's quotedIPv4 takes the same, quoted, and
		// steps over the closing quote; anything else is left to text.
		for _, tail := range []string{"", ",", `,"x":1}`} {
			in := `"` + s + `"` + tail
			d := fastRecord{r: jsonReader{b: []byte(in)}}
			a, qok := d.quotedIPv4()
			wantEnd := 0
			if ok {
				wantEnd = len(s) + 2
			}
			if qok != ok || a != got || d.r.i != wantEnd || d.r.bad {
				t.Fatalf("quotedIPv4(%q) = %v, %v, at %d; want %v, %v, at %d", in, a, qok, d.r.i, got, ok, wantEnd)
			}
		}
		k := 0
		for k < 4 {
			f[k]++
			if f[k] < len(fields) {
				break
			}
			f[k] = 0
			k++
		}
		if k == 4 {
			return
		}
	}
}
