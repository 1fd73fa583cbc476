package flowtable

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestInternerCountsHolders(t *testing.T) {
	var in interner[string]
	assert.Zero(t, in.acquire(""), "the zero value is id 0")
	a := in.acquire("a")
	assert.Equal(t, a, in.acquire("a"))
	b := in.acquire("b")
	assert.NotEqual(t, a, b)
	assert.Equal(t, 2, in.size())

	in.release(a)
	assert.Equal(t, "a", in.value(a), "one holder left")
	in.release(a)
	assert.Equal(t, 1, in.size())
	c := in.acquire("c")
	assert.Equal(t, a, c, "the freed id is reused")
	assert.Equal(t, "c", in.value(c))
	assert.Equal(t, "b", in.value(b))
	assert.Equal(t, "", in.value(0))
}

// A table holds its flows' attributes and addresses while it holds the
// flows, and gives them back with them: a flow whose address changes
// releases the old one.
func TestTableReleasesWhatItInterned(t *testing.T) {
	baseAddrs, baseShared := addrs.size(), sharedAttrs.size()
	tb := New(Config{MaxFlows: 1000, IdleTimeout: time.Minute})
	fillTable(tb, 100, false) // 100 local addresses, 5 remote ones
	assert.Equal(t, baseAddrs+105, addrs.size())
	assert.Equal(t, baseShared+1, sharedAttrs.size())

	// Flow 0 moves to another remote address (203.0.0.0 is still
	// flows 1-19's) and to another application.
	r := record.Record{Type: record.TypeFlow, Digest: "0000000000000000000000000000000000000000", HasMeta: true,
		Meta: record.Meta{ApplicationName: "netify.other", ApplicationID: 11, OtherIP: netip.MustParseAddr("198.51.100.7")}}
	require.NoError(t, tb.ApplyBatch("8a1f0f3e-0000-4000-8000-00000000000a", []record.Record{r}, t0, false, make([]Outcome, 1)))
	f := tb.find(tb.agents.id("8a1f0f3e-0000-4000-8000-00000000000a"), r.Digest)
	require.NotNil(t, f)
	a := f.Attrs()
	assert.Equal(t, "198.51.100.7", a.Meta.OtherAddr.String())
	assert.Equal(t, "192.168.1.0", a.Meta.LocalAddr.String())
	assert.Equal(t, "netify.other", a.Meta.ApplicationName())
	assert.Equal(t, "www.youtube.com", a.Meta.HostName())
	assert.Equal(t, baseAddrs+106, addrs.size())
	assert.Equal(t, baseShared+2, sharedAttrs.size())

	assert.Equal(t, 100, tb.Expire(t0.Add(time.Hour)))
	assert.Equal(t, baseAddrs, addrs.size())
	assert.Equal(t, baseShared, sharedAttrs.size())
}
