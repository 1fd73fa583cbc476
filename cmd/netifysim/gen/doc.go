// Package gen simulates the record stream of one or many Netify Agents
// (v5.2 style core plugin, stream-flows and agent_status), deterministically
// for a seed, so that the netifysim command, unit tests and benchmarks elsewhere
// in the repository all see the same records.
//
// Usage:
//
//	g, err := gen.New(gen.Config{Seed: 1, Agents: 2, Flows: 50, Interval: 15 * time.Second})
//	for now := start; ; now = now.Add(cfg.Interval) {
//		for _, rec := range g.Tick(now) { // every agent's records of one update interval
//			b, _ := rec.Encode(gen.FormatJSON)
//			...
//		}
//	}
//
// Each Agent can also be ticked on its own (Generator.Agents), which is how the
// command gives every simulated agent its own transport. Records(cfg, start, n)
// and Stream(cfg, start, n) return n intervals on a virtual clock in one call.
//
// A Tally sums what a set of records carries (the ground truth an end-to-end
// test compares a receiver's output with); Views splits the same sums by the
// keys of the receiver's default views (interface, application, protocol)
// with the receiver's attribution rule.
//
// Flows carry consistent metadata: a fixed set of applications (ids, names,
// categories, host names) per protocol profile (HTTP/S, QUIC, HTTP, DNS, NTP,
// SSH, ICMP/ICMPv6, STUN, BitTorrent), ip_protocol matching the protocol,
// documentation addresses for remote ends and private LAN addresses for local
// ones. A flow's `flow` record says application id 0 (netify.unknown) and,
// for some protocols, protocol id 0 (Unknown); DPI records then name them,
// and some applications show as another one at flow_dpi_update before
// flow_dpi_complete settles them. Config.Apps adds synthetic applications
// with host names of their own for high-cardinality runs.
//
// Shapes follow the agent's documented records: see the repository's notes on
// the Netify record format. Keys are emitted sorted, as the agent does.
package gen
