package netifyflowstatsreceiver

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestBatchCountsTalliesPairsInFirstSeenOrder: records of interleaved types
// and outcomes are tallied per pair, in the order the pairs first appear,
// past the pairs the array holds; unknown types count as "other".
func TestBatchCountsTalliesPairsInFirstSeenOrder(t *testing.T) {
	var c batchCounts
	types := []string{"flow", "flow_stats", "flow_purge", "flow_dpi_update", "flow_dpi_complete", "agent_status", "interface_stats", ""}
	for round := range 3 {
		for _, typ := range types {
			c.add(typ, outcomeAccepted)
			c.add(typ, outcomeDuplicate)
		}
		c.add(fmt.Sprintf("made-up-%d", round), outcomeSkipped)
	}
	c.add("flow_stats", outcomeAccepted)

	var got []string
	c.each(func(typ, outcome string, n int) { got = append(got, fmt.Sprintf("%s/%s=%d", typ, outcome, n)) })
	var want []string
	for _, typ := range types {
		n := 3
		if typ == "flow_stats" {
			n = 4
		}
		want = append(want, fmt.Sprintf("%s/%s=%d", typ, outcomeAccepted, n), fmt.Sprintf("%s/%s=%d", typ, outcomeDuplicate, 3))
	}
	want = append(want, "other/skipped=3")
	assert.Equal(t, want, got)
}
