package main

import "github.com/netify-otel/netifyflowstatsreceiver/cmd/netifysim/gen"

// Summary is the ground truth netifysim prints to stderr on exit and writes to
// -summary FILE, for end-to-end tests to compare with what a receiver made of
// the stream. Its JSON shape:
//
//	{
//	  "seed": 1, "mode": "http", "format": "json", "gzip": false,
//	  "interval": "200ms", "digest_len": 40, "flows_per_agent": 10,
//	  "agents": [
//	    {
//	      "agent_id": "6f1c...-...",   // uuid_agent: header, URL, topic or socket
//	      "target": "http://127.0.0.1:8080/netify/6f1c...", // URL, socket, topic or "stdout"
//	      "intervals": 10,             // update intervals generated
//	      "flows_started": 31,         // flows created (number of flows)
//	      "flows_purged": 21,          // flows ended with a flow_purge
//	      "generated": TALLY,          // every record produced
//	      "delivered": TALLY,          // HTTP 200, publish acknowledged, written to >= 1 socket client or stdout
//	      "failed":    TALLY,          // HTTP non-200 or error, publish error, every socket write failed
//	      "dropped":   TALLY,          // socket mode: no client was connected
//	      "views": VIEWS               // truth per view key, over the delivered records
//	    }
//	  ],
//	  "total": {"generated": TALLY, "delivered": TALLY, "failed": TALLY, "dropped": TALLY}
//	}
//
// TALLY is gen.Tally:
//
//	{
//	  "records": {"agent_status": 10, "flow": 25, "flow_dpi_complete": 22,
//	              "flow_dpi_update": 20, "flow_purge": 21, "flow_stats": 80},
//	  "records_total": 178,
//	  "local_bytes": 0, "other_bytes": 0, "local_packets": 0, "other_packets": 0,
//	  "tcp_resets": 0, "tcp_retrans": 0, "tcp_seq_errors": 0,
//	  "interface": {"packets": 0, "wire_bytes": 0, "tcp_resets": 0, "capture_dropped": 0}
//	}
//
// The byte, packet and tcp sums are exact sums of the per-interval deltas of
// flow_stats and flow_purge records only; flow_dpi_* records repeat pending
// deltas and are excluded, as a receiver must exclude them. "records" holds
// only the types that occurred. "interface" sums the interface_stats
// records (per-interval counters; -interface-stats, on by default). For every agent and every field,
// generated = delivered + failed + dropped.
//
// VIEWS holds, for each of the receiver's default views (interface,
// application, protocol), one entry per key, sorted by the key's values:
//
//	{
//	  "interface":   [{"key": {"netify.flow.internal": "false", "network.interface.name": "lan"}, ...}],
//	  "application": [{"key": {"netify.application.name": "netify.youtube"},
//	                   "local_bytes": 120, "other_bytes": 98000, "local_packets": 4, "other_packets": 77,
//	                   "tcp_resets": 0, "tcp_retrans": 2, "tcp_seq_errors": 0,
//	                   "flows_started": 3, "flows_ended": {"closed": 1, "expired": 1}, "flows_active": 1}],
//	  "protocol":    [{"key": {"netify.protocol.name": "QUIC", "network.transport": "udp"}, ...}]
//	}
//
// Key values are strings (internal is "true" or "false"); the attribution
// rule is gen.Views'. Per agent and view, the keys' sums equal the
// delivered tally's, flows_started adds up to the flows the receiver saw
// and started = ended + active. A key with nothing to count is left out.
type Summary struct {
	Seed          uint64         `json:"seed"`
	Mode          string         `json:"mode"`
	Format        string         `json:"format"`
	Gzip          bool           `json:"gzip"`
	Interval      string         `json:"interval"`
	DigestLen     int            `json:"digest_len"`
	FlowsPerAgent int            `json:"flows_per_agent"`
	Agents        []AgentSummary `json:"agents"`
	Total         Outcomes       `json:"total"`
}

// AgentSummary is one simulated agent's part of the Summary.
type AgentSummary struct {
	AgentID      string `json:"agent_id"`
	Target       string `json:"target"`
	Intervals    int64  `json:"intervals"`
	FlowsStarted int64  `json:"flows_started"`
	FlowsPurged  int64  `json:"flows_purged"`
	Outcomes
	// Views is the truth per key of the receiver's default views, over the
	// delivered records.
	Views map[string][]gen.ViewTotals `json:"views"`
}

// Outcomes splits records by what became of them.
type Outcomes struct {
	Generated gen.Tally `json:"generated"`
	Delivered gen.Tally `json:"delivered"`
	Failed    gen.Tally `json:"failed"`
	Dropped   gen.Tally `json:"dropped"`
}

func newOutcomes() Outcomes {
	return Outcomes{
		Generated: gen.Tally{Records: map[string]int64{}},
		Delivered: gen.Tally{Records: map[string]int64{}},
		Failed:    gen.Tally{Records: map[string]int64{}},
		Dropped:   gen.Tally{Records: map[string]int64{}},
	}
}

func (o *Outcomes) merge(p Outcomes) {
	o.Generated.Merge(p.Generated)
	o.Delivered.Merge(p.Delivered)
	o.Failed.Merge(p.Failed)
	o.Dropped.Merge(p.Dropped)
}
