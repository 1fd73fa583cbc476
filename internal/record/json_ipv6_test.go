package record

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

// parseIPv6Prefix takes what netip.ParseAddr takes as an IPv6 address
// without zone or embedded IPv4, to the same address, and nothing
// netip.ParseAddr refuses: checked on every string of up to seven bytes
// of a small alphabet, on random addresses in the forms netip prints
// (compressed and expanded, upper case), and on their random mutations.
// quotedIPv6 takes the same, quoted, and steps over the closing quote.
func TestParseIPv6MatchesNetip(t *testing.T) {
	check := func(s string, mustTake bool) {
		t.Helper()
		want, err := netip.ParseAddr(s)
		takes := err == nil && want.Is6() && want.Zone() == "" && !strings.Contains(s, ".")
		got, n, ok := parseIPv6Prefix([]byte(s))
		if ok && n == len(s) != takes || ok && n == len(s) && got != want || mustTake && !(ok && n == len(s)) {
			t.Fatalf("parseIPv6Prefix(%q) = %v, %d, %v; netip: %v, %v", s, got, n, ok, want, err)
		}
		for _, tail := range []string{"", `,"x":1}`} {
			in := `"` + s + `"` + tail
			d := fastRecord{r: jsonReader{b: []byte(in)}}
			a, qok := d.quotedIPv6()
			wantEnd := 0
			if takes {
				wantEnd = len(s) + 2
			}
			if qok && (!takes || a != want) || qok && d.r.i != wantEnd || !qok && d.r.i != 0 || d.r.bad {
				t.Fatalf("quotedIPv6(%q) = %v, %v, at %d; netip %v, %v", in, a, qok, d.r.i, want, err)
			}
		}
	}
	// Every short string of these bytes.
	alphabet := []byte("0f:A.%g")
	var rec func(s []byte)
	rec = func(s []byte) {
		check(string(s), false)
		if len(s) == 7 {
			return
		}
		for _, c := range alphabet {
			rec(append(s, c))
		}
	}
	rec(nil)
	rng := rand.New(rand.NewPCG(6, 6))
	for k := 0; k < 50000; k++ {
		var b [16]byte
		for j := range b {
			if rng.IntN(3) > 0 { // runs of zero fields, for "::"
				b[j] = byte(rng.Uint32())
			}
		}
		if rng.IntN(4) == 0 {
			i := rng.IntN(8)
			clear(b[2*i : 2*(i+rng.IntN(8-i))])
		}
		a := netip.AddrFrom16(b)
		if a.Is4In6() {
			continue // printed with an embedded IPv4
		}
		for _, s := range []string{a.String(), a.StringExpanded(), strings.ToUpper(a.String())} {
			check(s, true)
			// A mutation: a byte put in, left out or changed.
			m := []byte(s)
			i := rng.IntN(len(m))
			c := "0123456789abcdefABCDEF:.%g"[rng.IntN(26)]
			switch rng.IntN(3) {
			case 0:
				m = append(m[:i], append([]byte{c}, m[i:]...)...)
			case 1:
				m = append(m[:i], m[i+1:]...)
			case 2:
				m[i] = c
			}
			check(string(m), false)
		}
	}
}
