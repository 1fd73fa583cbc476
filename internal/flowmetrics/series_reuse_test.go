package flowmetrics

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// A series is dropped only when no active flow counts toward it, and its
// index is then reused by the next new series. A finished flow that still
// holds the old index must count toward its own key when it comes back,
// never toward the series that reused the index.
func TestFlowBackAfterItsSeriesWasDroppedCountsTowardItsOwnKey(t *testing.T) {
	for name, late := range map[string]record.Record{
		"stats": statsRec("d1", 7, 0),
		"purge": purgeRec("d1", "closed", 7),
		"meta":  metaRec(record.TypeFlow, "d1", "x", 5, 6),
	} {
		t.Run(name, func(t *testing.T) {
			fx := newFixture(t, []ViewConfig{{Name: "iface", GroupBy: []string{"interface"}, Measures: []string{MeasureIO, MeasureFlows}, IdleTimeout: time.Hour}}, 100)
			fx.apply("a", at(0), purgeRec("d1", "closed", 9))
			fx.flush(at(1))
			require.Equal(t, 1, fx.views.Expire(at(3601)))
			// A flow of another key takes the dropped series' index.
			wan := statsRec("d2", 4, 0)
			wan.Interface = "wan"
			fx.apply("a", at(3602), wan)
			fx.flush(at(3603))
			fx.apply("a", at(3604), late)
			md := fx.flush(at(3605))
			tx := map[string]any{"network.interface.name": "wan", "network.io.direction": "transmit"}
			assert.EqualValues(t, 4, value(t, md, "a", "netify.view.iface.io", tx))
			assert.EqualValues(t, 1, value(t, md, "a", "netify.view.iface.flows.active", map[string]any{"network.interface.name": "wan"}))
			if name == "stats" {
				lan := map[string]any{"network.interface.name": "lan", "network.io.direction": "transmit"}
				assert.EqualValues(t, 7, value(t, md, "a", "netify.view.iface.io", lan), "the flow's new life counts toward its own key")
			}
		})
	}
}
