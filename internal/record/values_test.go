package record

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// exactDecimal must agree with strconv.ParseFloat wherever it answers.
func TestExactDecimalMatchesStrconv(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, ok := exactDecimal([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactDecimal(%q) = %v, strconv: %v (%v)", s, got, want, err)
		}
	}
	for _, s := range []string{"1510.6666259765625", "29478.0", "0.5", "0.1", "123456789.123456789", "9007199254740993.0",
		"0.0000000000000000001", "1.0000000000000000001", "18446744073709551.615"} {
		check(s)
	}
	answered := 0
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		f32 := math.Float32frombits(rng.Uint32() & 0x7f7fffff) // finite, non-negative
		s := strconv.FormatFloat(float64(f32), 'f', -1, 64)
		if _, ok := exactDecimal([]byte(s)); ok {
			answered++
		}
		check(s)
		check(strconv.FormatFloat(rng.Float64()*math.Pow(10, float64(rng.IntN(12))), 'f', rng.IntN(12), 64))
	}
	if answered == 0 {
		t.Fatal("exactDecimal answered for no float32 value")
	}
	for _, s := range []string{"1.", ".5", "1.2.3", "12", "1e5", "99999999999999999999.5"} {
		if _, ok := exactDecimal([]byte(s)); ok {
			t.Errorf("exactDecimal(%q) answered; want it left to strconv", s)
		}
	}
	if f, ok := exactDecimal([]byte("1510.6666259765625")); !ok || f != 1510.6666259765625 {
		t.Errorf("exactDecimal(1510.6666259765625) = %v, %v", f, ok)
	}
}

func TestPlain8(t *testing.T) {
	for c := range 256 {
		want := c != '"' && c != '\\' && c >= 0x20
		for p := range 8 {
			b := []byte("aaaaaaaa")
			b[p] = byte(c)
			var x uint64
			for i := 7; i >= 0; i-- {
				x = x<<8 | uint64(b[i])
			}
			if got := plain8(x); got != want {
				t.Fatalf("plain8 with byte %#x at %d = %v, want %v", c, p, got, want)
			}
		}
	}
}

func TestValidDigestMatchesIsHexDigest(t *testing.T) {
	for c := range 256 {
		for _, s := range []string{string(rune(0)) + "", "ab" + string([]byte{byte(c)}), string([]byte{byte(c)})} {
			if validDigest(s) != isHexDigest(s) {
				t.Fatalf("validDigest(%q) = %v, isHexDigest %v", s, validDigest(s), isHexDigest(s))
			}
		}
	}
	for _, n := range []int{0, 1, 40, 64, 65} {
		s := strings.Repeat("aF0", 30)[:n]
		if validDigest(s) != isHexDigest(s) {
			t.Fatalf("validDigest of %d characters = %v, isHexDigest %v", n, validDigest(s), isHexDigest(s))
		}
	}
}
