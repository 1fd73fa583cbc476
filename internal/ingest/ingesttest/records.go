package ingesttest

import "fmt"

// Digest is the digest the inputs' tests give the n-th record, so that a
// sink's Digests tell order, loss and repeats apart.
func Digest(n int) string { return fmt.Sprintf("d%06d", n) }

// DigestRange is Digest(from) to Digest(to), in order.
func DigestRange(from, to int) []string {
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, Digest(n))
	}
	return out
}

// FlowStatsJSON is one flow_stats record (JSON, no newline) whose digest is
// Digest(n) and whose local_bytes delta is n.
func FlowStatsJSON(n int) string {
	return fmt.Sprintf(`{"flow":{"digest":"%s","last_seen_at":1772665318561,"local_bytes":%d,"local_packets":1,"other_bytes":2,"other_packets":1,"total_bytes":100,"total_packets":4},"interface":"lan","internal":false,"type":"flow_stats"}`, Digest(n), n)
}
