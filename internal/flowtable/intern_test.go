package flowtable

import (
	"fmt"
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

func interned(tb *Table, a netip.Addr) bool {
	_, ok := tb.slab.interned.addrs.ids[a]
	return ok
}

// fillOwnAddrs makes n flows from local addresses only this test uses
// (10.<net>.0.i) to one remote address (10.<net>.255.255).
func fillOwnAddrs(t *testing.T, tb *Table, net byte, n int) {
	for i := range n {
		r := record.Record{Type: record.TypeFlow, Digest: fmt.Sprintf("%040x", i), HasMeta: true,
			Meta: record.Meta{ApplicationName: fmt.Sprint("app-", net), ApplicationID: 1,
				LocalIP: netip.AddrFrom4([4]byte{10, net, 0, byte(i)}), OtherIP: netip.AddrFrom4([4]byte{10, net, 255, 255})}}
		require.NoError(t, tb.ApplyBatch("a", []record.Record{r}, t0, false, make([]Outcome, 1)))
	}
}

// A table holds its flows' attributes and addresses while it holds the
// flows, and gives them back with them: a flow whose address changes
// releases the old one.
func TestTableReleasesWhatItInterned(t *testing.T) {
	tb := New(Config{MaxFlows: 1000, IdleTimeout: time.Minute})
	fillOwnAddrs(t, tb, 201, 3)
	remote := netip.MustParseAddr("10.201.255.255")
	for i := range 3 {
		assert.True(t, interned(tb, netip.AddrFrom4([4]byte{10, 201, 0, byte(i)})))
	}
	assert.True(t, interned(tb, remote))

	// Flow 0 moves to another remote address (the old one is still flows
	// 1 and 2's) and another application; flow 1 to another local one.
	moved := netip.MustParseAddr("10.201.255.1")
	r := record.Record{Type: record.TypeFlow, Digest: fmt.Sprintf("%040x", 0), HasMeta: true,
		Meta: record.Meta{ApplicationName: "netify.other", ApplicationID: 11, OtherIP: moved}}
	r2 := record.Record{Type: record.TypeFlow, Digest: fmt.Sprintf("%040x", 1), HasMeta: true,
		Meta: record.Meta{LocalIP: netip.MustParseAddr("10.201.1.1")}}
	require.NoError(t, tb.ApplyBatch("a", []record.Record{r, r2}, t0, false, make([]Outcome, 2)))
	f := tb.find(tb.agents.id("a"), r.Digest)
	require.NotNil(t, f)
	a := (&Update{Flow: f, slab: &tb.slab}).Attrs()
	assert.Equal(t, moved, a.Meta.OtherAddr)
	assert.Equal(t, "10.201.0.0", a.Meta.LocalAddr.String())
	assert.Equal(t, "netify.other", a.Meta.ApplicationName())
	assert.True(t, interned(tb, remote))
	assert.False(t, interned(tb, netip.MustParseAddr("10.201.0.1")), "flow 1's old local address")
	assert.True(t, interned(tb, netip.MustParseAddr("10.201.1.1")))

	assert.Equal(t, 3, tb.Expire(t0.Add(time.Hour)))
	for _, s := range []string{"10.201.0.0", "10.201.0.2", "10.201.1.1", "10.201.255.255", "10.201.255.1"} {
		assert.False(t, interned(tb, netip.MustParseAddr(s)), s)
	}
}

// Each table interns on its own: the same address in two tables is two
// entries, and one table's flows ending leaves the other's alone.
func TestTablesInternOnTheirOwn(t *testing.T) {
	tb := New(Config{MaxFlows: 1000, IdleTimeout: time.Minute})
	other := New(Config{MaxFlows: 1000, IdleTimeout: time.Minute})
	fillOwnAddrs(t, tb, 202, 5)
	fillOwnAddrs(t, other, 202, 2)
	remote := netip.MustParseAddr("10.202.255.255")
	require.True(t, interned(tb, remote))
	require.True(t, interned(other, remote))
	assert.Equal(t, 5, tb.Expire(t0.Add(time.Hour)))
	assert.False(t, interned(tb, remote))
	assert.True(t, interned(other, remote))
	assert.True(t, interned(other, netip.MustParseAddr("10.202.0.1")))
	assert.Zero(t, tb.slab.interned.shared.size())
	assert.Equal(t, 1, other.slab.interned.shared.size())
}
