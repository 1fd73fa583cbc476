package record

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestRateMatchesParseFloat: the direct reader's rate reads a fraction's
// digits a word at a time; whatever the lengths of the integer and the
// fraction, with or without an exponent, and whatever follows, its value
// is strconv.ParseFloat's and it stops where the number ends.
func TestRateMatchesParseFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	digits := func(n int) string {
		var sb strings.Builder
		for range n {
			sb.WriteByte(byte('0' + rng.IntN(10)))
		}
		return sb.String()
	}
	for range 20000 {
		intPart := digits(1 + rng.IntN(12))
		if len(intPart) > 1 && intPart[0] == '0' {
			intPart = "1" + intPart[1:]
		}
		num := intPart
		if rng.IntN(4) > 0 {
			num += "." + digits(1+rng.IntN(24))
		}
		if rng.IntN(8) == 0 {
			num += "e" + strconv.Itoa(rng.IntN(40)-20)
		}
		want, err := strconv.ParseFloat(num, 64)
		if err != nil {
			t.Fatal(err)
		}
		for _, tail := range []string{"", ",", `,"other_rate":1}` + strings.Repeat(" ", 16)} {
			d := fastRecord{r: jsonReader{b: []byte(num + tail)}}
			got := d.rate()
			if d.r.bad || got != want || d.r.i != len(num) {
				t.Fatalf("rate(%q) = %v (bad %v, end %d), want %v, end %d", num+tail, got, d.r.bad, d.r.i, want, len(num))
			}
		}
	}
	for _, bad := range []string{"1.", "1.,", "1.e5", "01.5", "01", "00", ".5", "1.5e", "1.5e+,", "-1", "x"} {
		d := fastRecord{r: jsonReader{b: []byte(bad + strings.Repeat(" ", 16))}}
		if d.rate(); !d.r.bad {
			t.Fatalf("rate(%q) took it", bad)
		}
	}
}
