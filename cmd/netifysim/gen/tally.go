package gen

// Tally sums records the way a receiver must: per-interval deltas of
// flow_stats and flow_purge records (DPI records repeat pending deltas and are
// not summed), and a count of records per type.
type Tally struct {
	// Records counts records by "type".
	Records map[string]int64 `json:"records"`
	// RecordsTotal is the sum of Records.
	RecordsTotal int64 `json:"records_total"`

	LocalBytes   uint64 `json:"local_bytes"`
	OtherBytes   uint64 `json:"other_bytes"`
	LocalPackets uint64 `json:"local_packets"`
	OtherPackets uint64 `json:"other_packets"`
	TCPResets    uint64 `json:"tcp_resets"`
	TCPRetrans   uint64 `json:"tcp_retrans"`
	TCPSeqErrors uint64 `json:"tcp_seq_errors"`
}

// CountsDeltas reports whether a record type's deltas belong in the sums.
func CountsDeltas(recordType string) bool {
	return recordType == TypeFlowStats || recordType == TypeFlowPurge
}

// Add counts r.
func (t *Tally) Add(r *Record) {
	if t.Records == nil {
		t.Records = map[string]int64{}
	}
	t.Records[r.Type]++
	t.RecordsTotal++
	if !CountsDeltas(r.Type) {
		return
	}
	t.addDelta(r.Delta)
}

func (t *Tally) addDelta(d Delta) {
	t.LocalBytes += d.LocalBytes
	t.OtherBytes += d.OtherBytes
	t.LocalPackets += d.LocalPackets
	t.OtherPackets += d.OtherPackets
	t.TCPResets += d.TCPResets
	t.TCPRetrans += d.TCPRetrans
	t.TCPSeqErrors += d.TCPSeqErrors
}

// Merge adds everything o counted.
func (t *Tally) Merge(o Tally) {
	if t.Records == nil {
		t.Records = map[string]int64{}
	}
	for k, v := range o.Records {
		t.Records[k] += v
	}
	t.RecordsTotal += o.RecordsTotal
	t.addDelta(Delta{
		LocalBytes: o.LocalBytes, OtherBytes: o.OtherBytes,
		LocalPackets: o.LocalPackets, OtherPackets: o.OtherPackets,
		TCPResets: o.TCPResets, TCPRetrans: o.TCPRetrans, TCPSeqErrors: o.TCPSeqErrors,
	})
}
