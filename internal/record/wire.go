package record

// wireRecord is one record as read off the wire, before validation. The JSON
// and msgpack readers fill it field by field; the value types implement
// json.Unmarshaler.
type wireRecord struct {
	Type      typeName
	Interface str
	Internal  flexBool
	Reason    str
	// Flow is held by value (hasFlow says it was read) so that decoding a
	// record allocates nothing beyond the strings it keeps.
	hasFlow bool
	Flow    wireFlow
	// UpdateInterval is agent_status's update_interval, in seconds.
	UpdateInterval num

	// shape is the first object-valued field that held something else
	// (path "" when the record itself was not an object).
	shape *fieldError
}

type wireFlow struct {
	Digest           str
	DigestPrev       strList
	LocalBytes       num
	LocalPackets     num
	OtherBytes       num
	OtherPackets     num
	LocalRate        num
	OtherRate        num
	TotalBytes       num
	TotalPackets     num
	DetectionPackets num
	FirstSeenAt      num
	LastSeenAt       num
	hasTCP           bool
	TCP              wireTCP
	Meta             wireMeta
	// digestLit is Digest not yet copied: a view of the input, valid only
	// while the record is decoded (see joinDigests).
	digestLit []byte
	// ar, when set, is where joinDigests copies the digests to.
	ar *digestArena
}

type wireTCP struct {
	Resets    num
	Retrans   num
	SeqErrors num
}

// typeName is the record type, interned to the package's constants.
type typeName struct{ str }

// build validates the wire record and returns the Record. Records of types
// other than the per-flow ones are returned with only Type set: the sink
// skips and counts them, so their content is not checked.
func (w *wireRecord) build() (Record, error) {
	if w.shape != nil && w.shape.path == "" {
		return Record{}, w.shape
	}
	t, err := w.Type.required("type")
	if err != nil {
		return Record{}, err
	}
	r := Record{Type: t}
	if !r.IsFlow() {
		if t == TypeAgentStatus {
			// Best effort: a bad value only loses the series-start hint.
			r.UpdateIntervalSeconds, _ = w.UpdateInterval.counter("update_interval")
		}
		return r, nil
	}
	if w.shape != nil {
		return Record{}, w.shape
	}
	if !w.hasFlow {
		return Record{}, missing("flow")
	}
	if err := w.fill(&r); err != nil {
		return Record{}, err
	}
	return r, nil
}

// fill copies the validated fields of a per-flow record into r; the first
// bad field is the error.
func (w *wireRecord) fill(r *Record) (err error) {
	f := &w.Flow
	f.joinDigests()
	if r.Digest, err = f.Digest.required("flow.digest"); err != nil {
		return err
	}
	if !validDigest(r.Digest) {
		return checkDigest("flow.digest", r.Digest)
	}
	// Too many entries is the first problem to name: the decoder kept only
	// MaxDigestPrev of them.
	if err = checkDigestPrevLen("flow.digest_prev", f.DigestPrev.n); err != nil {
		return err
	}
	if r.DigestPrev, err = f.DigestPrev.get("flow.digest_prev"); err != nil {
		return err
	}
	for _, d := range r.DigestPrev {
		if !validDigest(d) { // checkDigestPrev builds each entry's path: only on failure
			if err = checkDigestPrev("flow.digest_prev", r.DigestPrev); err != nil {
				return err
			}
		}
	}
	r.HasInterface = w.Interface.present()
	if r.Interface, err = w.Interface.get("interface"); err != nil {
		return err
	}
	if err = checkInterface("interface", r.Interface); err != nil {
		return err
	}
	r.HasInternal = w.Internal.present()
	if r.Internal, err = w.Internal.get("internal"); err != nil {
		return err
	}
	if r.Reason, err = w.Reason.get("reason"); err != nil {
		return err
	}

	r.HasStats = f.LocalBytes.present() || f.LocalPackets.present() ||
		f.OtherBytes.present() || f.OtherPackets.present()
	if r.LocalBytes, err = f.LocalBytes.counter("flow.local_bytes"); err != nil {
		return err
	}
	if r.LocalPackets, err = f.LocalPackets.counter("flow.local_packets"); err != nil {
		return err
	}
	if r.OtherBytes, err = f.OtherBytes.counter("flow.other_bytes"); err != nil {
		return err
	}
	if r.OtherPackets, err = f.OtherPackets.counter("flow.other_packets"); err != nil {
		return err
	}

	r.HasRates = f.LocalRate.present() || f.OtherRate.present()
	if r.LocalRate, err = f.LocalRate.rate("flow.local_rate"); err != nil {
		return err
	}
	if r.OtherRate, err = f.OtherRate.rate("flow.other_rate"); err != nil {
		return err
	}

	r.HasTotals = f.TotalBytes.present() || f.TotalPackets.present()
	if r.TotalBytes, err = f.TotalBytes.counter("flow.total_bytes"); err != nil {
		return err
	}
	if r.TotalPackets, err = f.TotalPackets.counter("flow.total_packets"); err != nil {
		return err
	}

	r.HasDetectionPackets = f.DetectionPackets.present()
	if r.DetectionPackets, err = f.DetectionPackets.counter("flow.detection_packets"); err != nil {
		return err
	}
	if r.FirstSeenAtMillis, err = f.FirstSeenAt.millis("flow.first_seen_at"); err != nil {
		return err
	}
	if r.LastSeenAtMillis, err = f.LastSeenAt.millis("flow.last_seen_at"); err != nil {
		return err
	}

	if r.HasMeta = f.Meta.present(); r.HasMeta {
		if err = f.Meta.fill(&r.Meta); err != nil {
			return err
		}
	}

	if f.hasTCP {
		t := &f.TCP
		r.HasTCP = true
		if r.TCPResets, err = t.Resets.counter("flow.tcp.resets"); err != nil {
			return err
		}
		if r.TCPRetrans, err = t.Retrans.counter("flow.tcp.retrans"); err != nil {
			return err
		}
		if r.TCPSeqErrors, err = t.SeqErrors.counter("flow.tcp.seq_errors"); err != nil {
			return err
		}
	}
	return nil
}

// joinDigests copies the digest and the digest_prev entries still held as
// views of the input into one new string: two allocations (the string and
// the list) for all of them.
func (f *wireFlow) joinDigests() {
	l := &f.DigestPrev
	switch {
	case f.digestLit == nil:
		return // digest_prev, if any, copies its own
	case l.litN == 0 || l.kind == wrongType:
		f.Digest.set(f.ar.str(f.digestLit))
	default:
		var buf [8][]byte
		strs := joinStrings(l.aliases(append(buf[:0], f.digestLit)), f.ar)
		f.Digest.set(strs[0])
		l.v, l.litN, l.litMore = strs[1:], 0, nil
	}
	f.digestLit = nil
}
