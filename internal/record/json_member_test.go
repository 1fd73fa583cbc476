package record

import (
	"reflect"
	"strings"
	"testing"
)

// TestMemberPatterns: each key's member pattern matches its own member,
// after another member or first in its object, and no other key's; the
// empty key is keyUnknown's; the ids that are not keys match nothing.
func TestMemberPatterns(t *testing.T) {
	window := func(lit string) *[memberWindow]byte {
		var w [memberWindow]byte
		copy(w[:], lit+`1,"x":2`+strings.Repeat(" ", memberWindow))
		return &w
	}
	names := map[string]keyID{"": keyUnknown}
	for name, id := range keyNames {
		names[name] = id
	}
	for name, id := range names {
		for first, open := range []string{",", "{"} {
			lit := open + `"` + name + `":`
			for other, oid := range names {
				if got := memberPatterns[first][oid].at(window(lit)); got != (other == name) {
					t.Fatalf("pattern of %q at %q = %v", other, lit, got)
				}
			}
			if end := memberPatterns[first][id].end; end != len(lit) {
				t.Fatalf("pattern of %q ends at %d, want %d", lit, end, len(lit))
			}
			for k := int(keyAtRecordStart); k < 256; k++ {
				if memberPatterns[first][k].at(window(lit)) {
					t.Fatalf("pattern of id %d, not a key, matches %q", k, lit)
				}
			}
		}
	}
	for k := int(keyAtRecordStart); k < 256; k++ {
		if memberPatterns[0][k].at(&[memberWindow]byte{}) || memberPatterns[1][k].at(&[memberWindow]byte{}) {
			t.Fatalf("pattern of id %d, not a key, matches zero bytes", k)
		}
	}
}

// TestKeyEnd: keyEnd's pattern is an object's '}' after a member, and
// nothing for an object's first member; once an object's end has been
// predicted (the second and third time a record is read with one state),
// the direct reader still reads each record to the general reader's
// result, also when records that end after different keys take turns.
func TestKeyEnd(t *testing.T) {
	window := func(lit string) *[memberWindow]byte {
		var w [memberWindow]byte
		copy(w[:], lit+strings.Repeat(" ", memberWindow))
		return &w
	}
	if p := &memberPatterns[0][keyEnd]; !p.at(window(`},"interface":"eth0"}`)) || p.end != 1 {
		t.Fatalf("keyEnd's pattern does not match an object's end (end %d)", p.end)
	}
	for _, lit := range []string{`,"":`, `,"}":`, ` }`, `]`, `{}`} {
		if memberPatterns[0][keyEnd].at(window(lit)) || memberPatterns[1][keyEnd].at(window(lit)) {
			t.Fatalf("keyEnd's pattern matches %q", lit)
		}
	}
	bodies := []string{
		directStats,
		directFlow,
		string(readTestdata(t, "flow_stats.json")),
		string(readTestdata(t, "flow.json")),
		string(readTestdata(t, "flow_purge.json")),
	}
	var st decoderState
	for round := 0; round < 3; round++ {
		for _, body := range bodies {
			var rec Record
			end, ok := decodeDirect([]byte(body), 0, &rec, &st)
			if !ok || body[:end] != strings.TrimRight(body, "\n") {
				t.Fatalf("round %d: direct reader gave up on or cut %s", round, body)
			}
			want, errs := Decode([]byte(body), "application/json")
			if len(errs) != 0 || len(want) != 1 || !reflect.DeepEqual(want[0], rec) {
				t.Fatalf("round %d: %s\ndirect  %+v\ngeneral %+v (%v)", round, body, rec, want, errs)
			}
		}
	}
}
