package record

import "math"

// fastPathOff turns the direct reader off, for the tests that compare it
// with the general one-pass reader.
var fastPathOff = false

// The direct reader decodes the shape nearly every record of a stream has
// (a flow_stats or flow_purge record: plain strings, non-negative integers,
// short decimal rates, no flow metadata) straight into the Record, in the
// same single pass with the same grammar checks as jsonReader, without the
// wireRecord and its build step. Anything else it gives up on (ok false):
// null or wrongly typed values, escapes, negative or exotic numbers, a
// repeated key, metadata keys, a value the record builder would reject,
// non-flow record types. The caller then decodes the record again with the
// general reader, which decides and words every error; so the direct reader
// only ever accepts what the general one accepts, with the same result
// (FuzzDirectMatchesGeneral checks both).

// Bits of fastRecord.seen: a repeated key gives up, as the general reader
// merges repeats by rules not worth repeating here.
const (
	seenType uint32 = 1 << iota
	seenInterface
	seenInternal
	seenReason
	seenFlow
	seenDigest
	seenDigestPrev
	seenLocalBytes
	seenLocalPackets
	seenOtherBytes
	seenOtherPackets
	seenLocalRate
	seenOtherRate
	seenTotalBytes
	seenTotalPackets
	seenDetectionPackets
	seenFirstSeenAt
	seenLastSeenAt
	seenTCP
	seenResets
	seenRetrans
	seenSeqErrors
)

// maxFastPrev is the most digest_prev entries the direct reader keeps.
const maxFastPrev = 4

type fastRecord struct {
	r      jsonReader
	seen   uint32
	digest []byte
	prev   [maxFastPrev][]byte
	nprev  int
}

// decodeDirect decodes the object at b[p] into rec (which must be zero) and
// returns where it ended; ok false leaves rec to be discarded.
func decodeDirect(b []byte, p int, rec *Record, ar *digestArena) (end int, ok bool) {
	if fastPathOff {
		return p, false
	}
	d := fastRecord{r: jsonReader{b: b, i: p}}
	if !d.record(rec) || !rec.IsFlow() || d.seen&seenFlow == 0 || d.digest == nil {
		return p, false
	}
	if !validDigestBytes(d.digest) {
		return p, false
	}
	for _, v := range d.prev[:d.nprev] {
		if !validDigestBytes(v) {
			return p, false
		}
	}
	rec.Digest = ar.str(d.digest)
	if d.nprev > 0 {
		rec.DigestPrev = ar.strs(d.nprev)
		for k, v := range d.prev[:d.nprev] {
			rec.DigestPrev[k] = ar.str(v)
		}
	}
	return d.r.i, true
}

// see marks a key read and reports whether it was new.
func (d *fastRecord) see(bit uint32) bool {
	if d.seen&bit != 0 {
		return false
	}
	d.seen |= bit
	return true
}

// member reads the next member's key, leaving the reader at its value;
// false at the object's end or on input it gives up on (then r.bad).
func (d *fastRecord) member(first bool) ([]byte, bool) {
	r := &d.r
	r.space()
	if r.i >= len(r.b) {
		r.fail()
		return nil, false
	}
	c := r.b[r.i]
	if c == '}' {
		r.i++
		return nil, false
	}
	if !first {
		if c != ',' {
			r.fail()
			return nil, false
		}
		r.i++
		r.space()
	}
	lit, esc := r.str()
	if esc {
		r.fail()
	}
	if r.bad {
		return nil, false
	}
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.fail()
		return nil, false
	}
	r.i++
	r.space()
	if r.i >= len(r.b) {
		r.fail()
		return nil, false
	}
	return lit[1 : len(lit)-1], true
}

// text reads a string value without escapes, as a view of the input.
func (d *fastRecord) text() []byte {
	r := &d.r
	if r.b[r.i] != '"' {
		r.fail()
		return nil
	}
	lit, esc := r.str()
	if esc || r.bad {
		r.fail()
		return nil
	}
	return lit[1 : len(lit)-1]
}

// count reads a non-negative integer of at most 19 digits.
func (d *fastRecord) count() uint64 {
	r := &d.r
	if c := r.b[r.i]; c < '0' || c > '9' {
		r.fail()
		return 0
	}
	r.number()
	if !r.isInt {
		r.fail()
	}
	return r.u
}

// rate reads a non-negative integer or a decimal that exactDecimal
// converts (as setText would).
func (d *fastRecord) rate() float64 {
	r := &d.r
	if c := r.b[r.i]; c < '0' || c > '9' {
		r.fail()
		return 0
	}
	start := r.i
	r.number()
	if r.bad {
		return 0
	}
	if r.isInt {
		return float64(r.u)
	}
	f, ok := exactDecimal(r.b[start:r.i])
	if !ok {
		r.fail()
	}
	return f
}

// millis reads epoch milliseconds: an integer that fits int64.
func (d *fastRecord) millis() int64 {
	u := d.count()
	if u > math.MaxInt64 {
		d.r.fail()
	}
	return int64(u)
}

func (d *fastRecord) record(rec *Record) bool {
	r := &d.r
	if r.i >= len(r.b) || r.b[r.i] != '{' {
		return false
	}
	r.i++
	for first := true; ; first = false {
		key, ok := d.member(first)
		if !ok {
			return !r.bad
		}
		switch string(key) {
		case "type":
			if d.see(seenType) {
				rec.Type = internType(d.text())
			} else {
				r.fail()
			}
		case "interface":
			if v := d.text(); d.see(seenInterface) && len(v) <= MaxInterfaceLen {
				rec.HasInterface, rec.Interface = true, intern(v)
			} else {
				r.fail()
			}
		case "internal":
			if !d.see(seenInternal) {
				r.fail()
				break
			}
			rec.HasInternal = true
			switch r.b[r.i] {
			case 't':
				rec.Internal = true
				r.literal("true")
			case 'f':
				r.literal("false")
			default:
				r.fail()
			}
		case "reason":
			if v := d.text(); d.see(seenReason) {
				rec.Reason = intern(v)
			} else {
				r.fail()
			}
		case "flow":
			if d.see(seenFlow) && r.b[r.i] == '{' {
				d.flow(rec)
			} else {
				r.fail()
			}
		default:
			// update_interval and unknown keys: not part of a flow record.
			r.skip()
		}
		if r.bad {
			return false
		}
	}
}

func (d *fastRecord) flow(rec *Record) {
	r := &d.r
	r.i++ // '{'
	for first := true; ; first = false {
		key, ok := d.member(first)
		if !ok {
			return
		}
		switch string(key) {
		case "digest":
			if v := d.text(); d.see(seenDigest) && len(v) > 0 {
				d.digest = v
			} else {
				r.fail()
			}
		case "digest_prev":
			if d.see(seenDigestPrev) {
				d.digestPrev()
			} else {
				r.fail()
			}
		case "local_bytes":
			rec.HasStats = true
			rec.LocalBytes = d.count()
			d.once(seenLocalBytes)
		case "local_packets":
			rec.HasStats = true
			rec.LocalPackets = d.count()
			d.once(seenLocalPackets)
		case "other_bytes":
			rec.HasStats = true
			rec.OtherBytes = d.count()
			d.once(seenOtherBytes)
		case "other_packets":
			rec.HasStats = true
			rec.OtherPackets = d.count()
			d.once(seenOtherPackets)
		case "local_rate":
			rec.HasRates = true
			rec.LocalRate = d.rate()
			d.once(seenLocalRate)
		case "other_rate":
			rec.HasRates = true
			rec.OtherRate = d.rate()
			d.once(seenOtherRate)
		case "total_bytes":
			rec.HasTotals = true
			rec.TotalBytes = d.count()
			d.once(seenTotalBytes)
		case "total_packets":
			rec.HasTotals = true
			rec.TotalPackets = d.count()
			d.once(seenTotalPackets)
		case "detection_packets":
			rec.HasDetectionPackets = true
			rec.DetectionPackets = d.count()
			d.once(seenDetectionPackets)
		case "first_seen_at":
			rec.FirstSeenAtMillis = d.millis()
			d.once(seenFirstSeenAt)
		case "last_seen_at":
			rec.LastSeenAtMillis = d.millis()
			d.once(seenLastSeenAt)
		case "tcp":
			if d.see(seenTCP) && r.b[r.i] == '{' {
				rec.HasTCP = true
				d.tcp(rec)
			} else {
				r.fail()
			}
		case "detected_application", "detected_application_name",
			"detected_protocol", "detected_protocol_name", "category",
			"host_server_name", "ip_protocol", "ip_version", "local_ip",
			"other_ip", "local_port", "other_port", "local_origin",
			"other_type", "vlan_id":
			// Flow metadata (see wireFlow.readJSON): the general reader's.
			r.fail()
		default:
			r.skip()
		}
		if r.bad {
			return
		}
	}
}

// once gives up when the key read last was read before.
func (d *fastRecord) once(bit uint32) {
	if !d.see(bit) {
		d.r.fail()
	}
}

func (d *fastRecord) tcp(rec *Record) {
	r := &d.r
	r.i++ // '{'
	for first := true; ; first = false {
		key, ok := d.member(first)
		if !ok {
			return
		}
		switch string(key) {
		case "resets":
			rec.TCPResets = d.count()
			d.once(seenResets)
		case "retrans":
			rec.TCPRetrans = d.count()
			d.once(seenRetrans)
		case "seq_errors":
			rec.TCPSeqErrors = d.count()
			d.once(seenSeqErrors)
		default:
			r.skip()
		}
		if r.bad {
			return
		}
	}
}

// digestPrev reads an array of at most maxFastPrev plain strings.
func (d *fastRecord) digestPrev() {
	r := &d.r
	if r.b[r.i] != '[' {
		r.fail()
		return
	}
	r.i++
	r.space()
	if r.i < len(r.b) && r.b[r.i] == ']' {
		r.i++
		return
	}
	for !r.bad {
		if r.i >= len(r.b) || d.nprev == maxFastPrev {
			r.fail()
			return
		}
		v := d.text()
		if r.bad || len(v) == 0 {
			r.fail()
			return
		}
		d.prev[d.nprev] = v
		d.nprev++
		r.space()
		if r.i >= len(r.b) {
			r.fail()
			return
		}
		switch r.b[r.i] {
		case ',':
			r.i++
			r.space()
		case ']':
			r.i++
			return
		default:
			r.fail()
		}
	}
}
