package gen

import (
	"crypto/sha1" //nolint:gosec // digest look-alike, not security
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// digest hashes the parts like the agent hashes a flow: SHA-1 for 40 hex
// chars, xxh64 for 16.
func digest(length int, parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		fmt.Fprintf(&b, "%v|", p)
	}
	s := b.String()
	if length == 16 {
		return fmt.Sprintf("%016x", xxhash.Sum64String(s))
	}
	sum := sha1.Sum([]byte(s)) //nolint:gosec // see above
	return hex.EncodeToString(sum[:])
}
