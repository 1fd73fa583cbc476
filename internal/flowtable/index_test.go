package flowtable

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

func TestIDsGiveBackEachDigestAsSent(t *testing.T) {
	digests := []string{
		"9a1e0c55d2b34f7e8a6b1c2d3e4f5a6b7c8d9e0f", // packed
		"9A1E0C55D2B34F7E8A6B1C2D3E4F5A6B7C8D9E0F", // uppercase: kept raw
		"abc",                    // odd length: raw
		"tuple",                  // not hex
		strings.Repeat("f", 64),  // the longest the inputs take
		strings.Repeat("x", 300), // longer than a varint byte
		"00",
	}
	for _, stable := range digests {
		s := newIDs(stable)
		assert.Equal(t, stable, s.stable())
		assert.Equal(t, 0, s.count(), "the stable digest is not indexed yet")
		assert.False(t, s.holds(stable))
		s = s.with(stable, true)
		for _, d := range digests {
			if d != stable {
				s = s.with(d, false)
			}
		}
		assert.Equal(t, stable, s.stable())
		assert.Equal(t, len(digests), s.count())
		var got []string
		var buf digestBuf
		for i := s.firstAlias(); i < len(s); {
			var d []byte
			d, i = s.at(i, &buf)
			got = append(got, string(d))
		}
		assert.ElementsMatch(t, digests, got)
		for _, d := range digests {
			assert.True(t, s.holds(d), d)
			assert.Equal(t, d == stable, s.isStable(d))
		}
		for _, d := range []string{"9a1e0c55d2b34f7e8a6b1c2d3e4f5a6b7c8d9e0", "ABC", "0", "tuplf", ""} {
			assert.False(t, s.holds(d), d)
		}
	}
}

// runIndexScenario drives a small table through new flows with several
// digests, lookups by each, evictions and expiry, under two agents, and
// returns every outcome and point.
func runIndexScenario(t *testing.T) (string, *Table) {
	tb := New(Config{MaxFlows: 8, IdleTimeout: time.Minute, PerFlow: true})
	var log strings.Builder
	out := make([]Outcome, 1)
	for round := 0; round < 3; round++ {
		for i := 0; i < 12; i++ {
			for _, agent := range []string{"a", "b"} {
				tuple := fmt.Sprintf("%040x", i)
				r := stats(fmt.Sprintf("%040x", uint64(i)+1<<40), []string{tuple, fmt.Sprintf("D%d", i)}, uint64(i+1), 1)
				r.LastSeenAtMillis = int64(round*100 + i + 1)
				err := tb.ApplyBatch(agent, []record.Record{*r}, at(round*10+i/4), true, out)
				fmt.Fprintln(&log, agent, i, out[0], err)
				// A later record known by its DPI digest alone.
				r2 := stats(fmt.Sprintf("D%d", i), nil, 1, 1)
				r2.LastSeenAtMillis = r.LastSeenAtMillis + 1
				err = tb.ApplyBatch(agent, []record.Record{*r2}, at(round*10+i/4), true, out)
				fmt.Fprintln(&log, agent, i, "dpi", out[0], err)
			}
			if i%4 == 3 {
				tb.BeginFlush(at(round*10 + i/4))
				s := tb.Snapshot(0)
				for _, p := range s.Points {
					fmt.Fprintln(&log, p.Agent, p.Digest, p.Sum.LocalBytes, p.Final)
				}
				tb.Commit(s)
			}
		}
		fmt.Fprintln(&log, "expired", tb.Expire(at(round*10+100)))
	}
	return log.String(), tb
}

func TestIndexCollisionsNeverFindTheWrongFlow(t *testing.T) {
	want, tb := runIndexScenario(t)
	assert.Zero(t, tb.index.used)

	// Every digest of an agent under one hash: all its keys share one tag
	// and one probe sequence, and the table behaves the same.
	hashMask = 0
	defer func() { hashMask = ^uint64(0) }()
	got, tb := runIndexScenario(t)
	assert.Equal(t, want, got)

	require.NotEmpty(t, got)
	assert.Contains(t, got, "a 0000000000000000000000000000000000000000 2 false")
	// The last round's flows expired: nothing is left behind.
	assert.Zero(t, tb.Len())
	assert.Zero(t, tb.index.used)
	assert.Empty(t, slices.DeleteFunc(tb.index.entries, func(e uint64) bool { return e == 0 }))
	assert.Zero(t, tb.slab.len(), "every slot is free")
	assert.Empty(t, tb.agents.ids)
}

func TestCollidingKeysAreHeldSideBySide(t *testing.T) {
	hashMask = 0
	defer func() { hashMask = ^uint64(0) }()
	tb := newTable(10)
	apply(t, tb, "a", stats("d1", []string{"t1"}, 1, 0), at(0))
	apply(t, tb, "a", stats("d2", []string{"t2"}, 2, 0), at(1))
	assert.Equal(t, 4, tb.index.used)
	tags := map[uint64]int{}
	for _, e := range tb.index.entries {
		if e != 0 {
			tags[e>>32]++
		}
	}
	assert.Len(t, tags, 1, "one tag for every key")
	assert.Equal(t, 2, tb.Len())
	assert.Equal(t, "t2", tb.find(tb.agents.id("a"), "d2").Digest())
	assert.Equal(t, "t1", tb.find(tb.agents.id("a"), "d1").Digest())
	assert.Nil(t, tb.find(tb.agents.id("a"), "d3"))
	assert.Nil(t, tb.find(tb.agents.id("b"), "d1"))

	// The first flow's keys go; the second's, behind them in the probe
	// sequence, are still found.
	tb.BeginFlush(at(2))
	tb.Commit(tb.Snapshot(0))
	assert.Equal(t, 1, tb.Expire(at(60)))
	assert.Equal(t, 2, tb.index.used)
	assert.Nil(t, tb.find(tb.agents.id("a"), "d1"))
	assert.Equal(t, "t2", tb.find(tb.agents.id("a"), "t2").Digest())
	assert.Equal(t, "t2", tb.find(tb.agents.id("a"), "d2").Digest())
}

// TestFlowIndexAgainstAMap inserts and removes entries at random, with
// few distinct tags (long probe sequences, wrapping around the end), and
// checks after each step that every entry is reached from its home.
func TestFlowIndexAgainstAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var x flowIndex
	want := map[uint64]int{}
	for step := 0; step < 20000; step++ {
		tag := uint32(rng.IntN(8)) << 29 // homes at 8 spots of the table
		tag |= uint32(rng.IntN(4))
		slot := uint32(rng.IntN(64))
		e := entryOf(tag, slot)
		if want[e] > 0 && rng.IntN(2) == 0 {
			x.remove(tag, slot)
			want[e]--
		} else if x.used < 3000 {
			x.insert(tag, slot)
			want[e]++
		}
		if step%97 != 0 {
			continue
		}
		got := map[uint64]int{}
		// run[i]: how many entries in a row end at i (the table wraps), so
		// that "no empty entry between its home and it" is one compare.
		n := len(x.entries)
		run := make([]int, n)
		for pass := 0; pass < 2; pass++ {
			for i, e := range x.entries {
				if e != 0 {
					run[i] = min(run[(i+n-1)%n]+1, n)
				}
			}
		}
		for i, e := range x.entries {
			if e == 0 {
				continue
			}
			got[e]++
			if dist := (uint32(i) - x.home(uint32(e>>32))) & x.mask(); int(dist) >= run[i] {
				t.Fatalf("entry %x at %d is cut off from its home %d", e, i, x.home(uint32(e>>32)))
			}
		}
		for k, n := range want {
			if n == 0 {
				delete(want, k)
			}
		}
		require.Equal(t, want, got)
		require.Equal(t, x.used, len(slices.DeleteFunc(slices.Clone(x.entries), func(e uint64) bool { return e == 0 })))
	}
}

// FuzzIDsRoundTrip: whatever digests a flow is known under, its packed ids
// give each back exactly, and hold no other.
func FuzzIDsRoundTrip(f *testing.F) {
	f.Add("9a1e0c55d2b34f7e8a6b1c2d3e4f5a6b7c8d9e0f", "0f1e2d3c4b5a69788796a5b4c3d2e1f001234567", "ab")
	f.Add("ABCDEF", "abcdef", "abcde")
	f.Add("tuple", "", "\x00\xff")
	f.Fuzz(func(t *testing.T, stable, a, b string) {
		s := newIDs(stable)
		if got := s.stable(); got != stable {
			t.Fatalf("stable %q came back as %q", stable, got)
		}
		held := map[string]bool{}
		var order []string
		for _, d := range []string{a, b, stable} {
			if d == "" || held[d] {
				continue
			}
			s = s.with(d, s.isStable(d))
			var fl Flow
			fl.initIDs(stable)
			for _, e := range order {
				fl.addID(e, fl.ids().isStable(e))
			}
			held[d] = true
			order = append(order, d)
			// A flow's ids, inline or in its extra, are the same bytes.
			fl.addID(d, fl.ids().isStable(d))
			if fl.ids() != s {
				t.Fatalf("flow holds %q, want %q", fl.ids(), s)
			}
		}
		if s.stable() != stable || s.count() != len(held) {
			t.Fatalf("stable %q, count %d, want %q, %d", s.stable(), s.count(), stable, len(held))
		}
		for _, d := range []string{a, b, stable, a + "0", strings.ToUpper(a), strings.TrimSuffix(b, "0")} {
			if s.holds(d) != held[d] {
				t.Fatalf("holds(%q) = %v, want %v", d, s.holds(d), held[d])
			}
		}
	})
}
