package gen

// Tally sums records the way a receiver must: per-interval deltas of
// flow_stats and flow_purge records (DPI records repeat pending deltas and are
// not summed), and a count of records per type.
type Tally struct {
	// Records counts records by "type".
	Records map[string]int64 `json:"records"`
	// RecordsTotal is the sum of Records.
	RecordsTotal int64 `json:"records_total"`

	// Delta is the sum of the counted records' deltas.
	Delta

	// Interface sums the counters of interface_stats records.
	Interface InterfaceCounts `json:"interface"`
}

// InterfaceCounts are the interface_stats counters a receiver should sum:
// the agent reports them per update interval.
type InterfaceCounts struct {
	Packets        uint64 `json:"packets"`         // raw
	WireBytes      uint64 `json:"wire_bytes"`      // wire_bytes
	TCPResets      uint64 `json:"tcp_resets"`      // tcp_resets
	CaptureDropped uint64 `json:"capture_dropped"` // capture_dropped
}

// Add adds o to c.
func (c *InterfaceCounts) Add(o InterfaceCounts) {
	c.Packets += o.Packets
	c.WireBytes += o.WireBytes
	c.TCPResets += o.TCPResets
	c.CaptureDropped += o.CaptureDropped
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
	t.Interface.Add(r.Iface)
	if !CountsDeltas(r.Type) {
		return
	}
	t.Delta.Add(r.Delta)
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
	t.Delta.Add(o.Delta)
	t.Interface.Add(o.Interface)
}
