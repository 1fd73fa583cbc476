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

// spillKey is an exact index key.
type spillKey struct {
	agent  agentID
	digest string
}

// The index finds a flow by agent and digest. Table.index is keyed by a
// seeded 64-bit hash of the two, which costs an entry 16 bytes where the
// strings cost a hundred; the flow found is checked against the digests it
// holds (its ids), so a hash collision never finds the wrong flow: a key
// whose hash another key holds goes to Table.spill, keyed exactly. (With a
// random seed, spill stays empty in practice.)

// find returns the flow holding (agent, d), or nil.
func (t *Table) find(agent agentID, d string) *Flow {
	if agent == noAgent {
		return nil
	}
	if f := t.index[hashString(agent, d)]; f != nil && f.agent == agent && f.ids.holds(d) {
		return f
	}
	if len(t.spill) > 0 {
		return t.spill[spillKey{agent, d}]
	}
	return nil
}

// claim indexes (f.agent, d) to f, unless a flow (f or another) holds it
// already: the first claim wins. It reports whether f got it.
func (t *Table) claim(f *Flow, d string) bool {
	h := hashString(f.agent, d)
	g := t.index[h]
	if g != nil && g.agent == f.agent && g.ids.holds(d) {
		return false
	}
	k := spillKey{f.agent, d}
	if _, taken := t.spill[k]; taken {
		return false
	}
	if g == nil {
		t.index[h] = f
		return true
	}
	if t.spill == nil {
		t.spill = make(map[spillKey]*Flow)
	}
	k.digest = strings.Clone(d)
	t.spill[k] = f
	return true
}

// unindex removes every key f holds.
func (t *Table) unindex(f *Flow) {
	var buf digestBuf
	for i := f.ids.firstAlias(); i < len(f.ids); {
		var d []byte
		d, i = f.ids.at(i, &buf)
		// All of f's keys go: an entry of f under this hash is f's
		// whichever of its digests put it there.
		if h := hashBytes(f.agent, d); t.index[h] == f {
			delete(t.index, h)
		}
		if len(t.spill) > 0 {
			k := spillKey{f.agent, string(d)}
			if t.spill[k] == f {
				delete(t.spill, k)
			}
		}
	}
}
