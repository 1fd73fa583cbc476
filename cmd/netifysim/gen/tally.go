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
}
