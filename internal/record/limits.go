package record

import "strconv"

// Bounds on what a record can bring into the flow table. Digests and
// interface names become map keys and metric attribute values, so their size
// must not follow the sender's input.
const (
	// MaxDigestLen is the longest digest accepted, in hex characters: room
	// for SHA-256, beyond the SHA-1 (40) and xxh64 (16) digests agents send.
	MaxDigestLen = 64
	// MaxDigestPrev is the most digest_prev entries a record may carry.
	MaxDigestPrev = 32
	// MaxInterfaceLen is the longest capture interface name accepted, in bytes.
	MaxInterfaceLen = 64
)

// isHexDigest reports whether s is 1..MaxDigestLen hex characters.
func isHexDigest(s string) bool {
	if len(s) == 0 || len(s) > MaxDigestLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return true
}

func checkDigest(path, s string) error {
	if isHexDigest(s) {
		return nil
	}
	return &fieldError{path, quoteText(s) + " is not a hex digest of at most " + strconv.Itoa(MaxDigestLen) + " characters"}
}

// checkDigestPrevLen bounds the number of entries n the wire carried.
func checkDigestPrevLen(path string, n int) error {
	if n > MaxDigestPrev {
		return &fieldError{path, strconv.Itoa(n) + " entries, at most " + strconv.Itoa(MaxDigestPrev)}
	}
	return nil
}

func checkDigestPrev(path string, prev []string) error {
	for i, d := range prev {
		if err := checkDigest(path+"["+strconv.Itoa(i)+"]", d); err != nil {
			return err
		}
	}
	return nil
}

func checkInterface(path, s string) error {
	if len(s) <= MaxInterfaceLen {
		return nil
	}
	return &fieldError{path, quoteText(s) + " is " + strconv.Itoa(len(s)) + " bytes, at most " + strconv.Itoa(MaxInterfaceLen)}
}
