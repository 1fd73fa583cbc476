package record

import (
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
