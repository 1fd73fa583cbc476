package record

import "unsafe"

// decoderState is what a decoder (a pooled results, a StreamDecoder) keeps
// from record to record.
type decoderState struct {
	ar   digestArena
	keys keyPredictor
	// mp reads msgpack bodies: made once, not per body (its closures and
	// readers would make it escape).
	mp mpBody
	// iface is the interface name read last (see internIface), set only
	// by setIface, which keeps its quoted form's words in ifaceQ (see
	// fastRecord.repeatQuoted).
	iface  string
	ifaceQ quotedWords
}

// setIface makes s the interface name read last.
func (st *decoderState) setIface(s string) {
	st.iface = s
	st.ifaceQ.set(s)
}

// internIface is intern for interface names: a stream's records mostly
// name the one interface read last, which a comparison finds for less
// than intern's hash.
func (st *decoderState) internIface(b []byte) string {
	if string(b) != st.iface {
		st.setIface(intern(b))
	}
	return st.iface
}

// digestArena hands out the digest strings and digest_prev slices of many
// records from a few larger allocations: a decoder keeps one (a pooled
// results, a StreamDecoder), so that decoding a record allocates nothing in
// steady state, one chunk every few records.
//
// Every string and slice handed out stays valid and unchanged forever: the
// text is appended to a chunk whose earlier bytes are never written
// again (a full chunk is dropped, not reused), and each slice is a
// capacity-capped window of a chunk that no later call touches.
//
// It also takes host names, and the text of non-IPv4 addresses while
// they are parsed.
//
// The price is retention: one kept digest keeps its whole chunk alive
// (arenaText bytes, and arenaList entries for a kept digest_prev slice).
// Measured on the simulated 5,000-flow stream, with a map keeping every
// live flow's digests as a flow table would: 248 bytes per kept digest
// with these chunks, 207 with half of them, 115 with one allocation per
// string (0.37, 0.55 and 4.3 allocations per record, map included). A
// holder that keeps digests for long copies them when it first keeps them.
type digestArena struct {
	// text is the current text chunk: its bytes below len are handed out
	// (as strings by unsafe.String) and never written again; append writes
	// past them, and a full chunk is replaced, not reused.
	text []byte
	list []string
}

const (
	// arenaText is a text chunk's size: about eight flow_stats records
	// with a 40-character digest and two digest_prev entries.
	arenaText = 1024
	// arenaList is a slice chunk's length, in strings (16 bytes each).
	arenaList = 32
)

// str returns a copy of b. Pieces longer than a quarter chunk get their own
// allocation, so that a chunk is never mostly empty.
func (a *digestArena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if a == nil || len(b) > arenaText/4 {
		return string(b)
	}
	if cap(a.text)-len(a.text) < len(b) {
		a.text = make([]byte, 0, arenaText)
	}
	start := len(a.text)
	a.text = append(a.text, b...)
	return unsafe.String(&a.text[start], len(b))
}

// strs returns a new slice of n strings, for the caller to fill.
func (a *digestArena) strs(n int) []string {
	if a == nil || n > arenaList/4 {
		return make([]string, n)
	}
	if cap(a.list)-len(a.list) < n {
		a.list = make([]string, 0, arenaList)
	}
	k := len(a.list)
	a.list = a.list[:k+n]
	return a.list[k : k+n : k+n]
}
