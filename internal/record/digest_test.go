package record

import (
	"strings"
	"testing"
)

// TestValidDigestEveryLength: validDigest reads words, the last one again
// in part, and the 40-digit digest without a loop; at every length up to
// past MaxDigestLen, with any byte at any place, it agrees with the byte
// by byte isHexDigest.
func TestValidDigestEveryLength(t *testing.T) {
	hex := strings.Repeat("0123456789abcdefABCDEF", 4)
	for n := 0; n <= MaxDigestLen+3; n++ {
		base := hex[:n]
		if got, want := validDigest(base), n >= 1 && n <= MaxDigestLen; got != want {
			t.Fatalf("validDigest of %d hex digits = %v, want %v", n, got, want)
		}
		for p := range n {
			for c := range 256 {
				b := []byte(base)
				b[p] = byte(c)
				if got, want := validDigest(string(b)), isHexDigest(string(b)); got != want {
					t.Fatalf("validDigest(%q) = %v, isHexDigest %v", b, got, want)
				}
			}
		}
	}
}

// TestHexTextEveryShape: the direct reader's hexText takes a string of hex
// digits, whole words or not, the usual 40 digits at once; a non-hex byte
// anywhere, or a missing closing quote, gives up.
func TestHexTextEveryShape(t *testing.T) {
	hex := strings.Repeat("0123456789abcdefABCDEF", 4)
	read := func(in string) ([]byte, bool, int) {
		d := fastRecord{r: jsonReader{b: []byte(in)}}
		v := d.hexText()
		return v, !d.r.bad, d.r.i
	}
	for n := 0; n <= 70; n++ {
		for _, tail := range []string{"", ",", `,"x":1}` + strings.Repeat(" ", 40)} {
			in := `"` + hex[:n] + `"` + tail
			v, ok, end := read(in)
			if !ok || string(v) != hex[:n] || end != n+2 {
				t.Fatalf("hexText(%q) = %q, %v, end %d; want %q, true, %d", in, v, ok, end, hex[:n], n+2)
			}
			// No closing quote: the string runs into the tail.
			if _, ok, _ := read(`"` + hex[:n] + tail); ok {
				t.Fatalf("hexText(%q) took a string without its closing quote", `"`+hex[:n]+tail)
			}
			for p := range n {
				for _, c := range []byte{'g', 'G', '/', ':', '@', '`', ' ', '\\', 0, 0x80, 0xff} {
					b := []byte(in)
					b[1+p] = c
					if v, ok, _ := read(string(b)); ok {
						t.Fatalf("hexText(%q) = %q, took a non-hex byte", b, v)
					}
				}
				// A quote ends the string early: the digits before it.
				b := []byte(in)
				b[1+p] = '"'
				if v, ok, end := read(string(b)); !ok || string(v) != hex[:p] || end != p+2 {
					t.Fatalf("hexText(%q) = %q, %v, end %d; want %q", b, v, ok, end, hex[:p])
				}
			}
		}
	}
}
