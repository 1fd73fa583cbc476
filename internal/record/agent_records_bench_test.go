package record

import "testing"

// BenchmarkDecodeAgentRecords: an agent sends one agent_status and one
// interface_stats per update interval, so their generic decoding must only
// stay small next to the flow records of the same interval.
func BenchmarkDecodeAgentRecords(b *testing.B) {
	for _, bc := range []struct {
		name, body string
	}{{"agent_status", agentStatusV5}, {"interface_stats", interfaceStatsV5}} {
		body := []byte(bc.body)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, errs := Decode(body, "application/json"); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		})
	}
}
