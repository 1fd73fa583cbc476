package gen

import (
	"testing"
	"time"
)

func BenchmarkTick(b *testing.B) {
	g, err := New(Config{Seed: 1, Agents: 4, Flows: 250})
	if err != nil {
		b.Fatal(err)
	}
	now := testStart
	records := 0
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(15 * time.Second)
		for _, r := range g.Tick(now) {
			_ = r.JSON()
			records++
		}
	}
	b.ReportMetric(float64(records)/float64(b.N), "records/op")
}
