package record

import (
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
