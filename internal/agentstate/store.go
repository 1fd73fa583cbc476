// Package agentstate keeps the latest health of each Netify Agent (from
// agent_status) and the per-interface packet counters it reports (from
// interface_stats), summed into cumulative counters, for the receiver to
// emit at each flush. Its memory is bounded: a fixed number of agents, of
// interfaces per agent, and both are forgotten once they stop reporting.
package agentstate // import "github.com/netify-otel/netifyflowstatsreceiver/internal/agentstate"

import (
	"sort"
	"sync"
	"time"

	"github.com/netify-otel/netifyflowstatsreceiver/internal/record"
)

// Config bounds the store.
type Config struct {
	// MaxAgents is the most agents kept; a report of a new agent past it is
	// refused.
	MaxAgents int
	// MaxInterfaces is the most interfaces kept per agent; counters of a new
	// interface past it are ignored.
	MaxInterfaces int
	// Timeout forgets an agent (and an interface) without a report for
	// this long.
	Timeout time.Duration
}

// maxUpdateInterval bounds the update_interval used to date the start of
// the first interval, as the flow table does.
const maxUpdateInterval = time.Hour

// Store holds the agents' state. It is safe for concurrent use.
type Store struct {
	cfg    Config
	mu     sync.Mutex
	agents map[string]*agentEntry
}

type agentEntry struct {
	last   time.Time // receive time of the latest report of any kind
	status *Status
	// interval is the agent's update interval, from its agent_status.
	interval time.Duration
	ifaces   map[string]*Interface
}

// Status is an agent's latest agent_status and the sums the store keeps.
type Status struct {
	record.AgentStatus
	// Received is when the latest agent_status arrived.
	Received time.Time
	// PurgedStart is when the receiver started summing flows_purged;
	// PurgedSum is the sum.
	PurgedStart time.Time
	PurgedSum   uint64
	// CPUStart is when the agent process started, as far as the running
	// CPU totals tell: set from uptime when they are first seen, and again
	// whenever they go down (the agent restarted).
	CPUStart time.Time
}

// Interface is one interface's counters summed since Start.
type Interface struct {
	Name string
	// Start is the start of the first interval the sums cover.
	Start time.Time
	// Last is when the latest counters arrived.
	Last time.Time
	Has  [record.NumInterfaceCounters]bool
	Sums [record.NumInterfaceCounters]uint64
	// Largest frame of the latest interval.
	HasLargest bool
	Largest    uint64
}

// Agent is a copy of one agent's state for emitting.
type Agent struct {
	ID         string
	Status     *Status // nil until the agent's first agent_status
	Interfaces []Interface
}

// New returns an empty store.
func New(cfg Config) *Store {
	return &Store{cfg: cfg, agents: map[string]*agentEntry{}}
}

// Observe takes one agent report received at t. It returns false when the
// agent is new and the store already holds MaxAgents agents.
func (s *Store) Observe(agent string, rep *record.AgentReport, t time.Time) bool {
	if rep == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[agent]
	if !ok {
		if len(s.agents) >= s.cfg.MaxAgents {
			return false
		}
		a = &agentEntry{ifaces: map[string]*Interface{}}
		s.agents[agent] = a
	}
	a.last = t
	if rep.Status != nil {
		a.observeStatus(rep.Status, t)
	}
	for i := range rep.Interfaces {
		a.observeInterface(&rep.Interfaces[i], t, s.cfg.MaxInterfaces)
	}
	return true
}

func (a *agentEntry) observeStatus(st *record.AgentStatus, t time.Time) {
	if st.HasUpdateInterval && st.UpdateInterval > 0 {
		a.interval = time.Duration(min(st.UpdateInterval, maxUpdateInterval.Seconds()) * float64(time.Second))
	}
	prev := a.status
	next := &Status{AgentStatus: *st, Received: t}
	agentStart := t
	if st.HasUptime {
		agentStart = t.Add(-time.Duration(min(st.Uptime, uint64(100*365*24*3600))) * time.Second)
	}
	if prev == nil {
		next.PurgedStart = t.Add(-a.interval)
		next.CPUStart = agentStart
	} else {
		next.PurgedStart, next.PurgedSum = prev.PurgedStart, prev.PurgedSum
		next.CPUStart = prev.CPUStart
		if restarted(&prev.AgentStatus, st) {
			next.CPUStart = agentStart
		} else {
			// Keep figures a report left out, so a series does not
			// flicker; not across a restart, where they would be stale.
			keepMissing(&next.AgentStatus, &prev.AgentStatus)
		}
	}
	if st.HasFlowsPurged {
		next.PurgedSum = satAdd(next.PurgedSum, st.FlowsPurged)
	}
	a.status = next
}

// restarted reports whether the agent restarted between two reports: its
// uptime or a running CPU total went down (they begin again from zero).
func restarted(prev, st *record.AgentStatus) bool {
	return st.HasUptime && prev.HasUptime && st.Uptime < prev.Uptime ||
		st.HasCPUUser && prev.HasCPUUser && st.CPUUser < prev.CPUUser ||
		st.HasCPUSystem && prev.HasCPUSystem && st.CPUSystem < prev.CPUSystem
}

func keepMissing(next, prev *record.AgentStatus) {
	if next.Version == "" {
		next.Version = prev.Version
	}
	keepU := func(has *bool, v *uint64, phas bool, pv uint64) {
		if !*has && phas {
			*has, *v = true, pv
		}
	}
	keepU(&next.HasUptime, &next.Uptime, prev.HasUptime, prev.Uptime)
	keepU(&next.HasFlowCount, &next.FlowCount, prev.HasFlowCount, prev.FlowCount)
	keepU(&next.HasFlowsActive, &next.FlowsActive, prev.HasFlowsActive, prev.FlowsActive)
	keepU(&next.HasCPUCores, &next.CPUCores, prev.HasCPUCores, prev.CPUCores)
	keepU(&next.HasMemRSS, &next.MemRSSKB, prev.HasMemRSS, prev.MemRSSKB)
	keepU(&next.HasMaxRSS, &next.MaxRSSKB, prev.HasMaxRSS, prev.MaxRSSKB)
	keepU(&next.HasTCMalloc, &next.TCMallocKB, prev.HasTCMalloc, prev.TCMallocKB)
	if !next.HasUpdateInterval && prev.HasUpdateInterval {
		next.HasUpdateInterval, next.UpdateInterval = true, prev.UpdateInterval
	}
	if !next.HasCPUUser && prev.HasCPUUser {
		next.HasCPUUser, next.CPUUser = true, prev.CPUUser
	}
	if !next.HasCPUSystem && prev.HasCPUSystem {
		next.HasCPUSystem, next.CPUSystem = true, prev.CPUSystem
	}
}

func (a *agentEntry) observeInterface(st *record.InterfaceStats, t time.Time, maxIfaces int) {
	it, ok := a.ifaces[st.Name]
	if !ok {
		if len(a.ifaces) >= maxIfaces {
			return
		}
		// The first counters cover the interval before them.
		it = &Interface{Name: st.Name, Start: t.Add(-a.interval)}
		a.ifaces[st.Name] = it
	}
	it.Last = t
	for c := range st.Counters {
		if st.Has[c] {
			it.Has[c] = true
			it.Sums[c] = satAdd(it.Sums[c], st.Counters[c])
		}
	}
	if st.HasLargestBytes {
		it.HasLargest, it.Largest = true, st.LargestBytes
	}
}

// Expire forgets agents and interfaces without a report since now minus
// the timeout, and returns how many agents it forgot.
func (s *Store) Expire(now time.Time) int {
	cutoff := now.Add(-s.cfg.Timeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, a := range s.agents {
		if a.last.Before(cutoff) {
			delete(s.agents, id)
			n++
			continue
		}
		for name, it := range a.ifaces {
			if it.Last.Before(cutoff) {
				delete(a.ifaces, name)
			}
		}
	}
	return n
}

// Snapshot copies every agent's state, agents by id and interfaces by name.
func (s *Store) Snapshot() []Agent {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Agent, 0, len(s.agents))
	for id, a := range s.agents {
		ag := Agent{ID: id, Interfaces: make([]Interface, 0, len(a.ifaces))}
		if a.status != nil {
			st := *a.status
			ag.Status = &st
		}
		for _, it := range a.ifaces {
			ag.Interfaces = append(ag.Interfaces, *it)
		}
		sort.Slice(ag.Interfaces, func(i, j int) bool { return ag.Interfaces[i].Name < ag.Interfaces[j].Name })
		out = append(out, ag)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len is the number of agents held.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.agents)
}

// satAdd adds without wrapping: a counter stays at its maximum instead.
func satAdd(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}
