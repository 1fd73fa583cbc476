package flowtable

import (
	"hash/maphash"
	"math/bits"
	"strings"
)

// agentID numbers an agent the table holds flows of: a flow keeps four
// bytes instead of a string, and the index hashes no agent name.
type agentID uint32

// noAgent is the id of an agent the table holds no flow of.
const noAgent = ^agentID(0)

// agents interns the names of the agents that have flows in the table. An
// id is freed with the agent's last flow, so the names held are bounded by
// the flows.
type agents struct {
	ids   map[string]agentID
	names []string
	refs  []int
	free  []agentID
}

// id is the agent's id, or noAgent.
func (a *agents) id(name string) agentID {
	if id, ok := a.ids[name]; ok {
		return id
	}
	return noAgent
}

// acquire counts one more flow of the agent and returns its id.
func (a *agents) acquire(name string) agentID {
	id, ok := a.ids[name]
	if !ok {
		name = strings.Clone(name)
		if n := len(a.free); n > 0 {
			id, a.free = a.free[n-1], a.free[:n-1]
			a.names[id], a.refs[id] = name, 0
		} else {
			id = agentID(len(a.names))
			a.names, a.refs = append(a.names, name), append(a.refs, 0)
		}
		if a.ids == nil {
			a.ids = make(map[string]agentID)
		}
		a.ids[name] = id
	}
	a.refs[id]++
	return id
}

// release counts one flow of the agent less, and forgets an agent left
// without flows.
func (a *agents) release(id agentID) {
	if a.refs[id]--; a.refs[id] > 0 {
		return
	}
	delete(a.ids, a.names[id])
	a.names[id] = ""
	a.free = append(a.free, id)
}

func (a *agents) name(id agentID) string { return a.names[id] }

var indexSeed = maphash.MakeSeed()

// agentMix spreads an agent id over the hash, so one digest under two
// agents lands apart.
func agentMix(agent agentID) uint64 {
	return bits.RotateLeft64((uint64(agent)+1)*0x9e3779b97f4a7c15, 31)
}

// hashMask is all ones; tests clear bits of it to make keys collide.
var hashMask = ^uint64(0)

func hashString(agent agentID, d string) uint64 {
	return maphash.String(indexSeed, d)&hashMask ^ agentMix(agent)
}

// hashBytes equals hashString of the same digest.
func hashBytes(agent agentID, d []byte) uint64 {
	return maphash.Bytes(indexSeed, d)&hashMask ^ agentMix(agent)
}

// The index finds a flow by agent and digest. It is keyed by a seeded
// 64-bit hash of the two (see flowIndex), which costs a key 8 bytes where
// the strings cost a hundred; every flow an entry's tag leads to is checked
// against the digests it holds (its ids), so a hash collision never finds
// the wrong flow, and colliding keys are simply held side by side.

// find returns the flow holding (agent, d), or nil.
func (t *Table) find(agent agentID, d string) *Flow {
	if agent == noAgent || t.index.used == 0 {
		return nil
	}
	return t.findTagged(agent, tagOf(hashString(agent, d)), d)
}

// findTagged is find of a digest whose tag is known.
func (t *Table) findTagged(agent agentID, tag uint32, d string) *Flow {
	for i, mask := t.index.home(tag), t.index.mask(); ; i = (i + 1) & mask {
		e := t.index.entries[i]
		if e == 0 {
			return nil
		}
		if uint32(e>>32) == tag {
			if f := t.slab.at(uint32(e) - 1); f.agent == agent && f.ids().holds(d) {
				return f
			}
		}
	}
}

// claim indexes (f.agent, d) to f, unless a flow (f or another) holds it
// already: the first claim wins. It reports whether f got it.
func (t *Table) claim(f *Flow, d string) bool {
	if t.find(f.agent, d) != nil {
		return false
	}
	t.index.insert(tagOf(hashString(f.agent, d)), f.slot)
	return true
}

// unindex removes every key f holds.
func (t *Table) unindex(f *Flow) {
	var buf digestBuf
	ids := f.ids()
	for i := ids.firstAlias(); i < len(ids); {
		var d []byte
		d, i = ids.at(i, &buf)
		t.index.remove(tagOf(hashBytes(f.agent, d)), f.slot)
	}
}

// tagOf is the part of a key's hash the index keeps.
func tagOf(h uint64) uint32 { return uint32(h>>32) ^ uint32(h) }

// flowIndex is an open-addressing hash table (linear probing) of 8-byte
// entries: a key's 32-bit hash tag and the slot (plus one; 0 is an empty
// entry) of the flow in Table.flows. A Go map of uint64 to *Flow costs
// about 25 bytes a key at its average load; this one 8 bytes at a load
// between 3/8 and 3/4. An entry's home is the top bits of its tag, so
// entries move (on growth, on removal) without their digests being hashed
// again.
type flowIndex struct {
	entries []uint64
	used    int
	// shift is 32 minus log2(len(entries)).
	shift uint8
}

const minIndexBits = 4

func (x *flowIndex) mask() uint32           { return uint32(len(x.entries) - 1) }
func (x *flowIndex) home(tag uint32) uint32 { return tag >> x.shift }
func entryOf(tag, slot uint32) uint64       { return uint64(tag)<<32 | uint64(slot+1) }

// insert adds an entry; the key may already be there (for another flow,
// or for the same flow under another digest with the same tag).
func (x *flowIndex) insert(tag, slot uint32) {
	if (x.used+1)*4 > len(x.entries)*3 {
		x.grow()
	}
	mask := x.mask()
	i := x.home(tag)
	for x.entries[i] != 0 {
		i = (i + 1) & mask
	}
	x.entries[i] = entryOf(tag, slot)
	x.used++
}

func (x *flowIndex) grow() {
	bits := minIndexBits
	if len(x.entries) > 0 {
		bits = 32 - int(x.shift) + 1
	}
	old := x.entries
	x.entries = make([]uint64, 1<<bits)
	x.shift = uint8(32 - bits)
	mask := x.mask()
	for _, e := range old {
		if e == 0 {
			continue
		}
		i := x.home(uint32(e >> 32))
		for x.entries[i] != 0 {
			i = (i + 1) & mask
		}
		x.entries[i] = e
	}
}

// remove deletes the entry (tag, slot), which is there, and moves the
// entries after it back, so that no probe stops short of its entry (no
// tombstones: the table does not degrade with churn).
func (x *flowIndex) remove(tag, slot uint32) {
	want := entryOf(tag, slot)
	mask := x.mask()
	i := x.home(tag)
	for x.entries[i] != want {
		if x.entries[i] == 0 {
			return // not there: nothing to remove
		}
		i = (i + 1) & mask
	}
	x.used--
	for j := i; ; {
		j = (j + 1) & mask
		e := x.entries[j]
		if e == 0 {
			x.entries[i] = 0
			return
		}
		// e may fill the hole at i unless its home lies in (i, j]: its
		// probe would then start after the hole.
		h := x.home(uint32(e >> 32))
		if i <= j && (h <= i || h > j) || i > j && h <= i && h > j {
			x.entries[i] = e
			i = j
		}
	}
}
