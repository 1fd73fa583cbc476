package ingest

import (
	"strconv"
	"unicode/utf8"
)

// excerptLen is how much of a sender's text an answer or a log line
// repeats.
const excerptLen = 64

// Excerpt quotes the start of text a sender chose (a path, a header, a
// value) for an answer or a log line: at most excerptLen bytes, escaped,
// and the full length named when cut. Echoing input whole let one request
// put half a megabyte into an answer and a log line.
func Excerpt(s string) string {
	if len(s) <= excerptLen {
		return strconv.Quote(s)
	}
	cut := excerptLen
	// Do not split a character (invalid bytes are quoted as they are).
	for back := 0; back < utf8.UTFMax-1 && !utf8.RuneStart(s[cut]); back++ {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}
