package record

import (
	"strings"
	"testing"
)

// TestTextEveryShape: the direct reader's text takes a plain string of any
// length, read in words or (near the end of input) by str, and gives up on
// an escape or a control byte wherever it falls, as str would have it.
func TestTextEveryShape(t *testing.T) {
	plain := strings.Repeat("br-lan.é/x ", 6)
	read := func(in string) ([]byte, bool, int) {
		d := fastRecord{r: jsonReader{b: []byte(in)}}
		v := d.text()
		return v, !d.r.bad, d.r.i
	}
	for n := 0; n <= 50; n++ {
		for _, tail := range []string{"", ",", ",1,2]}" + strings.Repeat(" ", 20)} {
			in := `"` + plain[:n] + `"` + tail
			v, ok, end := read(in)
			if !ok || string(v) != plain[:n] || end != n+2 {
				t.Fatalf("text(%q) = %q, %v, end %d; want %q, true, %d", in, v, ok, end, plain[:n], n+2)
			}
			if _, ok, _ := read(`"` + plain[:n] + tail); ok {
				t.Fatalf("text(%q) took a string without its closing quote", `"`+plain[:n]+tail)
			}
			for p := range n {
				for _, c := range []byte{'\\', 0, '\n', 0x1f} {
					b := []byte(in)
					b[1+p] = c
					if v, ok, _ := read(string(b)); ok {
						t.Fatalf("text(%q) = %q, took byte %#x", b, v, c)
					}
				}
				b := []byte(in)
				b[1+p] = '"'
				if v, ok, end := read(string(b)); !ok || string(v) != plain[:p] || end != p+2 {
					t.Fatalf("text(%q) = %q, %v, end %d; want %q", b, v, ok, end, plain[:p])
				}
			}
		}
	}
	if _, ok, _ := read(`x"`); ok {
		t.Fatal("text took a value that is not a string")
	}
}

// TestRepeatTakesOnlyTheSameString: repeat steps over a string value equal
// to the one given, quotes included, and leaves anything else to text.
func TestRepeatTakesOnlyTheSameString(t *testing.T) {
	for _, c := range []struct {
		in, last string
		ok       bool
	}{
		{`"br-lan",`, "br-lan", true},
		{`"br-lan"`, "br-lan", true},
		{`""`, "", true},
		{`"br-lan0",`, "br-lan", false},
		{`"br-la",`, "br-lan", false},
		{`"br-lan`, "br-lan", false},
		{`"br\u002dlan",`, "br-lan", false},
		{`br-lan",`, "br-lan", false},
		{`"eth0",`, "br-lan", false},
	} {
		d := fastRecord{r: jsonReader{b: []byte(c.in)}}
		ok := d.repeat(c.last)
		want := 0
		if c.ok {
			want = len(c.last) + 2
		}
		if ok != c.ok || d.r.i != want || d.r.bad {
			t.Fatalf("repeat(%q, %q) = %v, at %d (bad %v); want %v, at %d", c.in, c.last, ok, d.r.i, d.r.bad, c.ok, want)
		}
	}
}

// TestRepeatQuotedMatchesRepeat: repeatQuoted, which compares words when
// at least quotedWindow bytes remain, takes what repeat takes and nothing
// else, for names of every length around the window and values that
// differ from them in each byte, the closing quote included.
func TestRepeatQuotedMatchesRepeat(t *testing.T) {
	tails := []string{``, `,`, `,"internal":false,"type":"flow_stats"}`}
	for n := 0; n <= quotedWindow+2; n++ {
		last := strings.Repeat("a", n)
		var q quotedWords
		q.set(last)
		if want := n + 2; n+2 <= quotedWindow && q.n != want || n+2 > quotedWindow && q.n != 0 {
			t.Fatalf("set(%q): n = %d", last, q.n)
		}
		values := []string{`"` + last + `"`, `"` + last + `a"`, `"` + last, last + `"`}
		for k := 0; k < n+2; k++ {
			v := []byte(`"` + last + `"`)
			v[k] ^= 0x01
			values = append(values, string(v))
		}
		for _, v := range values {
			for _, tail := range tails {
				in := v + tail
				a := fastRecord{r: jsonReader{b: []byte(in)}}
				b := fastRecord{r: jsonReader{b: []byte(in)}}
				okA, okB := a.repeat(last), b.repeatQuoted(last, &q)
				if okA != okB || a.r.i != b.r.i || a.r.bad != b.r.bad {
					t.Fatalf("%q after %q: repeat %v at %d, repeatQuoted %v at %d", in, last, okA, a.r.i, okB, b.r.i)
				}
			}
		}
	}
}

// TestFlowTypeTakesOnlyFlowTypes: flowType steps over a quoted flow record
// type, and over nothing else: other types, a type with a byte changed
// (the quotes included), cut, or too near the end of input to be read by
// words, which text and internType then read.
func TestFlowTypeTakesOnlyFlowTypes(t *testing.T) {
	tail := `,"interface":"eth0"}`
	read := func(in string) (string, bool, int) {
		d := fastRecord{r: jsonReader{b: []byte(in)}}
		name, ok := d.flowType()
		return name, ok, d.r.i
	}
	for _, typ := range []string{TypeFlow, TypeFlowStats, TypeFlowPurge, TypeFlowDPIUpdate, TypeFlowDPIComplete} {
		q := `"` + typ + `"`
		if name, ok, i := read(q + tail); !ok || name != typ || i != len(q) {
			t.Fatalf("flowType(%q) = %q, %v, at %d", q+tail, name, ok, i)
		}
		if _, ok, i := read(q); ok || i != 0 {
			t.Fatalf("flowType(%q) read within quotedWindow of the end", q)
		}
		for k := range q {
			v := []byte(q)
			v[k] ^= 0x01
			if _, ok, i := read(string(v) + tail); ok || i != 0 {
				t.Fatalf("flowType took %q", v)
			}
		}
		for _, v := range []string{`"` + typ + `x"`, `"` + typ[:len(typ)-1] + `"`, `"` + typ} {
			if _, ok, _ := read(v + tail); ok {
				t.Fatalf("flowType took %q", v)
			}
		}
	}
	for _, v := range []string{`"agent_status"`, `"interface_stats"`, `""`, `"flow\u005fstats"`} {
		if _, ok, _ := read(v + tail); ok {
			t.Fatalf("flowType took %q", v)
		}
	}
}
