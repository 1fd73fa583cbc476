package record

import (
	"math"
	"math/bits"
)

// The sorted readers read an object's members in the order an agent
// writes them: sorted by key (the agent's JSON objects are ordered maps).
// Each known key is tested in that order, straight-line, against the word
// at the reader: a member that is there is one compare of its first word
// and one to three of the rest, then its value; a key that is absent
// costs the compare of the first word only (a few instructions). No
// prediction table and no jump table: the loops of json_fast.go spend
// more on finding what to do with a member than on its value. The usual
// counts, booleans, the flow_stats type and a repeated interface are read
// in place; every other value by the loops' own readers (json_members.go).
//
// A sorted reader reads members as long as they come in that order and
// are the usual compact `,"key":value`; at the first member it does not
// expect (an unknown key, one out of order, whitespace, the end of input,
// a value that failed) it returns the last key it read, and the object's
// member loop reads on from there, to the same result: the two read the
// same bytes to the same values with the same member patterns, and mark
// the same keys (a key repeated later is still found). After an unknown
// key the loop calls the sorted reader again, with the last known key:
// the entry switch resumes after it.
//
// The readers are written out one block per key, in key order, each on
// one template (the member's pattern, its mark, its value, prev, the
// window for the next): a key added to the direct reader goes into its
// object's sorted reader, in order, and into its member loop.

// sortedStart returns the first word of an object's first member, the
// object's '{' (at r.i-1) read as a ',' so that the first member has the
// pattern of the others, and moves the reader to that '{'; false when the
// window does not fit. sortedEnd undoes the move when nothing was read.
func (d *fastRecord) sortedStart() (uint64, bool) {
	i := d.r.i - 1
	if i+memberWindow > len(d.r.b) {
		return 0, false
	}
	d.r.i = i
	return load64(d.r.b, i)&^0xff | ',', true
}

// sortedEnd ends a sorted read: the object's end if x (the word at r.i)
// starts with '}' after a member, consumed (keyEnd); otherwise prev, the
// last key read (start, the object's keyAt*Start, when the read began at
// the object's first member and read none: the reader goes back past the
// '{').
func (d *fastRecord) sortedEnd(x uint64, prev, start keyID) keyID {
	if prev == start {
		d.r.i++
		return start
	}
	if byte(x) == '}' {
		d.r.i++
		return keyEnd
	}
	return prev
}

// falseWord and trueWord are the literals' bytes as little-endian words.
const (
	falseWord = uint64('f') | uint64('a')<<8 | uint64('l')<<16 | uint64('s')<<24 | uint64('e')<<32
	trueWord  = uint64('t') | uint64('r')<<8 | uint64('u')<<16 | uint64('e')<<24
)

// recordSorted reads a record's members in key order from its first (the
// reader past the '{'), or from after the key from (see the comment at
// the top of the file).
func (d *fastRecord) recordSorted(rec *Record, from keyID) keyID {
	r := &d.r
	prev := from
	var x uint64
	if from == keyAtRecordStart {
		var ok bool
		if x, ok = d.sortedStart(); !ok {
			return prev
		}
	} else {
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
		switch from {
		case keyFlow:
			goto afterFlow
		case keyInterface:
			goto afterInterface
		case keyInternal:
			goto afterInternal
		case keyReason:
			goto afterReason
		case keyType:
			goto end
		}
	}
	if p := &memberPatterns[0][keyFlow]; x == p.w[0] {
		r.i += p.end
		d.mark(seenFlow)
		// flowObject, inline.
		if r.b[r.i] == '{' {
			d.flow(rec)
		} else {
			r.fail()
		}
		prev = keyFlow
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterFlow:
	if p := &memberPatterns[0][keyInterface]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenInterface)
		// The interface read last, by three word compares in place (see iface).
		if q := &d.st.ifaceQ; q.n > 0 && r.i+quotedWindow <= len(r.b) &&
			(load64(r.b, r.i)&q.mask[0]^q.w[0])|(load64(r.b, r.i+8)&q.mask[1]^q.w[1])|
				(load64(r.b, r.i+16)&q.mask[2]^q.w[2]) == 0 {
			r.i += q.n
			rec.HasInterface, rec.Interface = true, d.st.iface
		} else {
			d.iface(rec)
		}
		prev = keyInterface
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterInterface:
	if p := &memberPatterns[0][keyInternal]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenInternal)
		rec.HasInternal = true
		if x = load64(r.b, r.i); x&(1<<40-1) == falseWord {
			r.i += 5
		} else if x&(1<<32-1) == trueWord {
			rec.Internal = true
			r.i += 4
		} else {
			rec.Internal = d.boolean()
		}
		prev = keyInternal
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterInternal:
	if p := &memberPatterns[0][keyReason]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenReason)
		rec.Reason = d.name(&d.keys.names[nameReason], math.MaxInt)
		prev = keyReason
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterReason:
	if p := &memberPatterns[0][keyType]; x == p.w[0] {
		r.i += p.end
		d.mark(seenType)
		// The most frequent type, flow_stats, by three word compares in place.
		if q := &flowTypes[0].q; (load64(r.b, r.i)&q.mask[0]^q.w[0])|(load64(r.b, r.i+8)&q.mask[1]^q.w[1])|
			(load64(r.b, r.i+16)&q.mask[2]^q.w[2]) == 0 {
			r.i += q.n
			rec.Type, d.isFlow = flowTypes[0].name, true
		} else {
			d.recordType(rec)
		}
		prev = keyType
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
end:
	return d.sortedEnd(x, prev, keyAtRecordStart)
}

// flowSorted is recordSorted for the flow object.
func (d *fastRecord) flowSorted(rec *Record, from keyID) keyID {
	r := &d.r
	prev := from
	var x uint64
	if from == keyAtFlowStart {
		var ok bool
		if x, ok = d.sortedStart(); !ok {
			return prev
		}
	} else {
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
		switch from {
		case keyCategory:
			goto afterCategory
		case keyDetectedApplication:
			goto afterDetectedApplication
		case keyDetectedApplicationName:
			goto afterDetectedApplicationName
		case keyDetectedProtocol:
			goto afterDetectedProtocol
		case keyDetectedProtocolName:
			goto afterDetectedProtocolName
		case keyDetectionPackets:
			goto afterDetectionPackets
		case keyDigest:
			goto afterDigest
		case keyDigestPrev:
			goto afterDigestPrev
		case keyFirstSeenAt:
			goto afterFirstSeenAt
		case keyHostServerName:
			goto afterHostServerName
		case keyIPProtocol:
			goto afterIPProtocol
		case keyIPVersion:
			goto afterIPVersion
		case keyLastSeenAt:
			goto afterLastSeenAt
		case keyLocalBytes:
			goto afterLocalBytes
		case keyLocalIP:
			goto afterLocalIP
		case keyLocalOrigin:
			goto afterLocalOrigin
		case keyLocalPackets:
			goto afterLocalPackets
		case keyLocalPort:
			goto afterLocalPort
		case keyLocalRate:
			goto afterLocalRate
		case keyOtherBytes:
			goto afterOtherBytes
		case keyOtherIP:
			goto afterOtherIP
		case keyOtherPackets:
			goto afterOtherPackets
		case keyOtherPort:
			goto afterOtherPort
		case keyOtherRate:
			goto afterOtherRate
		case keyOtherType:
			goto afterOtherType
		case keyTCP:
			goto afterTCP
		case keyTotalBytes:
			goto afterTotalBytes
		case keyTotalPackets:
			goto afterTotalPackets
		case keyVLANID:
			goto end
		}
	}
	if p := &memberPatterns[0][keyCategory]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenCategory)
		d.categoryObject(rec)
		prev = keyCategory
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterCategory:
	if p := &memberPatterns[0][keyDetectedApplication]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16) == p.w[2] {
		r.i += p.end
		d.mark(seenDetectedApplication)
		rec.Meta.ApplicationID = uint32(d.countUpTo(math.MaxUint32))
		prev = keyDetectedApplication
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDetectedApplication:
	if p := &memberPatterns[0][keyDetectedApplicationName]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16) == p.w[2] &&
		load64(r.b, r.i+24)&p.mask[3] == p.w[3] {
		r.i += p.end
		d.mark(seenDetectedApplicationName)
		rec.Meta.ApplicationName = d.name(&d.keys.names[nameApplication], MaxNameLen)
		prev = keyDetectedApplicationName
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDetectedApplicationName:
	if p := &memberPatterns[0][keyDetectedProtocol]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16)&p.mask[2] == p.w[2] {
		r.i += p.end
		d.mark(seenDetectedProtocol)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.Meta.ProtocolID = uint32(eightDigits(x << ((64 - 8*k) & 63))) // below 10^7: no limit to test
		} else {
			rec.Meta.ProtocolID = uint32(d.countUpTo(math.MaxUint32))
		}
		prev = keyDetectedProtocol
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDetectedProtocol:
	if p := &memberPatterns[0][keyDetectedProtocolName]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16) == p.w[2] &&
		load64(r.b, r.i+24)&p.mask[3] == p.w[3] {
		r.i += p.end
		d.mark(seenDetectedProtocolName)
		rec.Meta.ProtocolName = d.name(&d.keys.names[nameProtocol], MaxNameLen)
		prev = keyDetectedProtocolName
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDetectedProtocolName:
	if p := &memberPatterns[0][keyDetectionPackets]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16)&p.mask[2] == p.w[2] {
		r.i += p.end
		d.mark(seenDetectionPackets)
		rec.HasDetectionPackets = true
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.DetectionPackets = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.DetectionPackets = d.countValue()
		}
		prev = keyDetectionPackets
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDetectionPackets:
	if p := &memberPatterns[0][keyDigest]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenDigest)
		// digestValue, inline.
		if v := d.hexText(); len(v) > 0 && len(v) <= MaxDigestLen {
			d.digest = v
		} else {
			r.fail()
		}
		prev = keyDigest
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDigest:
	if p := &memberPatterns[0][keyDigestPrev]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenDigestPrev)
		d.digestPrev()
		prev = keyDigestPrev
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDigestPrev:
	if p := &memberPatterns[0][keyFirstSeenAt]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16)&p.mask[2] == p.w[2] {
		r.i += p.end
		d.mark(seenFirstSeenAt)
		// Epoch milliseconds (13 digits) from two words, as countValue.
		if x = load64(r.b, r.i); r.i+16 <= len(r.b) && nonDigit8(x) == 0 && byte(x) != '0' {
			y := load64(r.b, r.i+8)
			if k := bits.TrailingZeros64(nonDigit8(y)) >> 3; uint(k-1) < 7 {
				r.i += 8 + k
				rec.FirstSeenAtMillis = int64(eightDigits(x)*pow10u[k] + eightDigits(y<<((64-8*k)&63)))
			} else {
				rec.FirstSeenAtMillis = d.millis()
			}
		} else {
			rec.FirstSeenAtMillis = d.millis()
		}
		prev = keyFirstSeenAt
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterFirstSeenAt:
	if p := &memberPatterns[0][keyHostServerName]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16)&p.mask[2] == p.w[2] {
		r.i += p.end
		d.mark(seenHostServerName)
		d.hostValue()
		prev = keyHostServerName
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterHostServerName:
	if p := &memberPatterns[0][keyIPProtocol]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenIPProtocol)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			u := eightDigits(x << ((64 - 8*k) & 63))
			if u > math.MaxUint8 {
				r.bad = true
			}
			rec.Meta.IPProtocol = uint8(u)
		} else {
			rec.Meta.IPProtocol = uint8(d.countUpTo(math.MaxUint8))
		}
		prev = keyIPProtocol
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterIPProtocol:
	if p := &memberPatterns[0][keyIPVersion]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenIPVersion)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			u := eightDigits(x << ((64 - 8*k) & 63))
			if u > math.MaxUint8 {
				r.bad = true
			}
			rec.Meta.IPVersion = uint8(u)
		} else {
			rec.Meta.IPVersion = uint8(d.countUpTo(math.MaxUint8))
		}
		prev = keyIPVersion
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterIPVersion:
	if p := &memberPatterns[0][keyLastSeenAt]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] {
		r.i += p.end
		d.mark(seenLastSeenAt)
		// Epoch milliseconds (13 digits) from two words, as countValue.
		if x = load64(r.b, r.i); r.i+16 <= len(r.b) && nonDigit8(x) == 0 && byte(x) != '0' {
			y := load64(r.b, r.i+8)
			if k := bits.TrailingZeros64(nonDigit8(y)) >> 3; uint(k-1) < 7 {
				r.i += 8 + k
				rec.LastSeenAtMillis = int64(eightDigits(x)*pow10u[k] + eightDigits(y<<((64-8*k)&63)))
			} else {
				rec.LastSeenAtMillis = d.millis()
			}
		} else {
			rec.LastSeenAtMillis = d.millis()
		}
		prev = keyLastSeenAt
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterLastSeenAt:
	if p := &memberPatterns[0][keyLocalBytes]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenLocalBytes)
		rec.HasStats = true
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.LocalBytes = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.LocalBytes = d.countValue()
		}
		prev = keyLocalBytes
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterLocalBytes:
	if p := &memberPatterns[0][keyLocalIP]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenLocalIP)
		d.ipValue(&rec.Meta.LocalIP, &d.localIP)
		prev = keyLocalIP
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterLocalIP:
	if p := &memberPatterns[0][keyLocalOrigin]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] {
		r.i += p.end
		d.mark(seenLocalOrigin)
		rec.Meta.HasLocalOrigin = true
		if x = load64(r.b, r.i); x&(1<<40-1) == falseWord {
			r.i += 5
		} else if x&(1<<32-1) == trueWord {
			rec.Meta.LocalOrigin = true
			r.i += 4
		} else {
			rec.Meta.LocalOrigin = d.boolean()
		}
		prev = keyLocalOrigin
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterLocalOrigin:
	if p := &memberPatterns[0][keyLocalPackets]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16)&p.mask[2] == p.w[2] {
		r.i += p.end
		d.mark(seenLocalPackets)
		rec.HasStats = true
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.LocalPackets = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.LocalPackets = d.countValue()
		}
		prev = keyLocalPackets
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterLocalPackets:
	if p := &memberPatterns[0][keyLocalPort]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenLocalPort)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			u := eightDigits(x << ((64 - 8*k) & 63))
			if u > math.MaxUint16 {
				r.bad = true
			}
			rec.Meta.LocalPort = uint16(u)
		} else {
			rec.Meta.LocalPort = uint16(d.countUpTo(math.MaxUint16))
		}
		prev = keyLocalPort
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterLocalPort:
	if p := &memberPatterns[0][keyLocalRate]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenLocalRate)
		rec.HasRates = true
		rec.LocalRate = d.rate()
		prev = keyLocalRate
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterLocalRate:
	if p := &memberPatterns[0][keyOtherBytes]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenOtherBytes)
		rec.HasStats = true
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.OtherBytes = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.OtherBytes = d.countValue()
		}
		prev = keyOtherBytes
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterOtherBytes:
	if p := &memberPatterns[0][keyOtherIP]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenOtherIP)
		d.ipValue(&rec.Meta.OtherIP, &d.otherIP)
		prev = keyOtherIP
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterOtherIP:
	if p := &memberPatterns[0][keyOtherPackets]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16)&p.mask[2] == p.w[2] {
		r.i += p.end
		d.mark(seenOtherPackets)
		rec.HasStats = true
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.OtherPackets = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.OtherPackets = d.countValue()
		}
		prev = keyOtherPackets
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterOtherPackets:
	if p := &memberPatterns[0][keyOtherPort]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenOtherPort)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			u := eightDigits(x << ((64 - 8*k) & 63))
			if u > math.MaxUint16 {
				r.bad = true
			}
			rec.Meta.OtherPort = uint16(u)
		} else {
			rec.Meta.OtherPort = uint16(d.countUpTo(math.MaxUint16))
		}
		prev = keyOtherPort
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterOtherPort:
	if p := &memberPatterns[0][keyOtherRate]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenOtherRate)
		rec.HasRates = true
		rec.OtherRate = d.rate()
		prev = keyOtherRate
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterOtherRate:
	if p := &memberPatterns[0][keyOtherType]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenOtherType)
		rec.Meta.OtherType = d.name(&d.keys.names[nameOtherType], MaxNameLen)
		prev = keyOtherType
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterOtherType:
	if p := &memberPatterns[0][keyTCP]; x&p.mask[0] == p.w[0] {
		r.i += p.end
		d.mark(seenTCP)
		d.tcpObject(rec)
		prev = keyTCP
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterTCP:
	if p := &memberPatterns[0][keyTotalBytes]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenTotalBytes)
		rec.HasTotals = true
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.TotalBytes = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.TotalBytes = d.countValue()
		}
		prev = keyTotalBytes
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterTotalBytes:
	if p := &memberPatterns[0][keyTotalPackets]; x == p.w[0] &&
		load64(r.b, r.i+8) == p.w[1] &&
		load64(r.b, r.i+16)&p.mask[2] == p.w[2] {
		r.i += p.end
		d.mark(seenTotalPackets)
		rec.HasTotals = true
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.TotalPackets = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.TotalPackets = d.countValue()
		}
		prev = keyTotalPackets
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterTotalPackets:
	if p := &memberPatterns[0][keyVLANID]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenVLANID)
		// 4095 is the largest VLAN id (see wireMeta.fill).
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			u := eightDigits(x << ((64 - 8*k) & 63))
			if u > 4095 {
				r.bad = true
			}
			rec.Meta.VLANID = uint16(u)
		} else {
			rec.Meta.VLANID = uint16(d.countUpTo(4095))
		}
		prev = keyVLANID
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
end:
	return d.sortedEnd(x, prev, keyAtFlowStart)
}

// tcpSorted is flowSorted for the tcp object.
func (d *fastRecord) tcpSorted(rec *Record, from keyID) keyID {
	r := &d.r
	prev := from
	var x uint64
	if from == keyAtTCPStart {
		var ok bool
		if x, ok = d.sortedStart(); !ok {
			return prev
		}
	} else {
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
		switch from {
		case keyResets:
			goto afterResets
		case keyRetrans:
			goto afterRetrans
		case keySeqErrors:
			goto end
		}
	}
	if p := &memberPatterns[0][keyResets]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenResets)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.TCPResets = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.TCPResets = d.countValue()
		}
		prev = keyResets
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterResets:
	if p := &memberPatterns[0][keyRetrans]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenRetrans)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.TCPRetrans = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.TCPRetrans = d.countValue()
		}
		prev = keyRetrans
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterRetrans:
	if p := &memberPatterns[0][keySeqErrors]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenSeqErrors)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.TCPSeqErrors = eightDigits(x << ((64 - 8*k) & 63))
		} else {
			rec.TCPSeqErrors = d.countValue()
		}
		prev = keySeqErrors
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
end:
	return d.sortedEnd(x, prev, keyAtTCPStart)
}

// categorySorted is flowSorted for the category object.
func (d *fastRecord) categorySorted(rec *Record, from keyID) keyID {
	r := &d.r
	prev := from
	var x uint64
	if from == keyAtCategoryStart {
		var ok bool
		if x, ok = d.sortedStart(); !ok {
			return prev
		}
	} else {
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
		switch from {
		case keyApplication:
			goto afterApplication
		case keyDomain:
			goto afterDomain
		case keyProtocol:
			goto end
		}
	}
	if p := &memberPatterns[0][keyApplication]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenApplication)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.Meta.CategoryApplication = uint32(eightDigits(x << ((64 - 8*k) & 63))) // below 10^7: no limit to test
		} else {
			rec.Meta.CategoryApplication = uint32(d.countUpTo(math.MaxUint32))
		}
		prev = keyApplication
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterApplication:
	if p := &memberPatterns[0][keyDomain]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenDomain)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.Meta.CategoryDomain = uint32(eightDigits(x << ((64 - 8*k) & 63))) // below 10^7: no limit to test
		} else {
			rec.Meta.CategoryDomain = uint32(d.countUpTo(math.MaxUint32))
		}
		prev = keyDomain
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
afterDomain:
	if p := &memberPatterns[0][keyProtocol]; x == p.w[0] &&
		load64(r.b, r.i+8)&p.mask[1] == p.w[1] {
		r.i += p.end
		d.mark(seenProtocol)
		x = load64(r.b, r.i)
		if k := bits.TrailingZeros64(nonDigit8(x)) >> 3; uint(k-1) < 7 && (byte(x) != '0' || k == 1) {
			r.i += k
			rec.Meta.CategoryProtocol = uint32(eightDigits(x << ((64 - 8*k) & 63))) // below 10^7: no limit to test
		} else {
			rec.Meta.CategoryProtocol = uint32(d.countUpTo(math.MaxUint32))
		}
		prev = keyProtocol
		if r.i+memberWindow > len(r.b) {
			return prev
		}
		x = load64(r.b, r.i)
	}
end:
	return d.sortedEnd(x, prev, keyAtCategoryStart)
}
