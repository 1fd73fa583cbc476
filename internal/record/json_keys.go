package record

import (
	"encoding/binary"
	"math/bits"
)

// keyID names a member key the direct reader knows. A key is looked up by
// its bytes, eight at a time, without first scanning it as a string: most
// of a record's bytes are keys.
type keyID uint8

const (
	keyUnknown keyID = iota
	keyType
	keyInterface
	keyInternal
	keyReason
	keyFlow
	keyDigest
	keyDigestPrev
	keyLocalBytes
	keyLocalPackets
	keyOtherBytes
	keyOtherPackets
	keyLocalRate
	keyOtherRate
	keyTotalBytes
	keyTotalPackets
	keyDetectionPackets
	keyFirstSeenAt
	keyLastSeenAt
	keyTCP
	keyResets
	keyRetrans
	keySeqErrors
	// Flow metadata (see wireFlow.readJSON).
	keyDetectedApplication
	keyDetectedApplicationName
	keyDetectedProtocol
	keyDetectedProtocolName
	keyCategory
	keyHostServerName
	keyIPProtocol
	keyIPVersion
	keyLocalIP
	keyOtherIP
	keyLocalPort
	keyOtherPort
	keyLocalOrigin
	keyOtherType
	keyVLANID
	// The category object's.
	keyApplication
	keyProtocol
	keyDomain
	// keyEnd is not a key: predicted after a key, it is the object's end,
	// matched by memberPatterns[0][keyEnd] ('}'), so that the loops that
	// read members find an object's end without memberSlow.
	keyEnd

	// Where an object's first key is read, for keyPredictor.
	keyAtRecordStart
	keyAtFlowStart
	keyAtTCPStart
	keyAtCategoryStart
	numKeyContexts
)

// keyPredictor remembers, for each key (or object start), the key that
// followed it last time (next) and the one before that if it differed
// (alt). Agents write every object's keys in the same order, so that the
// prediction is a few word compares (memberPattern.at) where a lookup
// hashes the key and probes a table; alt serves the record types that
// take turns in a stream (a flow_stats record's local_bytes is followed
// by local_packets, a flow_dpi_update's by local_ip). Each decoder has its
// own (see decoderState): it is not shared between goroutines. The tables
// have an entry for every keyID value, so that indexing them needs no
// bounds check.
type keyPredictor struct {
	next, alt [256]keyID
	// names keeps the last value of the members that name something
	// (see fastRecord.name): the predictor is the direct reader's memory
	// of a stream's shape, and values repeat as keys do.
	names [numNameKeys]lastName
}

// learn notes that key followed prev.
func (k *keyPredictor) learn(prev, key keyID) {
	if k.next[prev] != key {
		k.alt[prev], k.next[prev] = k.next[prev], key
	}
}

// keyStarts is 1 for the keyAt*Start ids, 0 for the others: which of
// memberPatterns' sets an object's member is read with.
var keyStarts = func() (t [256]uint8) {
	for id := keyAtRecordStart; id < numKeyContexts; id++ {
		t[id] = 1
	}
	return t
}()

// keyPattern is a known key's name and closing quote as little-endian
// words and masks, for keyPattern.at.
type keyPattern struct {
	w, mask [maxKeyWords]uint64
	words   int
	size    int // the name's length
}

// keyPatterns holds the pattern of every key id but keyUnknown.
var keyPatterns = func() (t [numKeyContexts]keyPattern) {
	for name, id := range keyNames {
		var buf, mask [8 * maxKeyWords]byte
		lit := name + `"`
		copy(buf[:], lit)
		for k := range lit {
			mask[k] = 0xff
		}
		p := &t[id]
		p.words, p.size = (len(lit)+7)/8, len(name)
		for k := 0; k < p.words; k++ {
			p.w[k] = binary.LittleEndian.Uint64(buf[8*k:])
			p.mask[k] = binary.LittleEndian.Uint64(mask[8*k:])
		}
	}
	return t
}()

// memberPattern is a whole member's text up to its value, in the shape
// compact JSON has, as little-endian words and masks: `,"name":` after
// another member, `{"name":` for an object's first (see fastRecord.member).
type memberPattern struct {
	w, mask [memberWindow / 8]uint64
	end     int // the value's offset from the pattern's first byte
}

// memberWindow is what the member fast path reads at once: a comma or
// brace, the quoted name of the longest known key (25 bytes) and a colon.
const memberWindow = 32

// memberPatterns holds, by [first member][key], every key's member
// pattern. keyUnknown's is the empty key's (`,"":`), which lookupKey and
// keyNames read as keyUnknown too: a prediction of keyUnknown matches only
// that, to the same result. The entries of ids that are not keys (never
// predicted) match nothing: a bit of w outside mask.
var memberPatterns = func() (t [2][256]memberPattern) {
	set := func(p *memberPattern, lit string) {
		if len(lit) > memberWindow {
			panic("record: key " + lit + " is longer than memberWindow")
		}
		var buf, mask [memberWindow]byte
		copy(buf[:], lit)
		for k := range lit {
			mask[k] = 0xff
		}
		for k := range p.w {
			p.w[k] = binary.LittleEndian.Uint64(buf[8*k:])
			p.mask[k] = binary.LittleEndian.Uint64(mask[8*k:])
		}
		p.end = len(lit)
	}
	for first := range t {
		for id := range t[first] {
			t[first][id].w[0] = 1
		}
	}
	names := map[string]keyID{"": keyUnknown}
	for name, id := range keyNames {
		names[name] = id
	}
	for name, id := range names {
		set(&t[0][id], `,"`+name+`":`)
		set(&t[1][id], `{"`+name+`":`)
	}
	set(&t[0][keyEnd], `}`) // never predicted for an object's first member
	return t
}()

// at reports whether w starts with the pattern.
//
// A pattern of at most 16 bytes (most of a flow_stats record's members)
// is two words: the others' masks and words are zero.
func (p *memberPattern) at(w *[memberWindow]byte) bool {
	diff := (binary.LittleEndian.Uint64(w[0:8])&p.mask[0] ^ p.w[0]) |
		(binary.LittleEndian.Uint64(w[8:16])&p.mask[1] ^ p.w[1])
	if p.end > 16 {
		diff |= (binary.LittleEndian.Uint64(w[16:24])&p.mask[2] ^ p.w[2]) |
			(binary.LittleEndian.Uint64(w[24:32])&p.mask[3] ^ p.w[3])
	}
	return diff == 0
}

// at reports whether b[i:] starts with the key's name and closing quote
// (false as well when fewer than the pattern's words remain).
func (p *keyPattern) at(b []byte, i int) bool {
	if i+8*maxKeyWords <= len(b) {
		// Branch-free: the unused words' masks and patterns are zero.
		q := b[i : i+8*maxKeyWords]
		diff := (binary.LittleEndian.Uint64(q[0:])&p.mask[0] ^ p.w[0]) |
			(binary.LittleEndian.Uint64(q[8:])&p.mask[1] ^ p.w[1]) |
			(binary.LittleEndian.Uint64(q[16:])&p.mask[2] ^ p.w[2]) |
			(binary.LittleEndian.Uint64(q[24:])&p.mask[3] ^ p.w[3])
		return diff == 0 && p.words > 0
	}
	if p.words == 0 || i+8*p.words > len(b) {
		return false
	}
	for k := 0; k < p.words; k++ {
		if binary.LittleEndian.Uint64(b[i+8*k:])&p.mask[k] != p.w[k] {
			return false
		}
	}
	return true
}

var keyNames = map[string]keyID{
	"type": keyType, "interface": keyInterface, "internal": keyInternal,
	"reason": keyReason, "flow": keyFlow,
	"digest": keyDigest, "digest_prev": keyDigestPrev,
	"local_bytes": keyLocalBytes, "local_packets": keyLocalPackets,
	"other_bytes": keyOtherBytes, "other_packets": keyOtherPackets,
	"local_rate": keyLocalRate, "other_rate": keyOtherRate,
	"total_bytes": keyTotalBytes, "total_packets": keyTotalPackets,
	"detection_packets": keyDetectionPackets,
	"first_seen_at":     keyFirstSeenAt, "last_seen_at": keyLastSeenAt,
	"tcp": keyTCP, "resets": keyResets, "retrans": keyRetrans, "seq_errors": keySeqErrors,
	"detected_application": keyDetectedApplication, "detected_application_name": keyDetectedApplicationName,
	"detected_protocol": keyDetectedProtocol, "detected_protocol_name": keyDetectedProtocolName,
	"category": keyCategory, "host_server_name": keyHostServerName,
	"ip_protocol": keyIPProtocol, "ip_version": keyIPVersion,
	"local_ip": keyLocalIP, "other_ip": keyOtherIP,
	"local_port": keyLocalPort, "other_port": keyOtherPort,
	"local_origin": keyLocalOrigin, "other_type": keyOtherType, "vlan_id": keyVLANID,
	"application": keyApplication, "protocol": keyProtocol, "domain": keyDomain,
}

// maxKeyWords bounds the known keys' length: 4 words, 32 bytes.
const maxKeyWords = 4

// keyTable is keyNames as an open-addressing hash table indexed by
// keyHash; an entry with id keyUnknown ends a probe sequence.
var keyTable = func() (t [keySlots]struct {
	name string
	id   keyID
}) {
	for name, id := range keyNames {
		var buf [8 * maxKeyWords]byte
		copy(buf[:], name)
		var h uint64
		for k := 0; k <= len(name)/8; k++ {
			h = keyHashWord(h, binary.LittleEndian.Uint64(buf[8*k:]))
		}
		slot := keySlot(h, len(name))
		for t[slot].id != keyUnknown {
			slot = (slot + 1) % keySlots
		}
		t[slot].name, t[slot].id = name, id
	}
	return t
}()

// keySlots is a power of two, over five times the known keys.
const (
	keySlotBits = 8
	keySlots    = 1 << keySlotBits
)

func keyHashWord(h, x uint64) uint64 { return (h ^ x) * 0x9e3779b97f4a7c15 }

func keySlot(h uint64, size int) int { return int((h + uint64(size)) >> (64 - keySlotBits)) }

// lookupKey reads the key whose opening quote is at b[i-1]: its id and the
// index past its closing quote, or keyUnknown and 0 when it is not a known
// key or too near the end of b to be read a word at a time (the caller
// then reads the key as a string and looks it up in keyNames). The key is
// hashed a word at a time as its closing quote is looked for; a known
// key's bytes hold no quote, backslash or control byte, so the first quote
// after them is the key's end.
func lookupKey(b []byte, i int) (keyID, int) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var h uint64
	for j := i; j < i+8*maxKeyWords; j += 8 {
		if j+8 > len(b) {
			return keyUnknown, 0
		}
		x := binary.LittleEndian.Uint64(b[j:])
		q := x ^ '"'*ones
		if m := (q - ones) &^ q & highs; m != 0 {
			n := bits.TrailingZeros64(m) >> 3 // bytes before the quote
			h = keyHashWord(h, x&(1<<(8*n)-1))
			size := j - i + n
			key := b[i : i+size]
			for slot := keySlot(h, size); keyTable[slot].id != keyUnknown; slot = (slot + 1) % keySlots {
				if keyTable[slot].name == string(key) {
					return keyTable[slot].id, i + size + 1
				}
			}
			return keyUnknown, 0
		}
		h = keyHashWord(h, x)
	}
	return keyUnknown, 0
}
