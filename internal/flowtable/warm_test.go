package flowtable

import (
	"fmt"
	"testing"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// TestWarmedLookupsFindWhatFindFinds checks the lookups reserve makes with
// the tags warm computed: every record of a batch mixing known digests
// (each of a flow's three), unknown ones and other record types finds the
// flow find finds.
func TestWarmedLookupsFindWhatFindFinds(t *testing.T) {
	const agent = "8a1f0f3e-0000-4000-8000-00000000000a"
	tb := New(Config{MaxFlows: 1000, IdleTimeout: time.Hour})
	fillTable(tb, 500, false)
	var recs []record.Record
	for i := 0; i < 500; i += 7 {
		for k := range 3 {
			recs = append(recs, *stats(fmt.Sprintf("%040x", uint64(i)+uint64(k)<<40), nil, 1, 1))
		}
		recs = append(recs, *stats(fmt.Sprintf("%040x", uint64(i)+5<<40), nil, 1, 1)) // unknown
		recs = append(recs, record.Record{Type: record.TypeAgentStatus})
	}
	id := tb.agents.id(agent)
	if _, err := tb.reserve(id, recs); err != nil {
		t.Fatal(err)
	}
	found := 0
	for i := range recs {
		var want *Flow
		if recs[i].IsFlow() {
			want = tb.find(id, recs[i].Digest)
		}
		if tb.found[i] != want {
			t.Fatalf("record %d (%s): reserve found %p, find %p", i, recs[i].Digest, tb.found[i], want)
		}
		if want != nil {
			found++
		}
	}
	// Of each group of five, the three digests of a known flow.
	if want := 3 * len(recs) / 5; found != want {
		t.Errorf("found %d flows, want %d", found, want)
	}
}
