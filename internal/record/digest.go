package record

// hexDigit marks the bytes of a hex digest.
var hexDigit = func() (t [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEF") {
		t[c] = true
	}
	return t
}()

// validDigest is isHexDigest by table lookup: digests are random hex, on
// which isHexDigest's range tests mispredict about every other byte. The
// checks call it first and build their error only when it fails.
func validDigest(s string) bool {
	if len(s) == 0 || len(s) > MaxDigestLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !hexDigit[s[i]] {
			return false
		}
	}
	return true
}
