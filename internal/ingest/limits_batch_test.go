package ingest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// TestCheckerRefusesWhatCheckRecordRefuses: over one delivery the checker
// skips interface names that passed already, and refuses every record
// CheckRecord refuses, in any order.
func TestCheckerRefusesWhatCheckRecordRefuses(t *testing.T) {
	ifaces := []string{"eth0", "eth0", "bad\nname", "eth0", "", strings.Repeat("i", MaxInterfaceLen+1), "br-lan", "bad\nname", "bad\nname", "eth0"}
	var c recordChecker
	for _, iface := range ifaces {
		r := flow(func(r *record.Record) { r.Interface = iface })
		want := CheckRecord(&r)
		got := c.check(&r)
		if want == nil {
			assert.NoError(t, got, iface)
		} else {
			assert.EqualError(t, got, want.Error(), iface)
		}
	}
	// And a refused name is refused again.
	r := flow(func(r *record.Record) { r.Interface = "bad\nname" })
	assert.Error(t, c.check(&r))
}
