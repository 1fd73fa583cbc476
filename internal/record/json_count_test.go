package record

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestCountEveryLength: count reads one word for up to seven digits, two
// for nine to fifteen, and digits otherwise; at every length, with a
// leading zero or not, followed by what ends an integer or by a fraction
// or exponent, and near the end of input or not, it takes what digits
// takes and stops where the number ends.
func TestCountEveryLength(t *testing.T) {
	for n := 1; n <= 22; n++ {
		for _, lead := range []string{"1", "9", "0"} {
			num := lead + strings.Repeat("73", n)[:n-1]
			for _, tail := range []string{"", ",", "}", "]", " ", ".5", "e3", "E3", "x", `,"xxxxxxxxxxxxxxxx":1}`} {
				in := num + tail
				d := fastRecord{r: jsonReader{b: []byte(in)}}
				got := d.count()
				want, err := strconv.ParseUint(num, 10, 64)
				valid := err == nil && n <= 19 && (n == 1 || lead != "0") &&
					!strings.HasPrefix(tail, ".") && !strings.HasPrefix(tail, "e") && !strings.HasPrefix(tail, "E")
				if d.r.bad == valid {
					t.Fatalf("count(%q): bad %v, want %v", in, d.r.bad, !valid)
				}
				if valid && (got != want || d.r.i != n) {
					t.Fatalf("count(%q) = %d, end %d; want %d, end %d", in, got, d.r.i, want, n)
				}
			}
		}
	}
}

// TestDirectGivesUpOnNonIntegerCounts: countValue leaves the byte after
// the digits to the member loop that called it; a fraction or an exponent
// after any integer member (in the flow, its tcp and category objects, the
// timestamps and the metadata counts), the last of its object or not,
// still makes the direct reader give up, with the record read with one
// state again and again (its keys and its end predicted).
func TestDirectGivesUpOnNonIntegerCounts(t *testing.T) {
	bodies := []string{directStats, directFlow, string(readTestdata(t, "flow.json")), string(readTestdata(t, "flow_stats.json"))}
	// Every integer member but the rates, which take fractions.
	integer := regexp.MustCompile(`"([a-z_]+)":([0-9]+)[,}]`)
	n := 0
	for _, body := range bodies {
		for _, m := range integer.FindAllStringSubmatchIndex(body, -1) {
			if strings.HasSuffix(body[m[2]:m[3]], "_rate") {
				continue
			}
			for _, bad := range []string{".5", "e3", "E3", ".0"} {
				in := body[:m[5]] + bad + body[m[5]:]
				var st decoderState
				for round := 0; round < 3; round++ {
					var rec Record
					if _, ok := decodeDirect([]byte(body), 0, &rec, &st); !ok {
						t.Fatalf("direct reader gave up on %s", body)
					}
					rec = Record{}
					if _, ok := decodeDirect([]byte(in), 0, &rec, &st); ok {
						t.Fatalf("direct reader took %s", in)
					}
				}
				n++
			}
		}
	}
	if n < 4*30 {
		t.Fatalf("only %d integer members changed", n/4)
	}
}
